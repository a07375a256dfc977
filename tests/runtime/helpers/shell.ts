/** @module A test shell: applies patch records to per-page wire trees, as the web shell does, to read what a person sees. */

import { PATCH, type PatchRecord, type WireNode } from '../../../sdk/src/protocol.ts';
import type { RuntimeOutput } from '../../../runtime/src/session/types.ts';

function findNode(root: WireNode, id: number): WireNode | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop() as WireNode;
    if (node.id === id) return node;
    if ('children' in node) stack.push(...node.children);
  }
  return undefined;
}

function element(root: WireNode, id: number): Extract<WireNode, { children: WireNode[] }> {
  const node = findNode(root, id);
  if (!node || !('children' in node)) throw new Error(`no element ${id}`);
  return node;
}

/** Applies one batch of records to a page's tree (undefined before the first MOUNT). */
export function applyPatches(root: WireNode | undefined, patches: readonly PatchRecord[]): WireNode | undefined {
  let tree = root ? structuredClone(root) : undefined;
  for (const record of patches) {
    if (record[0] === PATCH.MOUNT) {
      tree = structuredClone(record[1]);
      continue;
    }
    if (!tree) throw new Error('patch before mount');
    switch (record[0]) {
      case PATCH.INSERT:
        element(tree, record[1]).children.splice(record[2], 0, structuredClone(record[3]));
        break;
      case PATCH.REMOVE:
        element(tree, record[1]).children.splice(record[2], 1);
        break;
      case PATCH.TEXT: {
        const node = findNode(tree, record[1]);
        if (!node || !('text' in node)) throw new Error(`no text ${record[1]}`);
        node.text = record[2];
        break;
      }
      case PATCH.PROPS: {
        const node = element(tree, record[1]);
        Object.assign(node.props, record[2]);
        for (const name of record[3]) delete node.props[name];
        break;
      }
      case PATCH.MOVE: {
        const children = element(tree, record[1]).children;
        const [moved] = children.splice(record[2], 1);
        if (moved) children.splice(record[3], 0, moved);
        break;
      }
    }
  }
  return tree;
}

/** The concatenated text of a tree. */
export function textOf(node: WireNode | undefined): string {
  if (!node) return '';
  if ('text' in node) return node.text;
  return node.children.map(textOf).join('|');
}

/** Replays every patch output of a session into page trees and returns the text of one page. */
export function pageText(outputs: readonly RuntimeOutput[], sessionId: string, pageId: number): string {
  let tree: WireNode | undefined;
  for (const output of outputs) {
    if (output.type === 'patches' && output.sessionId === sessionId && output.pageId === pageId) tree = applyPatches(tree, output.patches);
  }
  return textOf(tree);
}
