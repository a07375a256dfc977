/**
 * @module Host-granted timers: `atrium.setTimeout`/`setInterval` keep the callback in the guest and ask the host
 * for a `timer.set` with a guest-chosen id; each firing arrives as a `{ t: 'timer', id }` entry.
 */
import type { Json } from '../protocol.ts';
import { MAX_TIMER_DELAY_MS } from '../bridge/apis/timer-limits.ts';

interface Timer {
  fn: (...args: unknown[]) => unknown;
  args: unknown[];
  repeat: boolean;
}

/** What the table needs from the runtime. */
export interface TimerHost {
  call(api: string, args: Json): Promise<Json>;
  /** Runs app code with the runtime's error handling. */
  run(where: string, fn: () => unknown): void;
}

/** The live timers of one app. */
export class TimerTable {
  readonly #host: TimerHost;
  readonly #timers = new Map<number, Timer>();
  #seq = 0;

  constructor(host: TimerHost) {
    this.#host = host;
  }

  /** Number of live timers. */
  get size(): number {
    return this.#timers.size;
  }

  /** Arms a timer and returns its id (as `setTimeout` does). */
  set(fn: (...args: unknown[]) => unknown, delay: unknown, repeat: boolean, args: unknown[]): number {
    if (typeof fn !== 'function') throw new TypeError(`${repeat ? 'setInterval' : 'setTimeout'} expects a function`);
    const ms = Math.min(MAX_TIMER_DELAY_MS, Math.max(0, Math.floor(Number(delay) || 0)));
    const id = ++this.#seq;
    const timer: Timer = { fn, args, repeat };
    this.#timers.set(id, timer);
    this.#host.call('timer.set', { id, ms, repeat }).then(undefined, (error: unknown) => {
      if (this.#timers.get(id) === timer) this.#timers.delete(id);
      const code = (error as { code?: unknown })?.code;
      console.warn(`timer ${id} was refused by the host${typeof code === 'string' ? ` (${code})` : ''}`);
    });
    return id;
  }

  /** Disarms a timer; unknown ids are ignored (as `clearTimeout` does). */
  clear(id: unknown): void {
    if (typeof id !== 'number' || !this.#timers.delete(id)) return;
    this.#host.call('timer.clear', { id }).then(undefined, () => undefined);
  }

  /** A firing from the host: runs the callback (and forgets a one-shot timer). */
  fire(id: number): void {
    const timer = this.#timers.get(id);
    if (!timer) return;
    if (!timer.repeat) this.#timers.delete(id);
    this.#host.run(`timer ${id}`, () => timer.fn(...timer.args));
  }
}
