/**
 * @module setData path semantics (`'user.name'`, `'items[3].done'`), as WeChat's `this.setData`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applySetData, parsePath, toJson, type Json } from '../../sdk/src/index.ts';

describe('parsePath', () => {
  it('splits names and indexes', () => {
    assert.deepEqual(parsePath('count'), ['count']);
    assert.deepEqual(parsePath('user.name'), ['user', 'name']);
    assert.deepEqual(parsePath('items[3].done'), ['items', 3, 'done']);
    assert.deepEqual(parsePath('grid[1][2]'), ['grid', 1, 2]);
    assert.deepEqual(parsePath('a.b-c.d_e'), ['a', 'b-c', 'd_e']);
  });

  it('refuses malformed paths and prototype keys', () => {
    for (const bad of ['', '.a', 'a.', 'a..b', '[0]', 'a[x]', 'a[-1]', 'a[1', 'a]', '__proto__.x', 'a.constructor', 'a.prototype', 'a[1000000]']) {
      assert.throws(() => parsePath(bad), TypeError, bad);
    }
  });
});

describe('applySetData', () => {
  const base = (): Record<string, Json> => ({ count: 1, user: { name: 'Ada', age: 36 }, items: [{ done: false }, { done: false }] });

  it('sets top-level and nested values and leaves the rest alone', () => {
    const data = base();
    applySetData(data, { count: 2, 'user.name': 'Bo', 'items[1].done': true });
    assert.deepEqual(data, { count: 2, user: { name: 'Bo', age: 36 }, items: [{ done: false }, { done: true }] });
  });

  it('creates objects and arrays on the way, padding arrays with null', () => {
    const data: Record<string, Json> = {};
    applySetData(data, { 'a.b.c': 1, 'list[2].x': 'y', 'm[0][1]': true });
    assert.deepEqual(data, { a: { b: { c: 1 } }, list: [null, null, { x: 'y' }], m: [[null, true]] });
  });

  it('replaces a scalar on the path by a container', () => {
    const data: Record<string, Json> = { user: 'nobody' };
    applySetData(data, { 'user.name': 'Ada' });
    assert.deepEqual(data, { user: { name: 'Ada' } });
  });

  it('deletes a key set to undefined and nulls an array slot', () => {
    const data = base();
    applySetData(data, { 'user.age': undefined, 'items[0]': undefined });
    assert.deepEqual(data, { count: 1, user: { name: 'Ada' }, items: [null, { done: false }] });
  });

  it('deep-copies values so later mutation does not leak into data', () => {
    const data = base();
    const todo = { title: 'milk', tags: ['a'] };
    applySetData(data, { 'items[2]': todo });
    todo.tags.push('b');
    assert.deepEqual((data.items as Json[])[2], { title: 'milk', tags: ['a'] });
  });

  it('refuses functions, cycles, name keys on arrays and non-object patches', () => {
    assert.throws(() => applySetData(base(), { f: () => 1 }), /setData\["f"\] is a function/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    assert.throws(() => applySetData(base(), { c: cyclic }), /cycle/);
    assert.throws(() => applySetData(base(), { 'items.first': 1 }), /"first" is not an index of an array/);
    assert.throws(() => applySetData(base(), null), /expects an object/);
  });

  it('never pollutes Object.prototype', () => {
    const data: Record<string, Json> = {};
    assert.throws(() => applySetData(data, JSON.parse('{"__proto__": {"polluted": true}}')), /"__proto__" may not be used as a key/);
    assert.throws(() => applySetData(data, { '__proto__.polluted': true }));
    assert.throws(() => applySetData(data, { 'a.constructor.prototype.polluted': true }));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('toJson', () => {
  it('converts dates, drops undefined fields and maps non-finite numbers to null', () => {
    assert.deepEqual(toJson({ at: new Date(0), skip: undefined, n: Number.NaN, list: [undefined, 1] }), { at: '1970-01-01T00:00:00.000Z', n: null, list: [null, 1] });
  });
  it('refuses symbols and bigints', () => {
    assert.throws(() => toJson({ s: Symbol('x') }), /value\.s is a symbol/);
    assert.throws(() => toJson({ b: 1n }), /bigint/);
  });
});
