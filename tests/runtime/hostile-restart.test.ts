/** @module Hostile-code battery, rows that need the runtime-process restart path (C6/C7 unhandled rejections, L1). */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COUNTER_PAGE } from './helpers/guest.ts';
import { assertBystanderWorks, BYSTANDER, crashOf, hostilePage, launchBystander, seen } from './helpers/hostile.ts';
import { startProbeServer, startTestRuntime, type TestRuntime } from './helpers/runtime.ts';

/** Probes the test process's HTTP server every 250 ms until stopped; every answer must come within 1 s. */
function keepProbing(probe: { probe(): Promise<number> }): { stop(): Promise<number> } {
  let stopped = false;
  let worst = 0;
  const loop = (async () => {
    while (!stopped) {
      worst = Math.max(worst, await probe.probe());
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return worst;
    },
  };
}

async function waitForRestart(rt: TestRuntime, oldPid: number | undefined, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (rt.runtime.pid !== undefined && rt.runtime.pid !== oldPid && rt.lost.length > 0) {
      await rt.runtime.ready;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`the runtime process was not replaced within ${ms} ms`);
}

describe('hostile code: runtime-process restart (C6/C7, L1)', () => {
  for (const [row, reason] of [
    ['C7', `class E extends Error { get name() { for (;;); } } Promise.reject(new E('x'));`],
    ['C6/C7 (Proxy reason)', `Promise.reject(new Proxy({}, { get() { for (;;); } }));`],
  ] as const) {
    it(`${row}: an unhandled rejection with a hostile reason is contained by replacing the runtime process`, async () => {
      await using rt = await startTestRuntime({ limits: { entryTimeoutMs: 200, watchdogGraceMs: 100 }, runaway: { forMs: 2000 } });
      await using probe = await startProbeServer();
      await launchBystander(rt);
      await rt.runtime.event(BYSTANDER, 1, 'inc', {});
      const saved = await rt.runtime.snapshot(BYSTANDER);
      assert.equal(saved.ok, true);
      const oldPid = rt.runtime.pid;
      const probing = keepProbing(probe);

      await rt.launch('c7', hostilePage(`go() { ${reason} }`));
      const outcome = await rt.runtime.event('c7', 1, 'go', {});
      assert.equal(outcome.ok, false);
      assert.equal((await crashOf(rt, 'c7')).code, 'TIMEOUT');
      await waitForRestart(rt, oldPid, 15_000);
      assert.ok(rt.lost.flat().includes(BYSTANDER), 'the bystander is reported lost so the host can re-create it');
      assert.ok((await probing.stop()) < 1000);

      // Re-create the lost session from its stored state: the person finds the count where it was.
      assert.ok(saved.ok);
      const relaunched = await rt.launch(BYSTANDER, COUNTER_PAGE, { cacheKey: 'counter@1', restore: saved.snapshot });
      assert.equal(relaunched.ok, true);
      assert.match(seen(rt, BYSTANDER), /n=1\b/);
      await assertBystanderWorks(rt);
    });
  }

  it('L1: killing the runtime mid-entry answers the pending call with RUNTIME_RESTARTED and a new process serves', async () => {
    await using rt = await startTestRuntime({ limits: { entryTimeoutMs: 2000 } });
    await launchBystander(rt);
    await rt.launch('busy', hostilePage(`spin() { const end = Date.now() + 10; let x = 0; for (let i = 0; i < 3e8; i++) x += i; this.setData({ out: x }); }`));
    const oldPid = rt.runtime.pid;
    const pending = rt.runtime.event('busy', 1, 'spin', {});
    await new Promise((resolve) => setTimeout(resolve, 100));
    await rt.runtime.restart('test: crash mid-entry');
    const outcome = await pending;
    assert.deepEqual(outcome.ok ? 'ok' : outcome.code, 'RUNTIME_RESTARTED');
    await waitForRestart(rt, oldPid, 10_000);
    assert.deepEqual(rt.lost.flat().sort(), ['busy', BYSTANDER].sort());
    await launchBystander(rt);
    await assertBystanderWorks(rt);
  });
});
