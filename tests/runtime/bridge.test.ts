/** @module The bridge registry and the edge checks: strict schemas, scopes, size and depth caps, defensive JSON. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonDepth, parseGuestJson } from '../../runtime/src/bridge/json.ts';
import { BRIDGE_APIS, findBridgeApi } from '../../runtime/src/bridge/registry.ts';
import { validateCall } from '../../runtime/src/bridge/validate-call.ts';
import { DEFAULT_LIMITS } from '../../runtime/src/config.ts';
import { unframeOutput, wrapBundle } from '../../runtime/src/isolate/prelude.ts';

const limits = { maxCallArgsBytes: DEFAULT_LIMITS.maxCallArgsBytes, maxJsonDepth: DEFAULT_LIMITS.maxJsonDepth };
const none = new Set<string>();

describe('bridge registry', () => {
  it('lists every API of the issue with a side, a scope and a timeout', () => {
    const names = Object.keys(BRIDGE_APIS).sort();
    for (const name of ['login', 'getUserProfile', 'storage.get', 'storage.set', 'storage.remove', 'storage.keys', 'storage.info', 'request', 'navigateTo', 'redirectTo', 'navigateBack', 'switchTab', 'reLaunch', 'showToast', 'showModal', 'showActionSheet', 'setNavigationBarTitle', 'scanCode', 'getSystemInfo', 'timer.set', 'timer.clear']) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(BRIDGE_APIS.getUserProfile.scope, 'userInfo');
    assert.equal(BRIDGE_APIS.navigateTo.side, 'runtime');
    assert.equal(BRIDGE_APIS['storage.get'].side, 'host');
    assert.equal(findBridgeApi('toString'), undefined);
    assert.equal(findBridgeApi('__proto__'), undefined);
  });

  it('validates args strictly and names the failing path', () => {
    const bad = validateCall('showToast', { title: 'x', duration: 'long' }, none, limits);
    assert.deepEqual(bad.ok ? 'ok' : [bad.error.code, /duration/.test(bad.error.message)], ['INVALID_ARGUMENT', true]);
    const extra = validateCall('storage.get', { key: 'k', sessionId: 'other' }, none, limits);
    assert.equal(extra.ok ? 'ok' : extra.error.code, 'INVALID_ARGUMENT');
    const good = validateCall('storage.get', { key: 'k' }, none, limits);
    assert.deepEqual(good.ok && good.call.args, { key: 'k' });
    const noArgs = validateCall('login', null, none, limits);
    assert.equal(noArgs.ok, true);
  });

  it('refuses unknown APIs, undeclared scopes, oversized and too-deep args', () => {
    const unknown = validateCall('wallet.pay', {}, none, limits);
    assert.equal(unknown.ok ? 'ok' : unknown.error.code, 'UNKNOWN_API');
    const scope = validateCall('getUserProfile', {}, none, limits);
    assert.equal(scope.ok ? 'ok' : scope.error.code, 'PERMISSION_DENIED');
    assert.equal(validateCall('getUserProfile', {}, new Set(['userInfo']), limits).ok, true);
    const big = validateCall('showToast', { title: 'x'.repeat(70_000) }, none, limits);
    assert.equal(big.ok ? 'ok' : big.error.code, 'PAYLOAD_TOO_LARGE');
    assert.equal(validateCall('storage.set', { key: 'k', value: 'x'.repeat(1_000_000) }, none, limits).ok, true);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    const tooDeep = validateCall('storage.set', { key: 'k', value: deep as never }, none, limits);
    assert.equal(tooDeep.ok ? 'ok' : tooDeep.error.code, 'INVALID_ARGUMENT');
  });
});

describe('defensive JSON and framing', () => {
  it('checks type and length before parsing and drops prototype keys', () => {
    assert.deepEqual(parseGuestJson(42, 10, 10), { ok: false, reason: 'type' });
    assert.deepEqual(parseGuestJson('"' + 'x'.repeat(20) + '"', 10, 10), { ok: false, reason: 'length' });
    const parsed = parseGuestJson('{"__proto__":{"a":1},"constructor":{"prototype":{}},"b":{"prototype":1,"c":2}}', 1000, 10);
    assert.deepEqual(parsed, { ok: true, value: { b: { c: 2 } } });
    const escaped = parseGuestJson('{"\\u005f_proto__":{"a":1},"\\u0063onstructor":1,"d":"\\u0041"}', 1000, 10);
    assert.deepEqual(escaped, { ok: true, value: { d: 'A' } }, 'keys spelled with \\u escapes are dropped too');
    assert.deepEqual(parseGuestJson('{"a":[1,{"b":"c"}]}', 1000, 10), { ok: true, value: { a: [1, { b: 'c' }] } });
    assert.deepEqual(parseGuestJson('['.repeat(50) + ']'.repeat(50), 1000, 10), { ok: false, reason: 'depth' });
  });

  it('measures nesting depth through arrays and objects, and stops once past the limit', () => {
    assert.equal(jsonDepth(null, 10), 0);
    assert.equal(jsonDepth('text', 10), 0);
    assert.equal(jsonDepth([], 10), 1);
    assert.equal(jsonDepth({ a: 1, b: 'x' }, 10), 1);
    assert.equal(jsonDepth({ a: [1, { b: [null, { c: {} }] }], d: { e: 2 } }, 10), 6, 'the deepest branch counts, not the first');
    assert.equal(jsonDepth([[], [[[]]], {}], 10), 4);
    const deep = JSON.parse('['.repeat(200) + ']'.repeat(200));
    assert.equal(jsonDepth(deep, 10), 11, 'reports limit + 1 without walking the rest');
    assert.equal(jsonDepth(deep, 500), 200);
  });

  it('splits the prelude framing without trusting the guest part', () => {
    assert.deepEqual(unframeOutput('0;{"ok":true}'), { logs: [], output: '{"ok":true}' });
    const logs = JSON.stringify(['log hi']);
    assert.deepEqual(unframeOutput(`${logs.length};${logs}{"ok":true}`), { logs: ['log hi'], output: '{"ok":true}' });
    assert.deepEqual(unframeOutput('garbage'), { logs: [], output: '' });
  });

  it('wraps a bundle so that its top level runs inside the trampoline', () => {
    assert.match(wrapBundle('x()'), /^__atriumBoot\(function \(\) \{\nx\(\)\n\}\);$/);
  });
});
