/**
 * @module Latency hiding (DESIGN.md "Latency"): the input debouncer, whose value a focused field shows, and
 * the pending-press bookkeeping that keeps a tapped button busy until its page's next patch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Debouncer, type Timers } from '../../host/web/src/miniapp/debounce.ts';
import { SentValues, shouldAdopt } from '../../host/web/src/miniapp/local-value.ts';
import { PendingPresses, PRESS_TIMEOUT_MS } from '../../host/web/src/miniapp/pending.ts';

/** Manual timers: `tick(ms)` runs what falls due. */
function fakeTimers(): Timers & { tick(ms: number): void; pending(): number } {
  let now = 0;
  let next = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  return {
    set(callback, ms) {
      const id = next++;
      timers.set(id, { at: now + ms, callback });
      return id;
    },
    clear(handle) {
      timers.delete(handle as number);
    },
    tick(ms) {
      now += ms;
      for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
        if (timer.at > now) continue;
        timers.delete(id);
        timer.callback();
      }
    },
    pending: () => timers.size,
  };
}

describe('input debouncer', () => {
  it('sends only the last value, 150 ms after the last keystroke', () => {
    const timers = fakeTimers();
    const sent: string[] = [];
    const debouncer = new Debouncer<string>((value) => sent.push(value), 150, timers);
    debouncer.push('m');
    timers.tick(100);
    debouncer.push('mi');
    timers.tick(100);
    debouncer.push('mil');
    timers.tick(149);
    assert.deepEqual(sent, []);
    assert.equal(debouncer.pending, true);
    timers.tick(1);
    assert.deepEqual(sent, ['mil']);
    assert.equal(debouncer.pending, false);
  });

  it('flushes at once on blur or confirm, and only once', () => {
    const timers = fakeTimers();
    const sent: string[] = [];
    const debouncer = new Debouncer<string>((value) => sent.push(value), 150, timers);
    debouncer.push('milk');
    assert.equal(debouncer.flush(), true);
    assert.deepEqual(sent, ['milk']);
    timers.tick(500);
    assert.deepEqual(sent, ['milk'], 'the timer was cleared');
    assert.equal(debouncer.flush(), false, 'nothing left to send');
    assert.equal(timers.pending(), 0);
  });

  it('drops the waiting value on cancel', () => {
    const timers = fakeTimers();
    const sent: string[] = [];
    const debouncer = new Debouncer<string>((value) => sent.push(value), 150, timers);
    debouncer.push('x');
    debouncer.cancel();
    timers.tick(1000);
    assert.deepEqual(sent, []);
  });
});

describe("a field's value", () => {
  it("follows the app's value without focus", () => {
    assert.equal(shouldAdopt({ incoming: 'from app', local: 'typed', focused: false, dirty: false, echo: false }), true);
  });

  it('keeps the typing while it waits to be sent, and ignores late echoes of it', () => {
    assert.equal(shouldAdopt({ incoming: 'mil', local: 'milk', focused: true, dirty: true, echo: true }), false);
    assert.equal(shouldAdopt({ incoming: 'mil', local: 'milk', focused: true, dirty: false, echo: true }), false);
  });

  it('takes a change the person never typed even with focus (the app cleared the field)', () => {
    assert.equal(shouldAdopt({ incoming: '', local: 'milk', focused: true, dirty: false, echo: false }), true);
  });

  it('remembers sent values for a few seconds', () => {
    const sent = new SentValues();
    sent.add('mil', 1000);
    assert.equal(sent.has('mil', 2000), true);
    assert.equal(sent.has('mil', 10_000), false);
    assert.equal(sent.has('milk', 2000), false);
  });
});

describe('pending presses', () => {
  it('keeps a pressed button busy until the next patch for its page', () => {
    const presses = new PendingPresses();
    presses.press(1, 42, 0);
    presses.press(2, 7, 0);
    assert.equal(presses.isPending(1, 42, 10), true);
    assert.equal(presses.isPending(1, 43, 10), false);
    assert.equal(presses.patched(2), true, 'a patch for another page answers only that page');
    assert.equal(presses.isPending(1, 42, 20), true);
    assert.equal(presses.patched(1), true);
    assert.equal(presses.isPending(1, 42, 30), false);
    assert.equal(presses.patched(1), false, 'nothing was waiting any more');
  });

  it('gives the button back after 5 s without an answer', () => {
    const presses = new PendingPresses();
    presses.press(1, 42, 1000);
    assert.equal(presses.nextExpiry(), 1000 + PRESS_TIMEOUT_MS);
    assert.equal(presses.isPending(1, 42, 1000 + PRESS_TIMEOUT_MS - 1), true);
    assert.equal(presses.isPending(1, 42, 1000 + PRESS_TIMEOUT_MS), false);
    presses.prune(new Set([1]), 1000 + PRESS_TIMEOUT_MS);
    assert.equal(presses.nextExpiry(), undefined);
  });

  it('releases a refused press at once and forgets pages that left the stack', () => {
    const presses = new PendingPresses();
    presses.press(1, 42, 0);
    presses.release(1, 42);
    assert.equal(presses.isPending(1, 42, 1), false);
    presses.press(3, 5, 0);
    presses.prune(new Set([1]), 1);
    assert.equal(presses.isPending(3, 5, 2), false);
  });
});
