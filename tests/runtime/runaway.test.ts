/** @module The supervisor's outside view of the child: /proc sampling and the runaway rules. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunawayMonitor, sampleProc } from '../../runtime/src/process/proc-stat.ts';

const limits = { excessCores: 0.1, forMs: 300, maxRssBytes: 64 * 1024 ** 3, heartbeatTimeoutMs: 10_000 };

describe('runaway monitor', () => {
  it('reads CPU time of the process and its main thread, and RSS, from /proc', () => {
    const sample = sampleProc(process.pid);
    assert.ok(sample, 'this test needs Linux /proc');
    assert.ok(sample.processCpuMs >= sample.mainThreadCpuMs && sample.mainThreadCpuMs >= 0);
    assert.ok(sample.rssBytes > 10 * 1024 * 1024);
    assert.equal(sampleProc(2 ** 22 + 12345), undefined);
  });

  it('asks for a restart when the child reports calls stuck after dispose', () => {
    const monitor = new RunawayMonitor(limits);
    monitor.heartbeat(0, 0);
    assert.equal(monitor.check(process.pid), undefined);
    monitor.heartbeat(0, 1);
    assert.match(monitor.check(process.pid) ?? '', /stuck after dispose/);
  });

  it('asks for a restart when heartbeats stop or RSS stays over budget', async () => {
    const silent = new RunawayMonitor({ ...limits, heartbeatTimeoutMs: 20 });
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(silent.check(process.pid), 'no heartbeat');
    const heavy = new RunawayMonitor({ ...limits, maxRssBytes: 1024 });
    heavy.heartbeat(0, 0);
    assert.equal(heavy.check(process.pid), undefined);
    assert.match(heavy.check(process.pid) ?? '', /over budget/);
  });

  it('asks for a restart when CPU outside the main thread and the isolates stays above the threshold', async () => {
    // A worker thread spinning in this process is CPU that neither the main thread nor any isolate explains.
    const { Worker } = await import('node:worker_threads');
    const spinner = new Worker('for (;;);', { eval: true });
    try {
      const monitor = new RunawayMonitor(limits);
      let verdict: string | undefined;
      // Up to 10 s: on a loaded 2-core machine the spinner may take a while to get its share of a core.
      for (let i = 0; i < 200 && !verdict; i++) {
        monitor.heartbeat(0, 0);
        verdict = monitor.check(process.pid);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(verdict ?? '', /runaway CPU/);
    } finally {
      await spinner.terminate();
    }
  });
});
