/** @module Hostile-code battery, bridge and escape rows (reference/sandbox.md §7 B1, B3–B7, E2–E6) through the real runtime child. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertBystanderWorks, hostilePage, launchBystander, seen, startTicker } from './helpers/hostile.ts';
import { startTestRuntime, type TestRuntime } from './helpers/runtime.ts';

/** A guest that answers with raw JSON strings, to send what a framework never would. */
const RAW_GUEST = String.raw`
const replies = [];
const tree = () => ({ type: 'view', props: {}, children: [
  { type: 'text', props: {}, children: ['replies=' + JSON.stringify(replies)] },
  ...['deep', 'proto', 'forge', 'cyclic'].map((k) => ({ type: 'button', props: { onTap: k }, children: [k] })),
] });
const ok = (renders, calls) => JSON.stringify({ ok: true, renders, calls });
__atriumRegister(function (json) {
  const msg = JSON.parse(json);
  if (msg.t === 'page' && msg.hook === 'load') return ok([{ pageId: msg.pageId, tree: tree() }], []);
  if (msg.t === 'reply') { replies.push(msg.ok ? 'ok' : msg.error.code); return ok([{ pageId: 1, tree: tree() }], []); }
  if (msg.t !== 'event') return ok([], []);
  if (msg.handler === 'deep') return '{"ok":true,"renders":[],"calls":[{"id":1,"api":"storage.set","args":{"key":"k","value":' + '['.repeat(1e5) + ']'.repeat(1e5) + '}}]}';
  if (msg.handler === 'proto') return '{"ok":true,"renders":[],"calls":[{"id":2,"api":"storage.set","args":{"key":"k","value":{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"polluted":1}},"ok":1}}}]}';
  if (msg.handler === 'forge') return '{"ok":true,"renders":[],"calls":[{"id":3,"api":"storage.get","args":{"key":"k","sessionId":"someone-else"}}]}';
  if (msg.handler === 'cyclic') { const o = {}; o.self = o; return ok([], [{ id: 4, api: 'storage.set', args: { key: 'k', value: o } }]); }
  return ok([], []);
});`;

describe('hostile code: bridge and escapes (B1, B3–B7, E2–E6)', () => {
  let rt: TestRuntime;
  let ticker: ReturnType<typeof startTicker>;

  before(async () => {
    rt = await startTestRuntime({
      limits: { eventsPerSecond: 1000 },
      bridge: async (_, api, args) => {
        if (api === 'login') throw new Error('ENOENT: /srv/atrium/host/src/secret-keys/db.sqlite at Object.open (/srv/atrium/host/src/db.ts:12:3)');
        if (api === 'showToast') return { ok: false, code: 'not a code!', message: 'x' };
        return { ok: true, result: { api, args } };
      },
    });
    ticker = startTicker();
    await launchBystander(rt);
  });

  after(async () => {
    assert.ok(ticker.stop() < 1000);
    await rt[Symbol.asyncDispose]();
  });

  const hostSaw = (api: string): number => rt.calls.filter((call) => call.api === api).length;

  it('B1: a huge string never reaches the host: the prelude refuses the entry, the call cap refuses a 1.2 MB value', async () => {
    await rt.launch(
      'b1',
      hostilePage(`
        huge() { this.call('storage.set', { key: 'k', value: 'x'.repeat(8 << 20) }); },
        big() { this.call('storage.set', { key: 'k', value: 'x'.repeat(1200 * 1024) }, (r) => this.setData({ out: r.ok ? 'stored' : r.error.code })); },`),
    );
    const huge = await rt.runtime.event('b1', 1, 'huge', {});
    assert.equal(huge.ok ? 'ok' : huge.code, 'PAYLOAD_TOO_LARGE');
    assert.deepEqual(await rt.runtime.event('b1', 1, 'big', {}), { ok: true });
    await rt.waitFor(() => /out=PAYLOAD_TOO_LARGE/.test(seen(rt, 'b1')));
    assert.equal(hostSaw('storage.set'), 0);
    await assertBystanderWorks(rt);
  });

  it('B3: too-deep or cyclic data to the host is refused cleanly', async () => {
    await rt.runtime.launch('b3', { code: RAW_GUEST, cacheKey: 'raw@1' }, { pages: ['pages/index'] });
    const deep = await rt.runtime.event('b3', 1, 'deep', {});
    assert.equal(deep.ok ? 'ok' : deep.code, 'APP_BAD_OUTPUT');
    const cyclic = await rt.runtime.event('b3', 1, 'cyclic', {});
    assert.equal(cyclic.ok ? 'ok' : cyclic.code, 'APP_ERROR');
    assert.equal(hostSaw('storage.set'), 0);
  });

  it('B4: __proto__ and constructor keys are dropped before the host sees the args; unknown keys are refused', async () => {
    await rt.runtime.launch('b4', { code: RAW_GUEST, cacheKey: 'raw@1' }, { pages: ['pages/index'] });
    assert.deepEqual(await rt.runtime.event('b4', 1, 'proto', {}), { ok: true });
    await rt.waitFor(() => hostSaw('storage.set') === 1);
    const call = rt.calls.find((c) => c.api === 'storage.set');
    const value = (call?.args as { value: Record<string, unknown> }).value;
    assert.deepEqual(Object.keys(value), ['ok']);
    assert.equal(Object.hasOwn(value, '__proto__'), false);
    assert.equal(({} as Record<string, unknown>).isAdmin, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Forging another session's id is an unknown key for a strict schema.
    assert.deepEqual(await rt.runtime.event('b4', 1, 'forge', {}), { ok: true });
    await rt.waitFor(() => /INVALID_ARGUMENT/.test(seen(rt, 'b4')));
    assert.equal(hostSaw('storage.get'), 0);
  });

  it('B5: a patch over 1 MB is refused with PATCH_TOO_LARGE, over 256 KB warned, an output over the cap refused', async () => {
    // Texts are capped per node by the view whitelist, so large trees are many 16 KB texts.
    await rt.launch(
      'b5',
      `pages['pages/index'] = {
        data: { parts: 0, letter: 'w' },
        render(d) {
          const texts = Array.from({ length: d.parts }, () => h('text', {}, [d.letter.repeat(16 * 1024)]));
          return h('view', {}, [h('text', {}, ['parts=' + d.parts + d.letter])].concat(texts, ['warn', 'large', 'huge'].map((k) => h('button', { onTap: k }, [k]))));
        },
        handlers: {
          warn() { this.setData({ parts: 20, letter: 'w' }); },
          large() { this.setData({ parts: 70, letter: 'l' }); },
          huge() { this.setData({ parts: 130, letter: 'h' }); },
        },
      };`,
    );
    assert.deepEqual(await rt.runtime.event('b5', 1, 'warn', {}), { ok: true });
    assert.match(seen(rt, 'b5'), /parts=20w/);
    assert.ok(rt.outputs.some((o) => o.type === 'log' && o.level === 'warn' && o.sessionId === 'b5' && /patch batch/.test(o.message)));
    assert.deepEqual(await rt.runtime.event('b5', 1, 'large', {}), { ok: true });
    const refused = await rt.waitFor((o) => o.type === 'render-refused' && o.sessionId === 'b5');
    assert.equal(refused.type === 'render-refused' && refused.code, 'PATCH_TOO_LARGE');
    assert.match(seen(rt, 'b5'), /parts=20w/);
    const huge = await rt.runtime.event('b5', 1, 'huge', {});
    assert.equal(huge.ok ? 'ok' : huge.code, 'PAYLOAD_TOO_LARGE');
    assert.match(seen(rt, 'b5'), /parts=20w/);
  });

  it('B5: renders are coalesced to at most 20 flushes in any second, and the last state arrives', async () => {
    await rt.launch('b5-rate', hostilePage(`inc() { this.setData({ out: (+this.data.out || 0) + 1 }); }`));
    const before = rt.outputs.length;
    const started = Date.now();
    for (let i = 0; i < 60; i++) await rt.runtime.event('b5-rate', 1, 'inc', {});
    const firstSecond = rt.outputs.slice(before).filter((o) => o.type === 'patches' && o.sessionId === 'b5-rate');
    if (Date.now() - started < 1000) assert.ok(firstSecond.length <= 20, `${firstSecond.length} flushes`);
    await rt.waitFor(() => /out=60\b/.test(seen(rt, 'b5-rate')), 3000);
  });

  it('B6: an invalid view tree is rejected whole before any patch is sent', async () => {
    await rt.launch(
      'b6',
      hostilePage(
        `
        script() { this.setData({ bad: 'script' }); },
        js() { this.setData({ bad: 'js' }); },
        unknown() { this.setData({ bad: 'unknown' }); },`,
        "{ out: 'fine', bad: '' }",
      ).replace(
        "return h('view', {}, [",
        "if (d.bad === 'script') return h('view', {}, [h('script', {}, ['alert(1)'])]); if (d.bad === 'js') return h('view', {}, [h('image', { src: 'javascript:alert(1)' }, [])]); if (d.bad === 'unknown') return h('view', {}, [h('marquee', {}, [])]); return h('view', {}, [",
      ),
    );
    const before = seen(rt, 'b6');
    for (const handler of ['script', 'js', 'unknown']) {
      const count = rt.outputs.filter((o) => o.type === 'render-refused' && o.sessionId === 'b6').length;
      assert.deepEqual(await rt.runtime.event('b6', 1, handler, {}), { ok: true });
      await rt.waitFor(() => rt.outputs.filter((o) => o.type === 'render-refused' && o.sessionId === 'b6').length > count);
    }
    assert.ok(rt.outputs.filter((o) => o.type === 'render-refused' && o.sessionId === 'b6').every((o) => o.type === 'render-refused' && o.code === 'VIEW_INVALID'));
    assert.equal(seen(rt, 'b6'), before);
  });

  it('B7: non-cloneable values (Symbol, function, Proxy) become a clean INVALID_ARGUMENT', async () => {
    await rt.launch(
      'b7',
      hostilePage(`
        go() {
          const codes = [];
          const show = (r) => { codes.push(r.ok ? 'ok' : r.error.code); this.setData({ out: codes.join(',') }); };
          this.call('storage.set', { key: 'k', value: Symbol('s') }, show);
          this.call('storage.set', { key: 'k', value: function () {} }, show);
          this.call('storage.set', new Proxy({}, {}), show);
        },`),
    );
    assert.deepEqual(await rt.runtime.event('b7', 1, 'go', {}), { ok: true });
    await rt.waitFor(() => /out=INVALID_ARGUMENT,INVALID_ARGUMENT,INVALID_ARGUMENT/.test(seen(rt, 'b7')));
    assert.equal(hostSaw('storage.set'), 1); // only B4's sanitized call
  });

  it('E2/E3: no process, require or host object is reachable, and the prelude globals are gone', async () => {
    await rt.launch(
      'e2',
      hostilePage(`
        escape() {
          const F = this.call.constructor.constructor;
          this.setData({ out: F('return [typeof process, typeof require, typeof module, typeof setTimeout, typeof fetch, typeof globalThis.process].join()')() });
        },
        walk() {
          const seenObjects = new Set(), found = [];
          const bad = /^(Reference|ExternalCopy|Isolate|Callback|Context|Script|Module|NativeModule)$/;
          const visit = (value, path, depth) => {
            if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seenObjects.has(value) || depth > 4) return;
            seenObjects.add(value);
            if (typeof value === 'function' && bad.test(value.name)) found.push(path);
            for (const key of Reflect.ownKeys(value)) {
              let child;
              try { const d = Object.getOwnPropertyDescriptor(value, key); child = d && 'value' in d ? d.value : undefined; } catch { continue; }
              visit(child, path + '.' + String(key), depth + 1);
            }
          };
          visit(globalThis, 'globalThis', 0);
          const prelude = ['__atriumRegister', '__atriumCheck', '__atriumBoot'].filter((n) => n in globalThis);
          const entry = Object.getOwnPropertyDescriptor(globalThis, '__atriumEntry');
          this.setData({ out: JSON.stringify({ found, prelude, entryLocked: !entry.writable && !entry.configurable }) });
        },`),
    );
    assert.deepEqual(await rt.runtime.event('e2', 1, 'escape', {}), { ok: true });
    assert.match(seen(rt, 'e2'), /out=undefined,undefined,undefined,undefined,undefined,undefined/);
    assert.deepEqual(await rt.runtime.event('e2', 1, 'walk', {}), { ok: true });
    assert.match(seen(rt, 'e2'), /out=\{"found":\[\],"prelude":\[\],"entryLocked":true\}/);
  });

  it('E4: a failing host handler reaches the guest as { code, message } with no stack or path', async () => {
    await rt.launch(
      'e4',
      hostilePage(`go() {
        const out = [];
        const show = (r) => { out.push(JSON.stringify(r.error)); this.setData({ out: out.join(' ') }); };
        this.call('login', {}, show);
        this.call('showToast', { title: 'hi' }, show);
      }`),
    );
    assert.deepEqual(await rt.runtime.event('e4', 1, 'go', {}), { ok: true });
    await rt.waitFor(() => (seen(rt, 'e4').match(/BRIDGE_FAILED/g) ?? []).length === 2);
    assert.doesNotMatch(seen(rt, 'e4'), /srv|secret|\.ts|ENOENT|at Object/);
    assert.match(seen(rt, 'e4'), /\{"code":"BRIDGE_FAILED","message":"The bridge call failed"\}/);
  });

  it('E5: unknown APIs and undeclared scopes are refused in the runtime and never reach the host', async () => {
    const page = hostilePage(`go() {
      const out = [];
      const show = (r) => { out.push(r.ok ? 'ok' : r.error.code); this.setData({ out: out.join(',') }); };
      this.call('wallet.transfer', { to: 'me', amount: 1e6 }, show);
      this.call('__proto__', {}, show);
      this.call('getUserProfile', {}, show);
    }`);
    await rt.launch('e5', page);
    assert.deepEqual(await rt.runtime.event('e5', 1, 'go', {}), { ok: true });
    await rt.waitFor(() => /out=UNKNOWN_API,UNKNOWN_API,PERMISSION_DENIED/.test(seen(rt, 'e5')));
    assert.equal(hostSaw('wallet.transfer') + hostSaw('__proto__') + hostSaw('getUserProfile'), 0);
    await rt.launch('e5-declared', page, { scopes: ['userInfo'] });
    assert.deepEqual(await rt.runtime.event('e5-declared', 1, 'go', {}), { ok: true });
    await rt.waitFor(() => /out=UNKNOWN_API,UNKNOWN_API,ok/.test(seen(rt, 'e5-declared')));
    assert.equal(hostSaw('getUserProfile'), 1);
  });

  it('E6: network requests are forwarded to the host, which owns the domain and address checks', async () => {
    await rt.launch('e6', hostilePage(`go() { this.call('request', { url: 'http://127.0.0.1:9/admin' }, (r) => this.setData({ out: r.ok ? 'forwarded' : r.error.code })); }`));
    assert.deepEqual(await rt.runtime.event('e6', 1, 'go', {}), { ok: true });
    await rt.waitFor(() => /out=forwarded/.test(seen(rt, 'e6')));
    assert.deepEqual(rt.calls.find((c) => c.api === 'request')?.args, { url: 'http://127.0.0.1:9/admin' });
  });

  it('freezes the clock for the whole entry at the time the runtime gave it', async () => {
    await rt.launch('clock', hostilePage(`go() { const a = Date.now(); const until = a; let spin = 0; while (spin < 2e7) spin++; this.setData({ out: [a, Date.now(), new Date().getTime(), String(new Date(0).getTime())].join(',') }); }`));
    const before = Date.now();
    assert.deepEqual(await rt.runtime.event('clock', 1, 'go', {}), { ok: true });
    const [a, b, c, zero] = (/out=([\d,]+)/.exec(seen(rt, 'clock'))?.[1] ?? '').split(',').map(Number);
    assert.equal(a, b);
    assert.equal(a, c);
    assert.equal(zero, 0);
    assert.ok(a !== undefined && Math.abs(a - before) < 5000);
    await assertBystanderWorks(rt);
  });
});
