/** @module A counting semaphore: bounds the entries running at once in the runtime process (a run queue). */

/** Bounds concurrency; waiters are served first come, first served. */
export class Semaphore {
  readonly #max: number;
  #active = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(max: number) {
    this.#max = Math.max(1, max);
  }

  /** Waits for a slot; call the returned function exactly once to free it. */
  async acquire(): Promise<() => void> {
    if (this.#active >= this.#max) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    else this.#active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#active--;
    };
  }

  /** Entries running now. */
  get active(): number {
    return this.#active;
  }

  /** Entries waiting for a slot. */
  get waiting(): number {
    return this.#waiters.length;
  }
}
