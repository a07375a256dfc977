/** @module Render flushing: validates whole trees, diffs them against what the shell has, caps and coalesces patches. */

import type { Json, ViewNode, WireNode } from '../../../sdk/src/protocol.ts';
import { failure, type RuntimeFailure } from '../codes.ts';
import type { RuntimeLimits } from '../config.ts';
import { collectHandlers, defaultIsEventProp, type ViewOps } from '../view/ops.ts';
import { SlidingWindow } from './rate.ts';
import type { RuntimeClock, RuntimeOutput } from './types.ts';

/** Options of a session's flusher. */
export interface FlusherOptions {
  sessionId: string;
  limits: RuntimeLimits;
  view: ViewOps;
  clock: RuntimeClock;
  emit: (output: RuntimeOutput) => void;
}

/**
 * Keeps, per page, the latest validated tree not yet sent and the wire tree the shell has. Renders between two
 * flushes are coalesced (only the latest tree per page is diffed); flushes are limited to `flushesPerSecond` in any sliding second.
 */
export class RenderFlusher {
  readonly #options: FlusherOptions;
  readonly #pending = new Map<number, ViewNode>();
  readonly #wire = new Map<number, WireNode>();
  readonly #handlers = new Map<number, Set<string>>();
  readonly #window: SlidingWindow;
  readonly #isEventProp: (name: string) => boolean;
  #nextId = 1;
  #timer: unknown;
  #closed = false;

  constructor(options: FlusherOptions) {
    this.#options = options;
    this.#window = new SlidingWindow(options.limits.flushesPerSecond, 1000, options.clock.now);
    this.#isEventProp = options.view.isEventProp ?? defaultIsEventProp;
  }

  /** Validates a page's new tree; a tree with any error is refused whole, before any patch is sent. */
  queue(pageId: number, tree: Json): RuntimeFailure | undefined {
    const problem = precheckTree(tree, this.#options.limits.maxTreeNodes, this.#options.limits.maxTreeDepth);
    const { maxTreeNodes: maxNodes, maxTreeDepth: maxDepth } = this.#options.limits;
    const verdict = problem ? { ok: false as const, errors: [problem] } : this.#options.view.validateViewTree(tree, { maxNodes, maxDepth });
    if (!verdict.ok) {
      const error = failure('VIEW_INVALID', `Page ${pageId}: ${verdict.errors.slice(0, 5).join('; ')}`);
      this.#refuse(pageId, error);
      return error;
    }
    this.#pending.set(pageId, tree as ViewNode);
    return undefined;
  }

  /** Whether renders are waiting. */
  get dirty(): boolean {
    return this.#pending.size > 0;
  }

  /** Handler names of the tree the shell currently shows for a page. */
  handlers(pageId: number): ReadonlySet<string> {
    return this.#handlers.get(pageId) ?? new Set();
  }

  /** Forgets a page (unloaded): its next render, if it comes back, mounts from scratch. */
  forget(pageId: number): void {
    this.#pending.delete(pageId);
    this.#wire.delete(pageId);
    this.#handlers.delete(pageId);
  }

  /** Flushes now if the rate allows, otherwise once it does (coalescing everything queued until then). */
  request(): void {
    if (this.#closed || this.#pending.size === 0 || this.#timer !== undefined) return;
    const wait = this.#window.waitMs();
    if (wait === 0 && this.#window.take()) {
      this.#flush();
      return;
    }
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      this.request();
    }, Math.max(1, wait));
  }

  /** Stops timers; pending renders are dropped. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending.clear();
  }

  #flush(): void {
    const { limits, view, emit, sessionId } = this.#options;
    for (const [pageId, tree] of [...this.#pending]) {
      this.#pending.delete(pageId);
      let result: ReturnType<ViewOps['diffTrees']>;
      try {
        result = view.diffTrees(this.#wire.get(pageId), tree, () => this.#nextId++);
      } catch {
        this.#refuse(pageId, failure('VIEW_INVALID', `Page ${pageId}: the tree could not be diffed`));
        continue;
      }
      if (result.patches.length === 0) continue;
      const bytes = Buffer.byteLength(JSON.stringify(result.patches), 'utf8');
      if (bytes > limits.maxPatchBytes) {
        this.#refuse(
          pageId,
          failure('PATCH_TOO_LARGE', `Page ${pageId}: the update is ${bytes} bytes; the limit is ${limits.maxPatchBytes}`),
        );
        continue;
      }
      if (bytes > limits.warnPatchBytes) {
        emit({ type: 'log', level: 'warn', sessionId, message: `page ${pageId}: patch batch of ${bytes} bytes (warn above ${limits.warnPatchBytes})` });
      }
      this.#wire.set(pageId, result.wire);
      this.#handlers.set(pageId, collectHandlers(result.wire, this.#isEventProp));
      emit({ type: 'patches', sessionId, pageId, patches: result.patches, bytes });
    }
  }

  #refuse(pageId: number, error: RuntimeFailure): void {
    const { emit, sessionId } = this.#options;
    emit({ type: 'render-refused', sessionId, pageId, code: error.code, message: error.message });
  }
}

/** Counts nodes and depth iteratively (no recursion on guest data) before the whitelist validator sees a tree. */
export function precheckTree(tree: Json, maxNodes: number, maxDepth: number): string | undefined {
  const stack: Array<[Json, number]> = [[tree, 1]];
  let nodes = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Json, number];
    if (++nodes > maxNodes) return `the tree has more than ${maxNodes} nodes`;
    if (depth > maxDepth) return `the tree is deeper than ${maxDepth}`;
    if (typeof node === 'string') continue;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return 'a node is neither an element nor a text';
    const children = node.children;
    if (!Array.isArray(children)) return 'an element has no children array';
    for (const child of children) stack.push([child, depth + 1]);
  }
  return undefined;
}
