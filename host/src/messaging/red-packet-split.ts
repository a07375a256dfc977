/**
 * @module How a red packet's shares are sized, in integer minor units. A random ("拼手气") share is computed when it
 * is opened, not in advance: uniform in [1, 2 × remaining / remaining shares], capped so that every later share
 * can still get at least 1 minor unit; the last share takes the rest. So the shares always sum to the total and
 * no share is ever 0. See shared/reference/payments.md §2.9.
 */
import type { Random } from '../core/random.ts';

/** `random`: WeChat's lucky draw; `equal`: every share the same (the total divides evenly). */
export type SplitMode = 'random' | 'equal';

/** The largest amount the next random share may take, with `remaining` left for `count` shares (count ≥ 1). */
export function maxRandomShare(remaining: number, count: number): number {
  if (count <= 1) return remaining;
  return Math.max(1, Math.min(Math.floor((2 * remaining) / count), remaining - (count - 1)));
}

/**
 * The next share's amount with `remaining` minor units left for `count` shares (remaining ≥ count ≥ 1).
 * `draw(max)` returns a uniform integer in [1, max].
 */
export function nextShare(mode: SplitMode, remaining: number, count: number, draw: (max: number) => number): number {
  if (!Number.isSafeInteger(remaining) || !Number.isSafeInteger(count) || count < 1 || remaining < count) {
    throw new RangeError(`cannot split ${remaining} into ${count} shares of at least 1`);
  }
  if (count === 1) return remaining;
  if (mode === 'equal') return Math.floor(remaining / count);
  const max = maxRandomShare(remaining, count);
  const share = draw(max);
  if (!Number.isSafeInteger(share) || share < 1 || share > max) throw new RangeError(`draw(${max}) returned ${share}`);
  return share;
}

/**
 * A uniform integer in [1, max] from `random` (rejection sampling over 48 bits, so there is no modulo bias).
 * @example uniformDraw(systemRandom)(2000)
 */
export function uniformDraw(random: Random): (max: number) => number {
  return (max) => {
    if (max <= 1) return 1;
    const limit = 2 ** 48 - (2 ** 48 % max);
    for (;;) {
      const value = random.bytes(6).readUIntBE(0, 6);
      if (value < limit) return 1 + (value % max);
    }
  };
}

/** Splits `total` into `count` shares at once (for tests and previews; real packets split as they are opened). */
export function splitAll(mode: SplitMode, total: number, count: number, draw: (max: number) => number): number[] {
  const shares: number[] = [];
  let remaining = total;
  for (let left = count; left >= 1; left--) {
    const share = nextShare(mode, remaining, left, draw);
    shares.push(share);
    remaining -= share;
  }
  return shares;
}
