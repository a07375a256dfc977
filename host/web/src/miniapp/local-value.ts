/**
 * @module Whose value a text field shows (DESIGN.md "Latency", as LiveView does it): the person's typing wins
 * while the field has focus, and the app's `value` prop wins otherwise, or when the app changes it to something
 * the person never typed (clearing the field after "add").
 */

/** How long values this field sent count as "ours" when the app echoes them back. */
export const ECHO_WINDOW_MS = 3_000;

/** Remembers what a field sent recently, to tell the app's echoes from its own changes. */
export class SentValues {
  readonly #sent: Array<{ value: string; at: number }> = [];

  /** Records a value sent at `now`. */
  add(value: string, now: number): void {
    this.#sent.push({ value, at: now });
    if (this.#sent.length > 50) this.#sent.shift();
  }

  /** True when `value` was sent within the echo window before `now`. */
  has(value: string, now: number): boolean {
    return this.#sent.some((entry) => entry.value === value && now - entry.at <= ECHO_WINDOW_MS);
  }
}

/** What the field knows when the app's `value` prop changes. */
export interface IncomingValue {
  /** The new `value` prop. */
  incoming: string;
  /** What the field shows now. */
  local: string;
  focused: boolean;
  /** Typing waits in the debouncer (not yet sent). */
  dirty: boolean;
  /** `incoming` is one of the values this field sent recently. */
  echo: boolean;
}

/**
 * True when the field should show the app's new value: always without focus; with focus only when the person
 * has nothing unsent and the value is not a late echo of their own earlier typing.
 * @example shouldAdopt({ incoming: '', local: 'milk', focused: true, dirty: false, echo: false }) // true: the app cleared the field
 */
export function shouldAdopt(state: IncomingValue): boolean {
  if (state.incoming === state.local) return false;
  if (!state.focused) return true;
  return !state.dirty && !state.echo;
}
