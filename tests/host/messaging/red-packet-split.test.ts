/**
 * The red-packet split as a property: for any total, share count, mode and random source, shares sum to the
 * total, each is at least 1 minor unit, random shares stay within [1, 2 × remaining / shares left], and equal
 * shares are equal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createSeededRandom } from '../../../host/src/core/random.ts';
import { maxRandomShare, nextShare, splitAll, uniformDraw } from '../../../host/src/messaging/red-packet-split.ts';

describe('red packet split', () => {
  it('random: shares sum to the total, each in [1, 2 × remaining / left], the last takes the rest', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 1_000_000 }), fc.string({ maxLength: 12 }), (count, extra, seed) => {
        const total = count + extra;
        const draw = uniformDraw(createSeededRandom(`split-${seed}`));
        let remaining = total;
        const shares: number[] = [];
        for (let left = count; left >= 1; left--) {
          const share = nextShare('random', remaining, left, draw);
          if (left === 1) assert.equal(share, remaining);
          else {
            assert.ok(share >= 1 && share <= Math.floor((2 * remaining) / left), `${share} of ${remaining} for ${left}`);
            assert.ok(remaining - share >= left - 1, 'every later share can still get a minor unit');
          }
          shares.push(share);
          remaining -= share;
        }
        assert.equal(shares.reduce((a, b) => a + b, 0), total);
        assert.equal(shares.length, count);
      }),
      { numRuns: 500 },
    );
  });

  it('random: any draw within the bound keeps the sum (adversarial draws: always the smallest or the largest)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 0, max: 50_000 }), fc.array(fc.boolean(), { minLength: 100, maxLength: 100 }), (count, extra, picks) => {
        let i = 0;
        const shares = splitAll('random', count + extra, count, (max) => (picks[i++ % picks.length] ? max : 1));
        assert.equal(shares.reduce((a, b) => a + b, 0), count + extra);
        assert.ok(shares.every((s) => s >= 1));
      }),
    );
  });

  it('equal: every share the same when the total divides evenly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 200 }), (count, each) => {
        const shares = splitAll('equal', count * each, count, () => assert.fail('equal shares never draw'));
        assert.deepEqual(shares, Array.from({ length: count }, () => each));
      }),
    );
  });

  it('draws uniformly: every amount of a small range comes up, none outside it', () => {
    const draw = uniformDraw(createSeededRandom('uniform'));
    const seen = new Map<number, number>();
    for (let i = 0; i < 6000; i++) {
      const value = draw(6);
      seen.set(value, (seen.get(value) ?? 0) + 1);
    }
    assert.deepEqual([...seen.keys()].sort(), [1, 2, 3, 4, 5, 6]);
    for (const n of seen.values()) assert.ok(n > 800 && n < 1200, `${n} of 6000 for one of 6 values`);
    assert.equal(maxRandomShare(100, 10), 20, 'WeChat’s example: 100 for 10 → at most 20');
    assert.equal(maxRandomShare(3, 3), 1);
    assert.throws(() => nextShare('random', 2, 3, draw), RangeError);
  });
});
