/** @module The navigation APIs the runtime answers itself, as page lifecycle entries on the runtime-owned stack. */

import type { GuestInbound, Json } from '../../../sdk/src/protocol.ts';
import { isJsonObject } from '../bridge/json.ts';
import { RuntimeError } from '../codes.ts';
import type { PageStack } from './page-stack.ts';

/** What navigation needs from its session. */
export interface NavigationTarget {
  stack: PageStack;
  /** Runs one entry (the caller is already inside the session's serial queue). */
  enter(msg: GuestInbound): Promise<unknown>;
  /** Makes a route's code ready (loads its sub-package on first use); throws to refuse the navigation. */
  prepare(route: string): Promise<void>;
  /** Forgets a page's renders and tells the owner the stack changed. */
  unloaded(pageId: number): void;
  pagesChanged(): void;
}

/** The navigation API names. */
export const NAVIGATION_APIS = ['navigateTo', 'redirectTo', 'navigateBack', 'switchTab', 'reLaunch'] as const;
export type NavigationApi = (typeof NAVIGATION_APIS)[number];

/** True for an API the runtime answers by moving the page stack. */
export function isNavigationApi(name: string): name is NavigationApi {
  return (NAVIGATION_APIS as readonly string[]).includes(name);
}

async function unloadTop(target: NavigationTarget): Promise<void> {
  const page = target.stack.pop();
  if (!page) return;
  target.unloaded(page.pageId);
  await target.enter({ t: 'page', hook: 'unload', pageId: page.pageId });
}

async function open(target: NavigationTarget, route: string, query: Record<string, string>): Promise<void> {
  const page = target.stack.push(route, query);
  await target.enter({ t: 'page', hook: 'load', pageId: page.pageId, route, query });
  await target.enter({ t: 'page', hook: 'show', pageId: page.pageId });
}

function urlOf(args: Json): string {
  const url = isJsonObject(args) ? args.url : undefined;
  if (typeof url !== 'string') throw new RuntimeError('INVALID_ARGUMENT', 'url: required');
  return url;
}

/**
 * Performs one navigation. Errors (NAVIGATION_STACK_FULL, PAGE_NOT_FOUND, INVALID_ARGUMENT, a sub-package that
 * cannot be loaded) are thrown before the stack changes, so a refused navigation leaves every page as it was.
 */
export async function navigate(target: NavigationTarget, api: NavigationApi, args: Json): Promise<void> {
  const { stack } = target;
  if (api === 'navigateBack') {
    const raw = isJsonObject(args) ? args.delta : undefined;
    const delta = Math.min(typeof raw === 'number' ? raw : 1, stack.pages.length - 1);
    if (delta <= 0) return;
    for (let i = 0; i < delta; i++) await unloadTop(target);
    target.pagesChanged();
    const top = stack.top;
    if (top) await target.enter({ t: 'page', hook: 'show', pageId: top.pageId });
    return;
  }
  const { route, query } = stack.resolve(urlOf(args));
  await target.prepare(route);
  const tab = stack.isTab(route);
  if (api === 'switchTab' && !tab) throw new RuntimeError('INVALID_ARGUMENT', `switchTab: ${route} is not a tab bar page`);
  if ((api === 'navigateTo' || api === 'redirectTo') && tab) {
    throw new RuntimeError('INVALID_ARGUMENT', `${api}: ${route} is a tab bar page; use switchTab`);
  }
  if (api === 'navigateTo') {
    const previous = stack.top;
    stack.assertRoom();
    if (previous) await target.enter({ t: 'page', hook: 'hide', pageId: previous.pageId });
    await open(target, route, query);
  } else if (api === 'redirectTo') {
    await unloadTop(target);
    await open(target, route, query);
  } else if (api === 'switchTab') {
    const bottom = stack.pages[0];
    if (bottom && bottom.route === route) {
      while (stack.pages.length > 1) await unloadTop(target);
      target.pagesChanged();
      await target.enter({ t: 'page', hook: 'show', pageId: bottom.pageId });
      return;
    }
    while (stack.pages.length > 0) await unloadTop(target);
    await open(target, route, query);
  } else {
    while (stack.pages.length > 0) await unloadTop(target);
    await open(target, route, query);
  }
  target.pagesChanged();
}
