/** @module An injectable fake clock for the runtime: time moves only when a test advances it. */

import type { RuntimeClock } from '../../../runtime/src/session/types.ts';

interface FakeTimer {
  at: number;
  fn: () => void;
  id: number;
}

/** A fake clock with `advance(ms)`, which fires due timers in time order. */
export interface FakeClock extends RuntimeClock {
  advance(ms: number): Promise<void>;
  readonly pending: number;
}

/** Creates a fake clock starting at `start`. */
export function createFakeClock(start = Date.UTC(2026, 10, 23, 10, 0, 0)): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, FakeTimer>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn, id });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.values()].filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
        if (!due) break;
        timers.delete(due.id);
        now = Math.max(now, due.at);
        due.fn();
        await new Promise((resolve) => setImmediate(resolve));
      }
      now = end;
    },
    get pending() {
      return timers.size;
    },
  };
}
