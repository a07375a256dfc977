/** @module checkEventDetail: what a tap's detail may be before it reaches the runtime. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkEventDetail } from '../../runtime/src/bridge/json.ts';

describe('checkEventDetail', () => {
  it('passes nothing and empty objects as they are, and copies everything else cleaned', () => {
    assert.deepEqual(checkEventDetail(undefined, 100, 4), { ok: true, detail: null });
    assert.deepEqual(checkEventDetail(null, 100, 4), { ok: true, detail: null });
    const empty = {};
    const checked = checkEventDetail(empty, 100, 4);
    assert.deepEqual(checked, { ok: true, detail: {} });
    assert.notEqual((checked as { detail: unknown }).detail, empty, 'a fresh object, not the caller’s');
    assert.deepEqual(checkEventDetail(JSON.parse('{"value":"a","__proto__":{"x":1}}'), 100, 4), { ok: true, detail: { value: 'a' } });
    assert.deepEqual(checkEventDetail([], 100, 4), { ok: true, detail: [] });
  });

  it('refuses details that are too large, too deep or not JSON', () => {
    assert.equal(checkEventDetail({ text: 'x'.repeat(200) }, 100, 4).ok, false);
    assert.equal(checkEventDetail({ a: { b: { c: { d: { e: 1 } } } } }, 1000, 4).ok, false);
    assert.equal(checkEventDetail(10n, 100, 4).ok, false);
    assert.equal(checkEventDetail(Object.create(Array.prototype), 100, 4).ok, true, 'an odd prototype goes the slow way, which copies it to plain JSON');
  });
});
