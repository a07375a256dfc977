/**
 * @module The bridge registry (the runtime's single source of truth for argument schemas, scopes and the access
 * log) and the guest's `atrium.*` client built from it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atrium, AtriumError, BRIDGE_API_NAMES, BRIDGE_APIS, bridgeApi, callBridge, type BridgeApiName } from '../../sdk/src/index.ts';

describe('BRIDGE_APIS', () => {
  it('lists every API of the issue once, by name', () => {
    assert.deepEqual([...BRIDGE_API_NAMES].sort(), [
      'getSystemInfo', 'getUserProfile', 'login', 'navigateBack', 'navigateTo', 'reLaunch', 'redirectTo', 'request', 'requestPayment', 'scanCode',
      'setNavigationBarTitle', 'shareToChat', 'showActionSheet', 'showModal', 'showToast', 'storage.get', 'storage.info', 'storage.keys',
      'storage.remove', 'storage.set', 'switchTab', 'timer.clear', 'timer.set',
    ]);
    for (const name of BRIDGE_API_NAMES) assert.equal(BRIDGE_APIS[name].name, name);
  });

  it('gives every API strict args, a result schema, a side, a timeout and a description', () => {
    for (const name of BRIDGE_API_NAMES) {
      const api = BRIDGE_APIS[name];
      assert.ok(api.description.length > 5, name);
      assert.ok(api.timeoutMs > 0, name);
      assert.ok(api.side === 'host' || api.side === 'runtime', name);
      assert.equal(api.args.safeParse({ __unknown__: 1 }).success, false, `${name} refuses unknown fields`);
      assert.ok(api.result, name);
    }
  });

  it('validates arguments with located zod errors', () => {
    assert.equal(BRIDGE_APIS['storage.get'].args.safeParse({ key: 'todos' }).success, true);
    assert.equal(BRIDGE_APIS['storage.get'].args.safeParse({ key: '' }).success, false);
    assert.equal(BRIDGE_APIS['storage.set'].args.safeParse({ key: 'k', value: { nested: [1, 'x', null] } }).success, true);
    assert.equal(BRIDGE_APIS.navigateTo.args.safeParse({ url: 'javascript:alert(1)' }).success, false);
    assert.equal(BRIDGE_APIS.navigateTo.args.safeParse({ url: '/pages/detail?id=3' }).success, true);
    assert.equal(BRIDGE_APIS.showActionSheet.args.safeParse({ itemList: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }).success, false);
    assert.equal(BRIDGE_APIS.request.args.safeParse({ url: 'https://api.example.com', method: 'TRACE' }).success, false);
    const result = BRIDGE_APIS['timer.set'].args.safeParse({ id: 1, ms: -5 });
    assert.equal(result.success, false);
    assert.deepEqual(result.error?.issues[0]?.path, ['ms']);
  });

  it('names the consent scope and the audited APIs', () => {
    assert.equal(BRIDGE_APIS.getUserProfile.scope, 'userInfo');
    assert.equal(BRIDGE_APIS['storage.get'].scope, null);
    const audited = BRIDGE_API_NAMES.filter((n) => BRIDGE_APIS[n].audited).sort();
    assert.deepEqual(audited, ['getUserProfile', 'login', 'request', 'requestPayment', 'scanCode', 'shareToChat', 'storage.set']);
  });

  it('looks up own names only', () => {
    assert.equal(bridgeApi('storage.get')?.name, 'storage.get');
    for (const name of ['__proto__', 'constructor', 'toString', 'storage', 'eval']) assert.equal(bridgeApi(name), undefined);
  });
});

describe('atrium client outside an app', () => {
  it('maps nested names to API names and rejects with NOT_STARTED before startApp', async () => {
    await assert.rejects(atrium.storage.get({ key: 'k' }), (error: unknown) => error instanceof AtriumError && error.code === 'NOT_STARTED' && /atrium\.storage\.get/.test(error.message));
    await assert.rejects(callBridge('login' as BridgeApiName), { code: 'NOT_STARTED' });
  });
  it('is not a thenable and exposes timers', () => {
    assert.equal((atrium as unknown as { then?: unknown }).then, undefined);
    assert.equal(typeof atrium.setTimeout, 'function');
    assert.throws(() => atrium.setTimeout(() => undefined, 1), { code: 'NOT_STARTED' });
  });
});
