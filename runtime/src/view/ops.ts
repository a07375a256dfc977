/** @module The view operations the runtime needs (whitelist validation and diffing), loaded from the SDK's view module. */

import type { Json, PatchRecord, ViewNode, WireNode } from '../../../sdk/src/protocol.ts';
import { diffTrees, isEventProp, validateViewTree } from '../../../sdk/src/view/index.ts';

/** What the runtime needs from `sdk/src/view/`. */
export interface ViewOps {
  /** Validates a whole tree against the component whitelist, typed props, node and depth limits. */
  validateViewTree(tree: unknown, options?: { maxNodes?: number; maxDepth?: number }): { ok: true } | { ok: false; errors: string[] };
  /** Diffs a tree against the wire tree the shell has (keyed children) and returns the patch records. */
  diffTrees(oldWire: WireNode | undefined, tree: ViewNode, nextId: () => number): { patches: PatchRecord[]; wire: WireNode };
  /** Whether a prop names an event handler; `on` + capital letter when the module does not say. */
  isEventProp?(name: string): boolean;
}

/** The SDK's view operations (sdk/src/view), the ones the shell's renderer shares. */
export const SDK_VIEW_OPS: ViewOps = Object.freeze({ validateViewTree, diffTrees, isEventProp });

/** The SDK's view operations, or another module's (`validateViewTree`, `diffTrees`, optional `isEventProp`). */
export async function loadViewOps(specifier?: string): Promise<ViewOps> {
  if (specifier === undefined) return SDK_VIEW_OPS;
  const module = (await import(specifier)) as Partial<ViewOps>;
  if (typeof module.validateViewTree !== 'function' || typeof module.diffTrees !== 'function') {
    throw new Error(`view module ${specifier} must export validateViewTree and diffTrees`);
  }
  const ops: ViewOps = { validateViewTree: module.validateViewTree, diffTrees: module.diffTrees };
  if (typeof module.isEventProp === 'function') ops.isEventProp = module.isEventProp;
  return ops;
}

/** Default event-prop rule: `onTap`, `onInput`, `onReachEnd`, ... */
export function defaultIsEventProp(name: string): boolean {
  return name.length > 2 && name.startsWith('on') && name[2] !== undefined && name[2] >= 'A' && name[2] <= 'Z';
}

/** Handler names a wire tree's event props name (the only handlers the shell may send events for). */
export function collectHandlers(wire: WireNode | undefined, isEventProp: (name: string) => boolean): Set<string> {
  const handlers = new Set<string>();
  const stack: WireNode[] = wire ? [wire] : [];
  while (stack.length > 0) {
    const node = stack.pop() as WireNode;
    if (!('type' in node)) continue;
    for (const [name, value] of Object.entries(node.props) as Array<[string, Json]>) {
      if (typeof value === 'string' && isEventProp(name)) handlers.add(value);
    }
    for (const child of node.children) stack.push(child);
  }
  return handlers;
}
