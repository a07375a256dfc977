/** @module Per-session rate primitives: a token bucket, a sliding window, a CPU-time window and a log limiter. */

import type { RuntimeOutput } from './types.ts';

/** A token bucket over an injectable clock. */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(perSecond: number, burst: number, now: () => number) {
    this.#rate = perSecond;
    this.#burst = Math.max(1, burst);
    this.#now = now;
    this.#tokens = this.#burst;
    this.#at = now();
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#at) * this.#rate) / 1000);
    this.#at = now;
  }

  /** Takes a token if one is available. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Milliseconds until a token is available (0 if one is). */
  waitMs(): number {
    this.#refill();
    if (this.#tokens >= 1) return 0;
    return this.#rate > 0 ? Math.ceil(((1 - this.#tokens) * 1000) / this.#rate) : Infinity;
  }
}

/** At most `max` events in any sliding window of `windowMs` (strict, unlike a token bucket's burst + refill). */
export class SlidingWindow {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #times: number[] = [];

  constructor(max: number, windowMs: number, now: () => number) {
    this.#max = Math.max(1, max);
    this.#windowMs = windowMs;
    this.#now = now;
  }

  #trim(now: number): void {
    while (this.#times.length > 0 && (this.#times[0] ?? now) <= now - this.#windowMs) this.#times.shift();
  }

  /** Records an event if the window has room. */
  take(): boolean {
    const now = this.#now();
    this.#trim(now);
    if (this.#times.length >= this.#max) return false;
    this.#times.push(now);
    return true;
  }

  /** Milliseconds until the window has room (0 if it has). */
  waitMs(): number {
    const now = this.#now();
    this.#trim(now);
    if (this.#times.length < this.#max) return 0;
    return Math.max(1, (this.#times[0] ?? now) + this.#windowMs - now);
  }
}

/** CPU charged to a session in a sliding window; over budget means the session is stopped. */
export class CpuWindow {
  readonly #windowMs: number;
  readonly #budgetNs: bigint;
  readonly #now: () => number;
  #charges: Array<{ at: number; ns: bigint }> = [];
  #total = 0n;

  constructor(budgetMs: number, windowMs: number, now: () => number) {
    this.#budgetNs = BigInt(Math.round(budgetMs * 1e6));
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Adds CPU used; returns false once the window's total exceeds the budget. */
  charge(ns: bigint): boolean {
    const now = this.#now();
    if (ns > 0n) {
      this.#charges.push({ at: now, ns });
      this.#total += ns;
    }
    while (this.#charges.length > 0 && (this.#charges[0]?.at ?? now) <= now - this.#windowMs) {
      this.#total -= this.#charges.shift()?.ns ?? 0n;
    }
    return this.#total <= this.#budgetNs;
  }

  /** CPU in the current window, ms. */
  get usedMs(): number {
    return Number(this.#total) / 1e6;
  }
}

/** Passes outputs through, except that warn/info/debug logs are limited per session (a guest can log on every entry). */
export function rateLimitedLogs(emit: (output: RuntimeOutput) => void, sessionId: string, tokens: TokenBucket): (output: RuntimeOutput) => void {
  let dropped = 0;
  return (output) => {
    if (output.type !== 'log' || output.level === 'error') return emit(output);
    if (!tokens.take()) {
      dropped++;
      return;
    }
    if (dropped > 0) emit({ type: 'log', level: 'warn', sessionId, message: `${dropped} log lines dropped (over the per-session rate)` });
    dropped = 0;
    emit(output);
  };
}
