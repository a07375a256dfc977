/** @module Guest timers granted by the runtime: a minimum delay, a maximum count, each firing a new timed entry. */

import { RuntimeError } from '../codes.ts';
import type { RuntimeClock } from './types.ts';

/** Options of a session's timers. */
export interface GuestTimersOptions {
  clock: RuntimeClock;
  max: number;
  minMs: number;
  /** Called when a timer fires (the session queues a `{ t: 'timer', id }` entry). */
  fire: (id: number) => void;
}

/** The live timers of one session, keyed by the guest's timer id. */
export class GuestTimers {
  readonly #options: GuestTimersOptions;
  readonly #timers = new Map<number, unknown>();

  constructor(options: GuestTimersOptions) {
    this.#options = options;
  }

  /** Starts (or restarts) timer `id`; RATE_LIMITED when the session already has `max` timers. */
  set(id: number, ms: number, repeat: boolean): void {
    this.clear(id);
    if (this.#timers.size >= this.#options.max) {
      throw new RuntimeError('RATE_LIMITED', `At most ${this.#options.max} timers can be active`);
    }
    const delay = Math.max(this.#options.minMs, Math.floor(ms));
    const arm = (): void => {
      const handle = this.#options.clock.setTimeout(() => {
        if (repeat) arm();
        else this.#timers.delete(id);
        this.#options.fire(id);
      }, delay);
      this.#timers.set(id, handle);
    };
    arm();
  }

  /** Stops timer `id` (no error if it is not running). */
  clear(id: number): void {
    const handle = this.#timers.get(id);
    if (handle === undefined) return;
    this.#options.clock.clearTimeout(handle);
    this.#timers.delete(id);
  }

  /** Active timers. */
  get size(): number {
    return this.#timers.size;
  }

  /** Stops every timer. */
  clearAll(): void {
    for (const handle of this.#timers.values()) this.#options.clock.clearTimeout(handle);
    this.#timers.clear();
  }
}
