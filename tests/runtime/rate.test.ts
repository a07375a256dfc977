/** @module The per-session rate primitives: token bucket, sliding window, CPU window, run-queue semaphore, log limiter. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CpuWindow, rateLimitedLogs, SlidingWindow, TokenBucket } from '../../runtime/src/session/rate.ts';
import { Semaphore } from '../../runtime/src/session/semaphore.ts';
import type { RuntimeOutput } from '../../runtime/src/session/types.ts';

describe('rate primitives', () => {
  it('a token bucket allows its burst, then refills at its rate', () => {
    let now = 0;
    const bucket = new TokenBucket(10, 3, () => now);
    assert.deepEqual([bucket.take(), bucket.take(), bucket.take(), bucket.take()], [true, true, true, false]);
    assert.equal(bucket.waitMs(), 100);
    now += 100;
    assert.equal(bucket.take(), true);
  });

  it('a sliding window never allows more than its maximum in any window', () => {
    let now = 0;
    const window = new SlidingWindow(20, 1000, () => now);
    let allowed = 0;
    for (let t = 0; t < 3000; t += 10) {
      now = t;
      if (window.take()) allowed++;
    }
    assert.equal(allowed, 60);
    now = 2500;
    assert.equal(window.waitMs(), 500);
  });

  it('a CPU window reports over budget, and forgets charges older than the window', () => {
    let now = 0;
    const cpu = new CpuWindow(2000, 10_000, () => now);
    assert.equal(cpu.charge(1_500_000_000n), true);
    now = 5000;
    assert.equal(cpu.charge(600_000_000n), false);
    now = 10_001;
    assert.equal(cpu.charge(0n), true);
    assert.equal(cpu.usedMs, 600);
  });

  it('the run-queue semaphore bounds concurrency and serves waiters in order', async () => {
    const semaphore = new Semaphore(2);
    const order: number[] = [];
    const a = await semaphore.acquire();
    const b = await semaphore.acquire();
    const waiting = [1, 2].map((n) => semaphore.acquire().then((release) => (order.push(n), release)));
    assert.equal(semaphore.waiting, 2);
    a();
    a();
    b();
    for (const release of await Promise.all(waiting)) release();
    assert.deepEqual(order, [1, 2]);
    assert.equal(semaphore.active, 0);
  });

  it('limits log outputs per session and says how many it dropped', () => {
    let now = 0;
    const seen: RuntimeOutput[] = [];
    const emit = rateLimitedLogs((o) => seen.push(o), 's', new TokenBucket(2, 2, () => now));
    for (let i = 0; i < 5; i++) emit({ type: 'log', level: 'debug', sessionId: 's', message: `line ${i}` });
    emit({ type: 'log', level: 'error', sessionId: 's', message: 'always' });
    emit({ type: 'pages', sessionId: 's', pages: [] });
    now = 1000;
    emit({ type: 'log', level: 'debug', sessionId: 's', message: 'later' });
    assert.deepEqual(
      seen.map((o) => (o.type === 'log' ? o.message : o.type)),
      ['line 0', 'line 1', 'always', 'pages', '3 log lines dropped (over the per-session rate)', 'later'],
    );
  });
});
