/** @module A session's launch sequence (app and page hooks, or page restores from a snapshot) and its snapshots. */

import type { GuestInbound, Json } from '../../../sdk/src/protocol.ts';
import { RuntimeError } from '../codes.ts';
import type { PageStack } from './page-stack.ts';
import type { LaunchOptions, SessionSnapshot } from './types.ts';

/** What the launch sequence needs from its session (already inside the session's queue). */
export interface LifecycleTarget {
  stack: PageStack;
  /**
   * One entry. With `collect: false` no `flush` entry follows it: what the entry's continuations did stays in
   * the guest's outbox and comes back with the next entry's output (the next hook, right after).
   */
  enter(msg: GuestInbound, options?: { collect: boolean }): Promise<void>;
  /** Makes a route's code ready (loads its sub-package on first use). */
  prepare(route: string): Promise<void>;
}

const NO_COLLECT = { collect: false } as const;

/** The scene reported when the host gives none (WeChat's "opened from the home list"). */
export const DEFAULT_SCENE = 1001;

/**
 * Fresh launch: app `launch` and `show`, then the entry page's `load` and `show` (WeChat's order). With
 * `options.restore`, the pages of the snapshot are re-created with their ids and data (`restore`), then the top
 * page is shown. Resolves with the launch options to keep in later snapshots.
 *
 * The hooks run back to back and only the last is followed by a `flush`: nothing reaches the shell before the
 * first page is up, and each hook's output already carries what the previous hook's continuations did (the
 * microtask checkpoint after an entry runs them; the guest returns their effects with its next entry). This
 * keeps a launch at five isolate entries (four hooks, one flush) instead of eight.
 */
export async function runLaunchHooks(target: LifecycleTarget, options: LaunchOptions): Promise<SessionSnapshot['launch']> {
  if (options.restore) return restore(target, options.restore);
  const { stack } = target;
  const { route, query: pathQuery } = stack.resolve(options.path ?? options.pages[0] ?? '');
  const query = { ...pathQuery, ...options.query };
  const launch = { path: route, query, scene: options.scene ?? DEFAULT_SCENE };
  await target.prepare(route);
  await target.enter({ t: 'app', hook: 'launch', options: launch }, NO_COLLECT);
  await target.enter({ t: 'app', hook: 'show', options: launch }, NO_COLLECT);
  const page = stack.push(route, query);
  await target.enter({ t: 'page', hook: 'load', pageId: page.pageId, route, query }, NO_COLLECT);
  await target.enter({ t: 'page', hook: 'show', pageId: page.pageId });
  return launch;
}

async function restore(target: LifecycleTarget, snapshot: SessionSnapshot): Promise<SessionSnapshot['launch']> {
  const { stack } = target;
  await target.enter({ t: 'app', hook: 'launch', options: snapshot.launch }, NO_COLLECT);
  await target.enter({ t: 'app', hook: 'show', options: snapshot.launch }, NO_COLLECT);
  for (const saved of snapshot.pages) {
    const { route } = stack.resolve(saved.route);
    await target.prepare(route);
    stack.restore({ pageId: saved.pageId, route, query: saved.query }, snapshot.nextPageId);
    await target.enter({ t: 'page', hook: 'restore', pageId: saved.pageId, route, query: saved.query, data: saved.data }, NO_COLLECT);
  }
  const top = stack.top;
  if (!top) throw new RuntimeError('INVALID_ARGUMENT', 'The snapshot has no pages');
  await target.enter({ t: 'page', hook: 'show', pageId: top.pageId });
  return snapshot.launch;
}

/** A session's snapshot: the launch options and the page stack, each page with the data the guest reported. */
export function buildSnapshot(
  launch: SessionSnapshot['launch'],
  stack: PageStack,
  reported: ReadonlyArray<{ pageId: number; data: Json }>,
): SessionSnapshot {
  const data = new Map(reported.map((entry) => [entry.pageId, entry.data]));
  return {
    v: 1,
    launch,
    pages: stack.pages.map((page) => ({ ...page, data: data.get(page.pageId) ?? null })),
    nextPageId: stack.nextPageId,
  };
}
