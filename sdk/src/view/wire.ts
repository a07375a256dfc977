/**
 * @module Wire nodes: a view tree with runtime-assigned ids, as the shell holds it. Elements keep their `key`
 * (an extra optional field on the wire element) so the next diff can match keyed children and the shell can use
 * it as its own render key.
 */
import type { Json, ViewNode, WireNode } from '../protocol.ts';

/** A wire element. */
export type WireElement = Extract<WireNode, { type: string }> & { key?: string | number };
/** A wire text node. */
export type WireText = Extract<WireNode, { text: string }>;

/** True for a wire text node. */
export function isWireText(node: WireNode): node is WireText {
  return 'text' in node;
}

/** The key of a wire element, if it has one. */
export function wireKey(node: WireNode): string | number | undefined {
  return isWireText(node) ? undefined : (node as WireElement).key;
}

/**
 * Turns a view node into a fresh wire node, assigning ids depth-first (parent before children).
 * @example toWire({ type: 'text', props: {}, children: ['hi'] }, counter()); // { id: 1, type: 'text', props: {}, children: [{ id: 2, text: 'hi' }] }
 */
export function toWire(node: ViewNode, nextId: () => number): WireNode {
  if (typeof node === 'string') return { id: nextId(), text: node };
  const wire: WireElement = { id: nextId(), type: node.type, props: node.props, children: [] };
  if (node.key !== undefined) wire.key = node.key;
  for (const child of node.children) wire.children.push(toWire(child, nextId));
  return wire;
}

/**
 * A wire tree without its ids: compare it with the view tree it came from.
 * @example assert.deepEqual(stripIds(diffTrees(old, next, nextId).wire), next);
 */
export function stripIds(node: WireNode): ViewNode {
  if (isWireText(node)) return node.text;
  const key = wireKey(node);
  const view: ViewNode = { type: node.type, props: node.props, children: node.children.map(stripIds) };
  if (key !== undefined) view.key = key;
  return view;
}

/** Deep copy of a wire tree (JSON values only). */
export function cloneWire(node: WireNode): WireNode {
  if (isWireText(node)) return { id: node.id, text: node.text };
  const key = wireKey(node);
  const copy: WireElement = { id: node.id, type: node.type, props: cloneJson(node.props) as Record<string, Json>, children: node.children.map(cloneWire) };
  if (key !== undefined) copy.key = key;
  return copy;
}

/** Deep copy of a JSON value. */
export function cloneJson(value: Json): Json {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson);
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) out[k] = cloneJson(v);
  return out;
}

/** Structural equality of two JSON values (object key order ignored). */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const k of aKeys) if (!Object.hasOwn(b, k) || !jsonEqual(a[k], b[k])) return false;
  return true;
}

/**
 * A simple id counter for `diffTrees`.
 * @example const nextId = counter(); nextId(); // 1
 */
export function counter(start = 1): () => number {
  let next = start;
  return () => next++;
}
