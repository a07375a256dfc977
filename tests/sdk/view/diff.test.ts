/**
 * @module Diff/patch properties on random trees: applying `diffTrees(old, next).patches` to the old wire tree
 * gives exactly the new wire tree, which is the next view tree plus ids; unchanged nodes keep their ids; and
 * small changes to long keyed lists give O(1) records.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatches, counter, diffTrees, PATCH, stripIds, WireDocument, type PatchRecord, type ViewElement, type WireNode } from '../../../sdk/src/index.ts';
import { Gen } from '../helpers/random-tree.ts';

function ids(node: WireNode, out: number[] = []): number[] {
  out.push(node.id);
  if ('children' in node) for (const child of node.children) ids(child, out);
  return out;
}

const seen = new Map<number, number>();

function checkStep(previous: WireNode | undefined, next: ViewElement, nextId: () => number, label: string): WireNode {
  const { patches, wire } = diffTrees(previous, next, nextId);
  for (const record of patches) seen.set(record[0], (seen.get(record[0]) ?? 0) + 1);
  assert.deepEqual(stripIds(wire), next, `${label}: the wire tree is the next tree`);
  assert.deepEqual(applyPatches(previous, patches), wire, `${label}: patches turn the old tree into the new one`);
  const all = ids(wire);
  assert.equal(new Set(all).size, all.length, `${label}: ids are unique`);
  return wire;
}

describe('diffTrees and applyPatches', () => {
  it('hold the patch property on 500 random tree pairs (keyed, unkeyed and mixed children)', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const gen = new Gen(seed);
      const nextId = counter();
      const first = gen.tree();
      const wire = checkStep(undefined, first, nextId, `seed ${seed} mount`);
      const second = gen.mutate(first) as ViewElement;
      checkStep(wire, second, nextId, `seed ${seed}`);
    }
    for (const op of Object.values(PATCH)) assert.ok((seen.get(op) ?? 0) > 20, `the generator exercises opcode ${op} (${seen.get(op) ?? 0} times)`);
  });

  it('keeps a mirror in sync over 40 successive edits of the same page, 50 seeds', () => {
    for (let seed = 1000; seed < 1050; seed++) {
      const gen = new Gen(seed);
      const nextId = counter();
      const mirror = new WireDocument();
      let wire: WireNode | undefined;
      let tree = gen.tree();
      for (let step = 0; step < 40; step++) {
        const result = diffTrees(wire, tree, nextId);
        mirror.apply(result.patches);
        assert.deepEqual(mirror.root, result.wire, `seed ${seed} step ${step}`);
        wire = result.wire;
        tree = gen.mutate(tree, 0.2) as ViewElement;
      }
    }
  });

  it('produces no records for an identical tree and keeps every id', () => {
    const gen = new Gen(7);
    const tree = gen.tree();
    const nextId = counter();
    const first = diffTrees(undefined, tree, nextId);
    const again = diffTrees(first.wire, structuredClone(tree), nextId);
    assert.deepEqual(again.patches, []);
    assert.deepEqual(again.wire, first.wire);
  });

  it('mounts the first render and replaces a root whose type changed', () => {
    const nextId = counter();
    const first = diffTrees(undefined, { type: 'view', props: {}, children: ['a'] }, nextId);
    assert.deepEqual(first.patches, [[PATCH.MOUNT, { id: 1, type: 'view', props: {}, children: [{ id: 2, text: 'a' }] }]]);
    const second = diffTrees(first.wire, { type: 'text', props: {}, children: ['a'] }, nextId);
    assert.equal(second.patches.length, 1);
    assert.equal(second.patches[0]?.[0], PATCH.MOUNT);
  });

  it('replaces a child whose type changed and patches text in place', () => {
    const nextId = counter();
    const { wire } = diffTrees(undefined, { type: 'view', props: {}, children: [{ type: 'text', props: {}, children: ['x'] }, 'y'] }, nextId);
    const { patches } = diffTrees(wire, { type: 'view', props: {}, children: [{ type: 'button', props: {}, children: ['x'] }, 'z'] }, nextId);
    assert.deepEqual(
      patches.map((p) => p[0]),
      [PATCH.REMOVE, PATCH.INSERT, PATCH.TEXT],
    );
  });
});

describe('patch sizes on a 500-item keyed list', () => {
  const items = (n: number, done: (i: number) => boolean = () => false): ViewElement => ({
    type: 'list',
    props: {},
    children: Array.from({ length: n }, (_, i) => ({ type: 'view', key: `item-${i}`, props: { onTap: 'toggle', dataset: { i } }, children: [done(i) ? '✓ task' : '○ task'] })),
  });
  const setup = () => {
    const nextId = counter();
    return { nextId, wire: diffTrees(undefined, items(500), nextId).wire };
  };
  const size = (patches: PatchRecord[]): number => JSON.stringify(patches).length;

  it('toggling one item is one TEXT record of a few bytes', () => {
    const { nextId, wire } = setup();
    const { patches } = diffTrees(wire, items(500, (i) => i === 250), nextId);
    assert.equal(patches.length, 1);
    assert.equal(patches[0]?.[0], PATCH.TEXT);
    assert.ok(size(patches) < 40, `${size(patches)} bytes`);
  });

  it('moving the last item to the front is one MOVE', () => {
    const { nextId, wire } = setup();
    const next = items(500);
    next.children.unshift(next.children.pop()!);
    const { patches } = diffTrees(wire, next, nextId);
    assert.deepEqual(patches, [[PATCH.MOVE, (wire as { id: number }).id, 499, 0]]);
  });

  it('moving the first item to the end is one MOVE', () => {
    const { nextId, wire } = setup();
    const next = items(500);
    next.children.push(next.children.shift()!);
    const { patches } = diffTrees(wire, next, nextId);
    assert.equal(patches.length, 1);
    assert.equal(patches[0]?.[0], PATCH.MOVE);
    assert.deepEqual(applyPatches(wire, patches), diffTrees(wire, next, counter(10_000)).wire);
  });

  it('inserting or removing one item in the middle is one record', () => {
    const { nextId, wire } = setup();
    const inserted = items(500);
    inserted.children.splice(100, 0, { type: 'view', key: 'new', props: {}, children: ['new'] });
    const ins = diffTrees(wire, inserted, nextId).patches;
    assert.deepEqual(ins.map((p) => p[0]), [PATCH.INSERT]);
    const removed = items(500);
    removed.children.splice(100, 1);
    const rem = diffTrees(wire, removed, nextId).patches;
    assert.deepEqual(rem, [[PATCH.REMOVE, (wire as { id: number }).id, 100]]);
  });

  it('reordering keeps the ids of every item (the shell keeps their state)', () => {
    const { nextId, wire } = setup();
    const next = items(500);
    next.children.reverse();
    const result = diffTrees(wire, next, nextId);
    const before = new Map((wire as { children: Array<{ id: number; key?: string }> }).children.map((c) => [c.key, c.id]));
    for (const child of (result.wire as { children: Array<{ id: number; key?: string }> }).children) assert.equal(child.id, before.get(child.key));
    assert.equal(result.patches.length, 499);
    assert.deepEqual(applyPatches(wire, result.patches), result.wire);
  });
});
