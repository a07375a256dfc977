/**
 * @module Pending presses (DESIGN.md "Latency"): a tapped button shows its loading state at once and stays
 * disabled until the next patch for its page arrives (the app answered), or 5 s pass (it did not).
 */

/** How long a press waits for its page's patch before the button comes back. */
export const PRESS_TIMEOUT_MS = 5_000;

/** Which buttons of which pages wait for an answer. */
export class PendingPresses {
  readonly #byPage = new Map<number, Map<number, number>>();
  readonly #timeoutMs: number;

  constructor(timeoutMs: number = PRESS_TIMEOUT_MS) {
    this.#timeoutMs = timeoutMs;
  }

  /** Node `nodeId` of page `pageId` was pressed at `now`. */
  press(pageId: number, nodeId: number, now: number): void {
    let page = this.#byPage.get(pageId);
    if (!page) this.#byPage.set(pageId, (page = new Map()));
    page.set(nodeId, now + this.#timeoutMs);
  }

  /** True while the press waits (no patch for its page yet, not timed out). */
  isPending(pageId: number, nodeId: number, now: number): boolean {
    const until = this.#byPage.get(pageId)?.get(nodeId);
    return until !== undefined && now < until;
  }

  /** A patch for page `pageId` arrived: every press on it is answered. True when one was waiting. */
  patched(pageId: number): boolean {
    return this.#byPage.delete(pageId);
  }

  /** The press failed (its event was refused): the button comes back at once. */
  release(pageId: number, nodeId: number): void {
    const page = this.#byPage.get(pageId);
    page?.delete(nodeId);
    if (page?.size === 0) this.#byPage.delete(pageId);
  }

  /** Forgets presses of pages no longer on the stack, and the timed-out ones. */
  prune(livePages: ReadonlySet<number>, now: number): void {
    for (const [pageId, page] of this.#byPage) {
      if (!livePages.has(pageId)) {
        this.#byPage.delete(pageId);
        continue;
      }
      for (const [nodeId, until] of page) if (until <= now) page.delete(nodeId);
      if (page.size === 0) this.#byPage.delete(pageId);
    }
  }

  /** When the next press times out (to re-render then), or `undefined` when none waits. */
  nextExpiry(): number | undefined {
    let next: number | undefined;
    for (const page of this.#byPage.values()) for (const until of page.values()) if (next === undefined || until < next) next = until;
    return next;
  }
}
