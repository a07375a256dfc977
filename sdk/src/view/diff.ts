/**
 * @module `diffTrees`: the patch records that turn the shell's copy of a page (a wire tree) into the next view
 * tree. Keyed children are matched by key (reorders become `MOVE`s, the fewest the longest increasing
 * subsequence allows); unkeyed children are matched in order; a changed component type replaces the node.
 *
 * Records apply in order, each to the tree the previous ones left: for one parent, `REMOVE`s come first (highest
 * index first), then `MOVE`s (`from`: the node's index now; `to`: its index in the list once it has been taken
 * out, i.e. `splice(from, 1)` then `splice(to, 0, node)`), then `INSERT`s at their final index in ascending order.
 */
import { PATCH, type Json, type PatchRecord, type ViewNode, type WireNode } from '../protocol.ts';
import { keyId } from './validate.ts';
import { isWireText, jsonEqual, toWire, wireKey, type WireElement } from './wire.ts';

/** The result of {@link diffTrees}. */
export interface DiffResult {
  /** Records to send to the shell, in order. Empty when nothing changed. */
  patches: PatchRecord[];
  /** The new wire tree (keep it as `previous` for the next diff). Shares prop objects with `next`. */
  wire: WireNode;
}

/**
 * Diffs the previous wire tree of a page with its next view tree. The first render (no `previous`) or a new
 * root type is one `MOUNT`; later renders are `INSERT`/`REMOVE`/`TEXT`/`PROPS`/`MOVE` records. `previous` is not
 * modified. Validate `next` first (validateViewTree): the diff assumes a well-formed tree.
 * @example
 * const nextId = counter();
 * const first = diffTrees(undefined, <view>0</view>, nextId);      // [[MOUNT, {...}]]
 * const second = diffTrees(first.wire, <view>1</view>, nextId);    // [[TEXT, 2, '1']]
 */
export function diffTrees(previous: WireNode | undefined, next: ViewNode, nextId: () => number): DiffResult {
  const patches: PatchRecord[] = [];
  if (previous === undefined || !compatible(previous, next)) {
    const wire = toWire(next, nextId);
    patches.push([PATCH.MOUNT, wire]);
    return { patches, wire };
  }
  return { patches, wire: diffNode(previous, next, patches, nextId) };
}

/** Same kind of node: both texts, or elements of the same type. */
function compatible(previous: WireNode, next: ViewNode): boolean {
  if (typeof next === 'string') return isWireText(previous);
  return !isWireText(previous) && previous.type === next.type;
}

function diffNode(previous: WireNode, next: ViewNode, patches: PatchRecord[], nextId: () => number): WireNode {
  if (typeof next === 'string' || isWireText(previous)) {
    const text = typeof next === 'string' ? next : '';
    if ((previous as { text: string }).text !== text) patches.push([PATCH.TEXT, previous.id, text]);
    return { id: previous.id, text };
  }
  const set: Record<string, Json> = {};
  const unset: string[] = [];
  let changed = false;
  for (const [name, value] of Object.entries(next.props)) {
    if (!Object.hasOwn(previous.props, name) || !jsonEqual(previous.props[name], value)) {
      set[name] = value;
      changed = true;
    }
  }
  for (const name of Object.keys(previous.props)) {
    if (!Object.hasOwn(next.props, name)) {
      unset.push(name);
      changed = true;
    }
  }
  if (changed) patches.push([PATCH.PROPS, previous.id, set, unset]);
  const wire: WireElement = { id: previous.id, type: next.type, props: next.props, children: diffChildren(previous, next.children, patches, nextId) };
  if (next.key !== undefined) wire.key = next.key;
  return wire;
}

function diffChildren(parent: WireElement, next: readonly ViewNode[], patches: PatchRecord[], nextId: () => number): WireNode[] {
  const previous = parent.children;
  // The usual render: the same children in the same order (same keys, or both unkeyed, same kinds). Nothing to
  // remove, move or insert; recurse pairwise without building the matching below.
  if (previous.length === next.length && previous.every((child, i) => sameSlot(child, next[i] as ViewNode))) {
    return next.map((child, i) => diffNode(previous[i] as WireNode, child, patches, nextId));
  }
  // 1. Match: keyed by key, unkeyed in order among the unkeyed; incompatible matches are replaced.
  const byKey = new Map<string, number>();
  const unkeyed: number[] = [];
  previous.forEach((child, i) => {
    const key = wireKey(child);
    if (key === undefined) unkeyed.push(i);
    else if (!byKey.has(keyId(key))) byKey.set(keyId(key), i);
  });
  const used = new Uint8Array(previous.length);
  const matchOf = new Array<number>(next.length).fill(-1);
  let cursor = 0;
  for (let j = 0; j < next.length; j++) {
    const child = next[j] as ViewNode;
    const key = typeof child === 'string' ? undefined : child.key;
    const i = key === undefined ? unkeyed[cursor++] : byKey.get(keyId(key));
    if (i !== undefined && used[i] === 0 && compatible(previous[i] as WireNode, child)) {
      used[i] = 1;
      matchOf[j] = i;
    }
  }
  // 2. Remove the unmatched, last first so indices stay valid.
  for (let i = previous.length - 1; i >= 0; i--) if (used[i] === 0) patches.push([PATCH.REMOVE, parent.id, i]);
  // 3. Move the matched into next order, keeping a longest increasing subsequence in place.
  const current = previous.map((_, i) => i).filter((i) => used[i] === 1);
  const order = matchOf.filter((i) => i >= 0);
  const rank = new Map<number, number>(current.map((i, position) => [i, position]));
  const stable = longestIncreasing(order.map((i) => rank.get(i) as number));
  for (let k = 0; k < order.length; k++) {
    if (stable.has(k)) continue;
    const item = order[k] as number;
    const from = current.indexOf(item);
    current.splice(from, 1);
    const to = k === 0 ? 0 : current.indexOf(order[k - 1] as number) + 1;
    current.splice(to, 0, item);
    if (from !== to) patches.push([PATCH.MOVE, parent.id, from, to]);
  }
  // 4. Insert the new ones at their final index, in order; 5. recurse into the matched.
  const children: WireNode[] = [];
  for (let j = 0; j < next.length; j++) {
    const child = next[j] as ViewNode;
    const i = matchOf[j] as number;
    if (i < 0) {
      const wire = toWire(child, nextId);
      patches.push([PATCH.INSERT, parent.id, j, wire]);
      children.push(wire);
    } else {
      children.push(diffNode(previous[i] as WireNode, child, patches, nextId));
    }
  }
  return children;
}

/** Whether `next` takes `previous`'s place as it is: both unkeyed or with the same key, and compatible. */
function sameSlot(previous: WireNode, next: ViewNode): boolean {
  const a = wireKey(previous);
  const b = typeof next === 'string' ? undefined : next.key;
  if (a === undefined ? b !== undefined : b === undefined || keyId(a) !== keyId(b)) return false;
  return compatible(previous, next);
}

/** Indices (into `sequence`) of one longest strictly increasing subsequence, O(n log n). */
export function longestIncreasing(sequence: readonly number[]): Set<number> {
  const tails: number[] = [];
  const previous = new Array<number>(sequence.length).fill(-1);
  for (let i = 0; i < sequence.length; i++) {
    const value = sequence[i] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sequence[tails[mid] as number] as number) < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const out = new Set<number>();
  let at = tails.length > 0 ? (tails[tails.length - 1] as number) : -1;
  while (at >= 0) {
    out.add(at);
    at = previous[at] as number;
  }
  return out;
}
