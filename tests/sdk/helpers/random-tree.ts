/**
 * @module A seeded generator of view trees and of random edits to them, for the diff/patch property tests:
 * keyed lists (inserts, deletions, moves), unkeyed and mixed children, text, prop and type changes.
 */
import type { Json, ViewElement, ViewNode } from '../../../sdk/src/index.ts';

/** A seeded PRNG (mulberry32): the same seed gives the same trees. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random helpers over one PRNG. */
export class Gen {
  readonly rnd: () => number;
  #key = 0;
  constructor(seed: number) {
    this.rnd = seeded(seed);
  }
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  freshKey(): string | number {
    this.#key++;
    return this.chance(0.5) ? `k${this.#key}` : this.#key;
  }

  props(): Record<string, Json> {
    const props: Record<string, Json> = {};
    if (this.chance(0.5)) props.a = this.int(5);
    if (this.chance(0.3)) props.b = this.pick(['x', 'y', 'z']);
    if (this.chance(0.3)) props.style = { color: this.pick(['#000', '#fff', 'red']), padding: this.int(3) };
    if (this.chance(0.2)) props.onTap = this.pick(['one', 'two']);
    return props;
  }

  text(): string {
    return this.pick(['a', 'b', 'c', 'hello', 'world', '42']);
  }

  /** A random tree; `budget` bounds its size. */
  tree(depth = 0, budget = { nodes: 60 }): ViewElement {
    const element: ViewElement = { type: this.pick(['view', 'view', 'text', 'button']), props: this.props(), children: [] };
    const count = depth > 3 ? 0 : this.int(depth === 0 ? 12 : 6);
    const mode = this.pick(['keyed', 'unkeyed', 'mixed'] as const);
    for (let i = 0; i < count && budget.nodes > 0; i++) {
      budget.nodes--;
      element.children.push(this.child(mode, depth, budget));
    }
    return element;
  }

  child(mode: 'keyed' | 'unkeyed' | 'mixed', depth: number, budget = { nodes: 20 }): ViewNode {
    const keyed = mode === 'keyed' || (mode === 'mixed' && this.chance(0.5));
    if (!keyed && this.chance(0.35)) return this.text();
    const child = this.tree(depth + 1, budget);
    if (keyed) child.key = this.freshKey();
    return child;
  }

  /** A copy of `node` with random edits at every level. */
  mutate(node: ViewNode, rate = 0.3): ViewNode {
    if (typeof node === 'string') return this.chance(rate) ? this.text() : node;
    const next: ViewElement = { type: node.type, props: { ...node.props }, children: [] };
    if (node.key !== undefined) next.key = node.key;
    if (this.chance(rate / 2)) next.type = this.pick(['view', 'text', 'button']);
    if (this.chance(rate)) next.props = this.chance(0.5) ? this.props() : { ...node.props, a: this.int(9) };
    let children = node.children.map((child) => (this.chance(0.8) ? this.mutate(child, rate) : child));
    const keyed = children.some((c) => typeof c !== 'string' && c.key !== undefined);
    if (this.chance(rate)) children = children.filter(() => !this.chance(0.3));
    if (this.chance(rate)) {
      const inserts = 1 + this.int(3);
      for (let i = 0; i < inserts; i++) children.splice(this.int(children.length + 1), 0, this.child(keyed ? 'keyed' : 'unkeyed', 3));
    }
    if (keyed && this.chance(rate)) {
      for (let i = children.length - 1; i > 0; i--) {
        if (!this.chance(0.4)) continue;
        const j = this.int(i + 1);
        [children[i], children[j]] = [children[j] as ViewNode, children[i] as ViewNode];
      }
    }
    next.children = children;
    return next;
  }
}
