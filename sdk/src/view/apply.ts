/**
 * @module Applying patch records: `WireDocument`, a DOM-free mirror of a page that applies patches in place
 * (with an id index, O(1) per record), and the pure `applyPatches` used by tests and by the runtime's checks.
 */
import { PATCH, type Json, type PatchRecord, type WireNode } from '../protocol.ts';
import { cloneJson, cloneWire, isWireText, type WireElement } from './wire.ts';

/** A patch record that cannot be applied (unknown id, index out of range, text vs element). */
export class PatchError extends Error {
  readonly index: number;
  constructor(index: number, message: string) {
    super(`patch ${index}: ${message}`);
    this.name = 'PatchError';
    this.index = index;
  }
}

const NAMES = ['MOUNT', 'INSERT', 'REMOVE', 'TEXT', 'PROPS', 'MOVE'] as const;

/**
 * A page as the shell holds it. `apply` mutates the tree in place; inserted nodes and prop values are copied,
 * so the document never aliases patch payloads.
 * @example
 * const page = new WireDocument();
 * page.apply(message.patches);       // then render page.root with the shell's components
 * page.get(12);                      // the node with id 12
 */
export class WireDocument {
  #root: WireNode | undefined;
  readonly #index = new Map<number, WireNode>();

  constructor(root?: WireNode) {
    if (root) this.#mount(root);
  }

  /** The current tree, or undefined before the first `MOUNT`. */
  get root(): WireNode | undefined {
    return this.#root;
  }

  /** The node with this id. */
  get(id: number): WireNode | undefined {
    return this.#index.get(id);
  }

  /** Applies records in order; throws a {@link PatchError} at the first one that does not fit. */
  apply(patches: readonly PatchRecord[]): void {
    patches.forEach((record, i) => this.#applyOne(record, i));
  }

  #applyOne(record: PatchRecord, i: number): void {
    const fail = (message: string): never => {
      throw new PatchError(i, `${NAMES[record[0]] ?? 'unknown'}: ${message}`);
    };
    const element = (id: number): WireElement => {
      const node = this.#index.get(id);
      if (node === undefined) return fail(`no node with id ${id}`);
      if (isWireText(node)) return fail(`node ${id} is a text`);
      return node as WireElement;
    };
    switch (record[0]) {
      case PATCH.MOUNT:
        this.#index.clear();
        this.#mount(cloneWire(record[1]));
        return;
      case PATCH.INSERT: {
        const [, parentId, at, payload] = record;
        const parent = element(parentId);
        if (!Number.isInteger(at) || at < 0 || at > parent.children.length) fail(`index ${at} out of range 0..${parent.children.length}`);
        const node = cloneWire(payload);
        this.#indexTree(node, fail);
        parent.children.splice(at, 0, node);
        return;
      }
      case PATCH.REMOVE: {
        const [, parentId, at] = record;
        const parent = element(parentId);
        if (!Number.isInteger(at) || at < 0 || at >= parent.children.length) fail(`index ${at} out of range 0..${parent.children.length - 1}`);
        const [removed] = parent.children.splice(at, 1);
        if (removed) this.#unindexTree(removed);
        return;
      }
      case PATCH.TEXT: {
        const [, id, text] = record;
        const node = this.#index.get(id);
        if (node === undefined || !isWireText(node)) return fail(`no text node with id ${id}`);
        node.text = text;
        return;
      }
      case PATCH.PROPS: {
        const [, id, set, unset] = record;
        const node = element(id);
        const props: Record<string, Json> = { ...node.props };
        for (const [name, value] of Object.entries(set)) props[name] = cloneJson(value);
        for (const name of unset) delete props[name];
        node.props = props;
        return;
      }
      case PATCH.MOVE: {
        const [, parentId, from, to] = record;
        const parent = element(parentId);
        const length = parent.children.length;
        if (!Number.isInteger(from) || from < 0 || from >= length) fail(`from ${from} out of range 0..${length - 1}`);
        if (!Number.isInteger(to) || to < 0 || to >= length) fail(`to ${to} out of range 0..${length - 1}`);
        const [node] = parent.children.splice(from, 1);
        if (node) parent.children.splice(to, 0, node);
        return;
      }
      default:
        fail('unknown opcode');
    }
  }

  #mount(root: WireNode): void {
    this.#root = root;
    this.#indexTree(root, (message) => {
      throw new PatchError(0, `MOUNT: ${message}`);
    });
  }

  #indexTree(node: WireNode, fail: (message: string) => never): void {
    if (this.#index.has(node.id)) fail(`duplicate node id ${node.id}`);
    this.#index.set(node.id, node);
    if (!isWireText(node)) for (const child of node.children) this.#indexTree(child, fail);
  }

  #unindexTree(node: WireNode): void {
    this.#index.delete(node.id);
    if (!isWireText(node)) for (const child of node.children) this.#unindexTree(child);
  }
}

/**
 * Applies patch records to a copy of `root` and returns the new tree; `root` and the patches are not modified.
 * @example
 * const { patches, wire } = diffTrees(old, next, nextId);
 * assert.deepEqual(applyPatches(old, patches), wire);
 */
export function applyPatches(root: WireNode | undefined, patches: readonly PatchRecord[]): WireNode {
  const document = new WireDocument(root ? cloneWire(root) : undefined);
  document.apply(patches);
  if (document.root === undefined) throw new PatchError(0, 'there is no tree: the first record must be a MOUNT');
  return document.root;
}
