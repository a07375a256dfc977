/**
 * @module The input debouncer (DESIGN.md "Latency"): typing keeps its value locally and sends the latest value
 * 150 ms after the last keystroke; blur and confirm flush it at once so the app never misses the final text.
 */

/** Timer functions, injectable for tests. */
export interface Timers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const GLOBAL_TIMERS: Timers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How long typing waits before its change event goes out. */
export const INPUT_DEBOUNCE_MS = 150;

/**
 * Sends the last pushed value once pushes pause for `delayMs`.
 * @example const d = new Debouncer((v) => send(v)); d.push('a'); d.push('ab'); d.flush(); // sends 'ab' once
 */
export class Debouncer<T> {
  readonly #send: (value: T) => void;
  readonly #delayMs: number;
  readonly #timers: Timers;
  #timer: unknown;
  #value: { v: T } | undefined;

  constructor(send: (value: T) => void, delayMs: number = INPUT_DEBOUNCE_MS, timers: Timers = GLOBAL_TIMERS) {
    this.#send = send;
    this.#delayMs = delayMs;
    this.#timers = timers;
  }

  /** Remembers `value` and (re)starts the wait. */
  push(value: T): void {
    this.#value = { v: value };
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = this.#timers.set(() => this.flush(), this.#delayMs);
  }

  /** Sends the waiting value now; true when there was one. */
  flush(): boolean {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    const pending = this.#value;
    this.#value = undefined;
    if (!pending) return false;
    this.#send(pending.v);
    return true;
  }

  /** Drops the waiting value (the input went away). */
  cancel(): void {
    if (this.#timer !== undefined) this.#timers.clear(this.#timer);
    this.#timer = undefined;
    this.#value = undefined;
  }

  /** True while a value waits to be sent. */
  get pending(): boolean {
    return this.#value !== undefined;
  }
}
