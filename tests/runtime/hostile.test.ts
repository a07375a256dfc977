/** @module Hostile-code battery, CPU rows (reference/sandbox.md §7 C1–C6, C8) through the real runtime child. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertBystanderWorks, crashOf, hostilePage, launchBystander, seen, startTicker } from './helpers/hostile.ts';
import { startProbeServer, startTestRuntime, type TestRuntime } from './helpers/runtime.ts';

describe('hostile code: CPU (C1–C6, C8)', () => {
  let rt: TestRuntime;
  let probe: Awaited<ReturnType<typeof startProbeServer>>;
  let ticker: ReturnType<typeof startTicker>;
  let pid: number | undefined;
  let slowCalls = 0;
  let maxConcurrent = 0;

  before(async () => {
    rt = await startTestRuntime({
      limits: { entryTimeoutMs: 200, watchdogGraceMs: 100, maxBridgeTimeoutMs: 400 },
      bridge: async (_, api) => {
        if (api === 'scanCode') return new Promise(() => undefined); // never answers (C4)
        if (api === 'request') {
          slowCalls++;
          maxConcurrent = Math.max(maxConcurrent, slowCalls);
          await new Promise((resolve) => setTimeout(resolve, 50));
          slowCalls--;
        }
        return { ok: true, result: { status: 200 } };
      },
    });
    probe = await startProbeServer();
    ticker = startTicker();
    await launchBystander(rt);
    pid = rt.runtime.pid;
  });

  after(async () => {
    const worstGap = ticker.stop();
    assert.ok(worstGap < 1000, `the test process's event loop stalled for ${worstGap} ms`);
    assert.equal(rt.runtime.pid, pid, 'no CPU row may need a runtime-process restart');
    await probe[Symbol.asyncDispose]();
    await rt[Symbol.asyncDispose]();
  });

  it('C1: an infinite loop in onLoad fails the launch with TIMEOUT and crashes only that session', async () => {
    const code = `pages['pages/index'] = { data: {}, onLoad() { for (;;); }, render() { return h('view', {}, []); }, handlers: {} };`;
    const launched = await rt.launch('c1', code);
    assert.deepEqual(launched.ok ? 'launched' : launched.code, 'TIMEOUT');
    assert.equal((await crashOf(rt, 'c1')).code, 'TIMEOUT');
    assert.equal((await rt.runtime.event('c1', 1, 'x', {})).ok, false);
    await probe.probe();
    await assertBystanderWorks(rt);
  });

  it('C2: a loop after an awaited bridge reply is stopped (timeout covers the reply entry; the watchdog backs it)', async () => {
    await rt.launch('c2', hostilePage(`async go() { await this.call('request', { url: 'https://example.com/' }); for (;;); }`));
    assert.deepEqual(await rt.runtime.event('c2', 1, 'go', {}), { ok: true });
    assert.ok(['TIMEOUT', 'CPU_BUDGET_EXCEEDED'].includes((await crashOf(rt, 'c2')).code));
    await probe.probe();
    await assertBystanderWorks(rt);
  });

  it('C3: a microtask flood ends with TIMEOUT', async () => {
    await rt.launch('c3', hostilePage(`go() { (function f() { Promise.resolve().then(f); })(); }`));
    const outcome = await rt.runtime.event('c3', 1, 'go', {});
    assert.equal(outcome.ok ? 'ok' : outcome.code, 'TIMEOUT');
    assert.equal((await crashOf(rt, 'c3')).code, 'TIMEOUT');
    await assertBystanderWorks(rt);
  });

  it('C4: a never-settling promise is never awaited by the runtime, and a host call that never answers times out', async () => {
    await rt.launch(
      'c4',
      hostilePage(`
        wait() { new Promise(() => {}).then(() => this.setData({ out: 'impossible' })); this.setData({ out: 'waiting' }); },
        scan() { this.call('scanCode', {}, (reply) => this.setData({ out: reply.ok ? 'scanned' : reply.error.code })); },`),
    );
    const started = performance.now();
    assert.deepEqual(await rt.runtime.event('c4', 1, 'wait', {}), { ok: true });
    assert.ok(performance.now() - started < 1000);
    assert.match(seen(rt, 'c4'), /out=waiting/);
    assert.deepEqual(await rt.runtime.event('c4', 1, 'scan', {}), { ok: true });
    await rt.waitFor(() => /out=BRIDGE_TIMEOUT/.test(seen(rt, 'c4')), 3000);
    await assertBystanderWorks(rt);
  });

  it('C5: throwing an object with a looping message getter ends in TIMEOUT inside timed execution', async () => {
    await rt.launch('c5', hostilePage(`go() { throw { get message() { for (;;); } }; }`));
    const outcome = await rt.runtime.event('c5', 1, 'go', {});
    assert.equal(outcome.ok ? 'ok' : outcome.code, 'TIMEOUT');
    await assertBystanderWorks(rt);
  });

  it('C6 (sync): a thrown looping Proxy ends in TIMEOUT; an Error subclass with a looping name getter is a plain app error', async () => {
    await rt.launch(
      'c6',
      hostilePage(`
        named() { class E extends Error { get name() { for (;;); } } throw new E('named'); },
        proxy() { throw new Proxy({}, { get() { for (;;); } }); },`),
    );
    const named = await rt.runtime.event('c6', 1, 'named', {});
    assert.deepEqual(named, { ok: false, code: 'APP_ERROR', message: 'named' });
    const proxy = await rt.runtime.event('c6', 1, 'proxy', {});
    assert.equal(proxy.ok ? 'ok' : proxy.code, 'TIMEOUT');
    await probe.probe();
    await assertBystanderWorks(rt);
  });

  it('C6 (top level): a bundle that throws a hostile value at its top level fails to launch without a stuck thread', async () => {
    const code = `class E extends Error { get name() { for (;;); } } throw new E('top');`;
    const launched = await rt.launch('c6-top', code, { register: false });
    assert.equal(launched.ok ? 'ok' : launched.code, 'APP_ERROR');
    const proxy = await rt.launch('c6-top-proxy', `throw new Proxy({}, { get() { for (;;); } });`, { register: false });
    assert.equal(proxy.ok ? 'ok' : proxy.code, 'TIMEOUT');
    // A bundle that tries to close the runtime's wrapper to throw outside the trampoline does not parse as a body.
    const code2 = '}); throw new Proxy({}, { get() { for (;;); } }); __atriumBoot(function () {';
    const escape = await rt.runtime.launch('c6-escape', { code: code2, cacheKey: 'escape@1' }, { pages: ['pages/index'] });
    assert.equal(escape.ok ? 'ok' : escape.code, 'APP_ERROR');
    await assertBystanderWorks(rt);
  });

  it('C8: a tight loop of slow host calls is capped at 32 in flight; the rest are refused with RATE_LIMITED', async () => {
    await rt.launch(
      'c8',
      hostilePage(`
        flood() {
          let refused = 0, done = 0;
          const again = () => this.call('request', { url: 'https://example.com/' }, (reply) => {
            if (reply.ok) done++; else refused++;
            this.setData({ out: done + '/' + refused });
            if (done + refused < 200) again();
          });
          for (let i = 0; i < 60; i++) again();
        },`),
    );
    assert.deepEqual(await rt.runtime.event('c8', 1, 'flood', {}), { ok: true });
    const settled = (): boolean => {
      const [, done = '0', refused = '0'] = /out=(\d+)\/(\d+)/.exec(seen(rt, 'c8')) ?? [];
      return Number(done) + Number(refused) >= 200 && Number(refused) > 0;
    };
    await rt.waitFor(settled, 5000);
    assert.ok(maxConcurrent > 0 && maxConcurrent <= 32, `the host saw ${maxConcurrent} concurrent calls`);
    await probe.probe();
    await assertBystanderWorks(rt);
  });
});
