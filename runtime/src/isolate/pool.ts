/** @module A warm pool of hardened blank isolates (prelude already run), refilled in the background. */

import type { GuestIsolate } from './guest-isolate.ts';

/** Options of `createIsolatePool`. */
export interface IsolatePoolOptions {
  /** Isolates kept ready. @default 2 */
  size: number;
  /** Creates one hardened isolate. */
  create: () => Promise<GuestIsolate>;
  /** Called when a background refill fails (the next `take` creates on demand). */
  onError?: (error: unknown) => void;
}

/** A warm pool. Isolates are never returned to it: a session's isolate is disposed when the session ends. */
export interface IsolatePool {
  /** Takes a ready isolate, or creates one if the pool is empty; starts a refill. */
  take(): Promise<GuestIsolate>;
  /** Fills the pool to its size (resolves when full). */
  fill(): Promise<void>;
  /** Ready isolates. */
  readonly ready: number;
  /** Disposes the ready isolates and stops refilling. */
  dispose(): void;
}

/** Creates a warm pool; call `fill()` once at start. */
export function createIsolatePool(options: IsolatePoolOptions): IsolatePool {
  const ready: GuestIsolate[] = [];
  let filling: Promise<void> | undefined;
  let closed = false;

  async function fillLoop(): Promise<void> {
    while (!closed && ready.length < options.size) {
      const guest = await options.create();
      if (closed) {
        guest.dispose();
        return;
      }
      ready.push(guest);
    }
  }

  function fill(): Promise<void> {
    filling ??= fillLoop().finally(() => {
      filling = undefined;
    });
    return filling;
  }

  function refillSoon(): void {
    setImmediate(() => {
      fill().catch((error: unknown) => options.onError?.(error));
    });
  }

  return {
    async take() {
      if (closed) throw new Error('isolate pool is closed');
      let guest = ready.shift();
      while (guest?.disposed) guest = ready.shift();
      refillSoon();
      return guest ?? options.create();
    },
    fill,
    get ready() {
      return ready.length;
    },
    dispose() {
      closed = true;
      for (const guest of ready.splice(0)) guest.dispose();
    },
  };
}
