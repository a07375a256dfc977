/**
 * @module Fixed-window counters for throttling (sign-in, sign-up, tickets). The in-memory store suits one
 * process; a multi-process deployment puts a Redis store behind the same interface.
 */
import { AtriumError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';

/** Counts events per key in windows. */
export interface RateLimiter {
  /** How many events `key` has in its current window, and when that window ends. */
  peek(key: string): { count: number; resetAt: number };
  /** Counts one event for `key` in a window of `windowMs`. */
  hit(key: string, windowMs: number): { count: number; resetAt: number };
  /** Forgets `key` (e.g. after a successful sign-in). */
  reset(key: string): void;
}

/** An in-memory limiter; swept as it goes so it stays bounded by the number of active keys. */
export function createMemoryRateLimiter(clock: Clock): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = 0;
  function sweep(now: number): void {
    if (now < nextSweep) return;
    nextSweep = now + 60_000;
    for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
  }
  return {
    peek(key) {
      const now = clock.now();
      const window = windows.get(key);
      return window && window.resetAt > now ? { ...window } : { count: 0, resetAt: now };
    },
    hit(key, windowMs) {
      const now = clock.now();
      sweep(now);
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return { ...window };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}

/** Throws `RATE_LIMITED` with `Retry-After` when `key` already has `limit` events in its window. */
export function assertUnderLimit(limiter: RateLimiter, clock: Clock, key: string, limit: number): void {
  const { count, resetAt } = limiter.peek(key);
  if (count < limit) return;
  const retryAfter = Math.max(1, Math.ceil((resetAt - clock.now()) / 1000));
  throw new AtriumError({
    code: 'RATE_LIMITED',
    detail: `Too many attempts. Try again in ${retryAfter} seconds.`,
    extensions: { retryAfter },
    headers: { 'Retry-After': String(retryAfter) },
  });
}
