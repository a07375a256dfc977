/** @module Hostile-code battery, memory rows (reference/sandbox.md §7 M1, M3–M8) through the real runtime child. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertBystanderWorks, crashOf, hostilePage, launchBystander, seen, startTicker } from './helpers/hostile.ts';
import { startProbeServer, startTestRuntime, type TestRuntime } from './helpers/runtime.ts';

describe('hostile code: memory (M1, M3–M8)', () => {
  let rt: TestRuntime;
  let probe: Awaited<ReturnType<typeof startProbeServer>>;
  let ticker: ReturnType<typeof startTicker>;
  let pid: number | undefined;

  before(async () => {
    rt = await startTestRuntime({ limits: { memoryLimitMb: 32, entryTimeoutMs: 3000 } });
    probe = await startProbeServer();
    ticker = startTicker();
    await launchBystander(rt);
    pid = rt.runtime.pid;
  });

  after(async () => {
    assert.ok(ticker.stop() < 1000);
    assert.equal(rt.runtime.pid, pid, 'memory rows must not take the runtime process down');
    await probe[Symbol.asyncDispose]();
    await rt[Symbol.asyncDispose]();
  });

  async function childRss(): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, 600));
    const stats = await rt.runtime.stats();
    assert.ok(stats.ok && stats.stats);
    return stats.stats.rssBytes;
  }

  it('M1: a heap bomb crashes its session with MEMORY_LIMIT and the process RSS comes back within budget', async () => {
    await rt.launch('m1', hostilePage(`go() { const a = []; for (;;) a.push({ s: 'y'.repeat(64) + Math.random() }); }`));
    const outcome = await rt.runtime.event('m1', 1, 'go', {});
    assert.equal(outcome.ok ? 'ok' : outcome.code, 'MEMORY_LIMIT');
    assert.equal((await crashOf(rt, 'm1')).code, 'MEMORY_LIMIT');
    assert.ok((await childRss()) < 512 * 1024 * 1024);
    await probe.probe();
    await assertBystanderWorks(rt);
  });

  it('M3: an ArrayBuffer bomb is bounded: a catchable error or a memory kill, never the process', async () => {
    await rt.launch('m3', hostilePage(`go() { const a = []; for (;;) a.push(new Uint8Array(1 << 20).fill(1)); }, small() { this.setData({ out: new Uint8Array(1024).length }); }`));
    const outcome = await rt.runtime.event('m3', 1, 'go', {});
    assert.equal(outcome.ok, false);
    assert.ok(['APP_ERROR', 'MEMORY_LIMIT'].includes(outcome.code), outcome.code);
    if (outcome.code === 'APP_ERROR') {
      assert.deepEqual(await rt.runtime.event('m3', 1, 'small', {}), { ok: true });
      assert.match(seen(rt, 'm3'), /out=1024/);
    }
    assert.ok((await childRss()) < 512 * 1024 * 1024);
    await assertBystanderWorks(rt);
  });

  it('M4/M5: WebAssembly, SharedArrayBuffer and Atomics do not exist in the guest', async () => {
    await rt.launch(
      'm4',
      hostilePage(`
        probe() { this.setData({ out: [typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics, typeof globalThis.WebAssembly].join(',') }); },
        wasm() { new WebAssembly.Memory({ initial: 1, maximum: 65536 }).grow(1000); },
        sab() { const keep = []; for (let i = 0; i < 64; i++) keep.push(new SharedArrayBuffer(16 << 20)); },`),
    );
    assert.deepEqual(await rt.runtime.event('m4', 1, 'probe', {}), { ok: true });
    assert.match(seen(rt, 'm4'), /out=undefined,undefined,undefined,undefined/);
    const wasm = await rt.runtime.event('m4', 1, 'wasm', {});
    assert.deepEqual(wasm.ok ? 'ok' : [wasm.code, wasm.message], ['APP_ERROR', 'WebAssembly is not defined']);
    const sab = await rt.runtime.event('m4', 1, 'sab', {});
    assert.deepEqual(sab.ok ? 'ok' : [sab.code, sab.message], ['APP_ERROR', 'SharedArrayBuffer is not defined']);
    await assertBystanderWorks(rt);
  });

  it('M6: deep recursion is an app error and the session continues', async () => {
    await rt.launch('m6', hostilePage(`deep() { function f() { return f() + 1; } f(); }, ok() { this.setData({ out: 'alive' }); }`));
    const outcome = await rt.runtime.event('m6', 1, 'deep', {});
    assert.deepEqual(outcome.ok ? 'ok' : outcome.code, 'APP_ERROR');
    assert.deepEqual(await rt.runtime.event('m6', 1, 'ok', {}), { ok: true });
    assert.match(seen(rt, 'm6'), /out=alive/);
  });

  it('M7: no context or isolate factory is reachable from the guest', async () => {
    await rt.launch(
      'm7',
      hostilePage(`probe() {
        const names = Object.getOwnPropertyNames(globalThis).filter((n) => /^(ivm|isolate|context|reference|externalcopy|callback|script|module|nativemodule|require|process)$/i.test(n));
        this.setData({ out: names.join(',') || 'none' });
      }`),
    );
    assert.deepEqual(await rt.runtime.event('m7', 1, 'probe', {}), { ok: true });
    assert.match(seen(rt, 'm7'), /out=none/);
  });

  it('M8: a JSON parse bomb ends with MEMORY_LIMIT (or TIMEOUT) for that session only', async () => {
    await rt.launch('m8', hostilePage(`go() { const s = JSON.stringify(Array(2e5).fill('xxxxxxxxxxxxxxxx')); const keep = []; for (;;) keep.push(JSON.parse(s)); }`));
    const outcome = await rt.runtime.event('m8', 1, 'go', {});
    assert.ok(!outcome.ok && ['MEMORY_LIMIT', 'TIMEOUT'].includes(outcome.code));
    await probe.probe();
    await assertBystanderWorks(rt);
  });
});
