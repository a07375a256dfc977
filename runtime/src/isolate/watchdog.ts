/** @module The cpuTime watchdog: disposes isolates whose CPU outruns their entry (getter loops and continuations escape `timeout`). */

import type { GuestIsolate } from './guest-isolate.ts';

interface Watched {
  guest: GuestIsolate;
  startNs: bigint;
  limitNs: bigint;
  startWall: number;
  wallLimitMs: number;
  onTrip: (cause: 'cpu' | 'wall') => void;
}

/** Polls `isolate.cpuTime` of every watched isolate on one shared timer. */
export interface Watchdog {
  /**
   * Watches `guest` until the returned function is called. Calls `onTrip` (once) when it used more than `cpuLimitMs`
   * of CPU, or when the entry is still unsettled after `wallLimitMs` (isolated-vm can hang outside every limit).
   */
  watch(guest: GuestIsolate, cpuLimitMs: number, wallLimitMs: number, onTrip: (cause: 'cpu' | 'wall') => void): () => void;
  /** Isolates being watched. */
  readonly watching: number;
  /**
   * Records a call into an isolate the watchdog disposed. Such a call normally rejects at once; one still pending
   * later means an isolated-vm thread is stuck past `dispose()` (a hostile value in its error conversion, §2.4.1).
   */
  abandon(call: Promise<unknown>): void;
  /** Abandoned calls still pending after `ms`: each is a thread only a process restart stops. */
  stuck(ms: number): number;
  /** Stops the timer. */
  stop(): void;
}

/** Creates a watchdog ticking every `intervalMs` while anything is watched. reference/sandbox.md §6.4 */
export function createWatchdog(intervalMs: number): Watchdog {
  const watched = new Set<Watched>();
  const abandoned = new Map<Promise<unknown>, number>();
  let timer: NodeJS.Timeout | undefined;

  function tick(): void {
    for (const item of watched) {
      const overCpu = item.guest.cpuNs() - item.startNs > item.limitNs;
      const overWall = Date.now() - item.startWall > item.wallLimitMs;
      if (overCpu || overWall) {
        watched.delete(item);
        item.onTrip(overCpu ? 'cpu' : 'wall');
      }
    }
    if (watched.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    watch(guest, cpuLimitMs, wallLimitMs, onTrip) {
      const item: Watched = {
        guest,
        startNs: guest.cpuNs(),
        limitNs: BigInt(Math.ceil(cpuLimitMs * 1e6)),
        startWall: Date.now(),
        wallLimitMs,
        onTrip,
      };
      watched.add(item);
      if (!timer) {
        timer = setInterval(tick, intervalMs);
        timer.unref();
      }
      return () => {
        watched.delete(item);
      };
    },
    get watching() {
      return watched.size;
    },
    abandon(call) {
      abandoned.set(call, Date.now());
      call.then(
        () => abandoned.delete(call),
        () => abandoned.delete(call),
      );
    },
    stuck(ms) {
      const before = Date.now() - ms;
      let count = 0;
      for (const since of abandoned.values()) if (since <= before) count++;
      return count;
    },
    stop() {
      watched.clear();
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
