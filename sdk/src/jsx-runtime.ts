/**
 * @module The SDK's JSX factory (automatic runtime): TSX in `render` produces plain JSON view trees.
 *
 * Enable it per file with `/** @jsxImportSource @atrium/sdk *\/` (or `"jsxImportSource": "@atrium/sdk"` in the
 * app's tsconfig; esbuild reads the same setting). Children are normalized: numbers become strings, booleans,
 * `null` and `undefined` are dropped, arrays and fragments are flattened, adjacent strings are merged, and `key`
 * is lifted out of props. Props that are `undefined` are dropped; a function prop is an error (event props name
 * handlers). Function components are called at once and may take a `key`.
 */
import type { ViewElement, ViewNode } from './protocol.ts';
import type { ComponentChildren, ComponentName, ComponentProps } from './view/registry.ts';

/** A `key` for keyed children. */
export type Key = string | number;

/** Anything that may appear as a JSX child. */
export type Child = ViewNode | number | boolean | null | undefined | readonly Child[];

/** A function component: a pure function of its props returning an element. */
export type FunctionComponent<P = Record<string, unknown>> = (props: P) => ViewElement;

/** The element type of fragments until they are flattened into their parent. */
export const FRAGMENT_TYPE = '#fragment';

type ChildrenProp<C> = C extends 'none' ? { children?: never } : { children?: Child };

/** The JSX types the TypeScript compiler looks up for `jsxImportSource: "@atrium/sdk"`. */
export declare namespace JSX {
  type Element = ViewElement;
  interface ElementChildrenAttribute {
    children: unknown;
  }
  interface IntrinsicAttributes {
    key?: Key;
  }
  type IntrinsicElements = { [N in ComponentName]: ComponentProps<N> & ChildrenProp<ComponentChildren<N>> & { key?: Key } };
}

/** Flattens JSX children into view nodes (see the module header for the rules). */
export function normalizeChildren(children: unknown): ViewNode[] {
  const out: ViewNode[] = [];
  const push = (child: unknown): void => {
    if (child === null || child === undefined || typeof child === 'boolean') return;
    if (Array.isArray(child)) {
      for (const item of child) push(item);
      return;
    }
    if (typeof child === 'number' || typeof child === 'bigint') {
      push(String(child));
      return;
    }
    if (typeof child === 'string') {
      if (child === '') return;
      const last = out.length - 1;
      if (last >= 0 && typeof out[last] === 'string') out[last] = `${out[last] as string}${child}`;
      else out.push(child);
      return;
    }
    if (typeof child === 'object' && typeof (child as ViewElement).type === 'string' && Array.isArray((child as ViewElement).children)) {
      const element = child as ViewElement;
      if (element.type === FRAGMENT_TYPE) push(element.children);
      else out.push(element);
      return;
    }
    throw new TypeError(`A JSX child must be a string, a number or an element, not ${typeof child === 'function' ? 'a function' : 'an object'}`);
  };
  push(children);
  return out;
}

/**
 * Creates a view element (what TSX compiles to).
 * @example
 * jsx('button', { onTap: 'add', children: 'Add' }); // { type: 'button', props: { onTap: 'add' }, children: ['Add'] }
 */
export function jsx(type: string | FunctionComponent<never>, props: Record<string, unknown> | null, key?: Key): ViewElement {
  const input = props ?? {};
  const lifted = key ?? (input.key as Key | undefined);
  if (typeof type === 'function') {
    const element = (type as FunctionComponent<Record<string, unknown>>)(input);
    return lifted === undefined ? element : { ...element, key: lifted };
  }
  const out: Record<string, ViewElement['props'][string]> = {};
  for (const name of Object.keys(input)) {
    if (name === 'children' || name === 'key') continue;
    const value = input[name];
    if (value === undefined) continue;
    if (typeof value === 'function') {
      throw new TypeError(`<${type} ${name}>: props are JSON; an event prop names a handler ("${name}: 'myHandler'"), never a function`);
    }
    out[name] = value as ViewElement['props'][string];
  }
  const element: ViewElement = { type, props: out, children: normalizeChildren(input.children) };
  if (lifted !== undefined) element.key = lifted;
  return element;
}

/** `jsx` for elements with several static children (same behaviour). */
export const jsxs = jsx;

/**
 * Groups children without a wrapper element; flattened into the parent.
 * @example <><text>a</text><text>b</text></>
 */
export function Fragment(props: { children?: Child }): ViewElement {
  return { type: FRAGMENT_TYPE, props: {}, children: normalizeChildren(props.children) };
}

/**
 * The root a page renders: a fragment with one element becomes that element, otherwise it is wrapped in a `view`.
 * @example toRoot(<><text>a</text></>); // { type: 'text', … }
 */
export function toRoot(node: ViewNode): ViewNode {
  if (typeof node === 'string' || node.type !== FRAGMENT_TYPE) return node;
  const [only] = node.children;
  if (node.children.length === 1 && only !== undefined && typeof only !== 'string') return only;
  return { type: 'view', props: {}, children: node.children };
}
