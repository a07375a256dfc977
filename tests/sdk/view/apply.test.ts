/**
 * @module applyPatches and WireDocument: pure application, in-place mirrors, and clear errors on records that
 * do not fit (so the shell can ask for full trees again).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyPatches, counter, diffTrees, PATCH, PatchError, WireDocument, type PatchRecord, type WireNode } from '../../../sdk/src/index.ts';

const page = (): WireNode => ({ id: 1, type: 'view', props: { a: 1 }, children: [{ id: 2, text: 'x' }, { id: 3, type: 'text', props: {}, children: [] }] });

describe('applyPatches', () => {
  it('does not modify the old tree or the patches', () => {
    const old = page();
    const insert: PatchRecord = [PATCH.INSERT, 3, 0, { id: 4, text: 'new' }];
    const patches: PatchRecord[] = [[PATCH.PROPS, 1, { a: 2, b: { c: 1 } }, []], insert, [PATCH.TEXT, 2, 'y']];
    const frozen = JSON.stringify({ old, patches });
    const next = applyPatches(old, patches);
    assert.equal(JSON.stringify({ old, patches }), frozen);
    assert.deepEqual(next, { id: 1, type: 'view', props: { a: 2, b: { c: 1 } }, children: [{ id: 2, text: 'y' }, { id: 3, type: 'text', props: {}, children: [{ id: 4, text: 'new' }] }] });
    (next as { props: Record<string, unknown> }).props.b = 'changed';
    assert.deepEqual(patches[0], [PATCH.PROPS, 1, { a: 2, b: { c: 1 } }, []]);
  });

  it('applies REMOVE, MOVE and PROPS unset', () => {
    const next = applyPatches(page(), [[PATCH.MOVE, 1, 1, 0], [PATCH.REMOVE, 1, 1], [PATCH.PROPS, 1, {}, ['a']]]);
    assert.deepEqual(next, { id: 1, type: 'view', props: {}, children: [{ id: 3, type: 'text', props: {}, children: [] }] });
  });

  it('throws a PatchError naming the record for unknown ids, bad indexes and text targets', () => {
    const cases: Array<[PatchRecord, RegExp]> = [
      [[PATCH.TEXT, 99, 'x'], /patch 0: TEXT: no text node with id 99/],
      [[PATCH.INSERT, 1, 5, { id: 9, text: 'x' }], /INSERT: index 5 out of range 0\.\.2/],
      [[PATCH.REMOVE, 1, 2], /REMOVE: index 2 out of range/],
      [[PATCH.MOVE, 1, 0, 2], /MOVE: to 2 out of range/],
      [[PATCH.PROPS, 2, {}, []], /PROPS: node 2 is a text/],
      [[PATCH.INSERT, 1, 0, { id: 3, text: 'dup' }], /duplicate node id 3/],
    ];
    for (const [record, message] of cases) assert.throws(() => applyPatches(page(), [record]), (e: unknown) => e instanceof PatchError && message.test(e.message));
    assert.throws(() => applyPatches(undefined, []), /the first record must be a MOUNT/);
  });
});

describe('WireDocument', () => {
  it('mirrors a page in place and indexes nodes by id', () => {
    const nextId = counter();
    const doc = new WireDocument();
    const first = diffTrees(undefined, { type: 'view', props: {}, children: ['a'] }, nextId);
    doc.apply(first.patches);
    const second = diffTrees(first.wire, { type: 'view', props: {}, children: ['a', { type: 'text', props: {}, children: ['b'] }] }, nextId);
    doc.apply(second.patches);
    assert.deepEqual(doc.root, second.wire);
    assert.deepEqual(doc.get(3), { id: 3, type: 'text', props: {}, children: [{ id: 4, text: 'b' }] });
    doc.apply([[PATCH.REMOVE, 1, 1]]);
    assert.equal(doc.get(3), undefined);
    assert.equal(doc.get(4), undefined, 'removed subtrees leave the index');
  });
});
