/**
 * @module The SDK's JSX factory: the JSON it produces from what TSX compiles to (`jsx(type, props, key)`).
 * TSX itself is compiled by esbuild in bundle.test.ts and type-checked in tests/types/sdk-jsx.tsx.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Fragment, jsx, jsxs, toRoot, validateViewTree, type ViewElement } from '../../sdk/src/index.ts';
import { jsxDEV } from '../../sdk/src/jsx-dev-runtime.ts';

describe('jsx', () => {
  it('produces a plain JSON element with props and children', () => {
    const tree = jsxs('view', { style: { padding: 8 }, onTap: 'open', children: [jsx('text', { children: 'Hi' }), 'there'] });
    assert.deepEqual(tree, {
      type: 'view',
      props: { style: { padding: 8 }, onTap: 'open' },
      children: [{ type: 'text', props: {}, children: ['Hi'] }, 'there'],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(tree)), tree);
  });

  it('turns numbers into strings, drops booleans, null and undefined, flattens arrays and merges adjacent text', () => {
    const tree = jsx('text', { children: ['Count: ', 3, null, undefined, false, true, '', [[' items', [0]]]] });
    assert.deepEqual(tree.children, ['Count: 3 items0']);
  });

  it('lifts key out of props, from the third argument or from spread props', () => {
    assert.deepEqual(jsx('view', { children: 'a' }, 'k1'), { type: 'view', props: {}, children: ['a'], key: 'k1' });
    assert.deepEqual(jsx('view', { key: 7 }), { type: 'view', props: {}, children: [], key: 7 });
    assert.equal('key' in jsx('view', {}).props, false);
  });

  it('drops undefined props and refuses a function prop with a clear message', () => {
    assert.deepEqual(jsx('input', { value: undefined, placeholder: 'x' }).props, { placeholder: 'x' });
    assert.throws(() => jsx('button', { onTap: () => undefined }), /<button onTap>: props are JSON; an event prop names a handler/);
  });

  it('refuses objects and functions as children', () => {
    assert.throws(() => jsx('view', { children: [{ html: '<b>' }] }), /A JSX child must be a string, a number or an element, not an object/);
    assert.throws(() => jsx('view', { children: () => 'x' }), /not a function/);
  });

  it('flattens fragments into their parent and unwraps a single-element root fragment', () => {
    const inner = Fragment({ children: [jsx('text', { children: 'a' }), 'b'] });
    assert.deepEqual(jsx('view', { children: [inner, 'c'] }).children, [{ type: 'text', props: {}, children: ['a'] }, 'bc']);
    assert.deepEqual(toRoot(Fragment({ children: jsx('text', { children: 'only' }) })), { type: 'text', props: {}, children: ['only'] });
    assert.deepEqual(toRoot(Fragment({ children: ['a', jsx('view', {})] })), { type: 'view', props: {}, children: ['a', { type: 'view', props: {}, children: [] }] });
  });

  it('calls function components with their props and children and applies their key', () => {
    const Item = (props: { label: string; children?: unknown }): ViewElement => jsx('view', { children: [props.label, props.children] });
    const tree = jsx('list', { children: [1, 2].map((n) => jsx(Item as never, { label: `#${n}`, children: '!' }, n)) });
    assert.deepEqual(tree.children, [
      { type: 'view', props: {}, children: ['#1!'], key: 1 },
      { type: 'view', props: {}, children: ['#2!'], key: 2 },
    ]);
    assert.deepEqual(validateViewTree(tree), { ok: true });
  });

  it('jsxDEV gives the same output', () => {
    assert.deepEqual(jsxDEV('text', { children: ['a', 1] }, 'k'), jsx('text', { children: ['a', 1] }, 'k'));
  });
});
