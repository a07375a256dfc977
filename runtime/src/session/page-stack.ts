/** @module The runtime-owned page stack: page ids, routes, the 10-page limit and page address parsing. */

import { RuntimeError } from '../codes.ts';
import type { PageInfo } from './types.ts';

/** A page on the stack. */
export interface StackPage {
  pageId: number;
  route: string;
  query: Record<string, string>;
}

/** The pages of one session, bottom first. */
export class PageStack {
  readonly #routes: ReadonlySet<string>;
  readonly #tabs: ReadonlySet<string>;
  readonly #max: number;
  #pages: StackPage[] = [];
  #nextPageId = 1;

  constructor(routes: readonly string[], tabs: readonly string[], max: number) {
    this.#routes = new Set(routes);
    this.#tabs = new Set(tabs);
    this.#max = max;
  }

  /** Bottom-first copy of the pages. */
  get pages(): readonly StackPage[] {
    return this.#pages;
  }

  get top(): StackPage | undefined {
    return this.#pages[this.#pages.length - 1];
  }

  get nextPageId(): number {
    return this.#nextPageId;
  }

  /** The owner's view: ids and routes. */
  info(): PageInfo[] {
    return this.#pages.map(({ pageId, route }) => ({ pageId, route }));
  }

  find(pageId: number): StackPage | undefined {
    return this.#pages.find((page) => page.pageId === pageId);
  }

  isTab(route: string): boolean {
    return this.#tabs.has(route);
  }

  /** Parses `pages/detail?id=3` (or `/pages/detail`) into a declared route and its query; PAGE_NOT_FOUND otherwise. */
  resolve(url: string): { route: string; query: Record<string, string> } {
    const [path = '', search = ''] = url.split('?', 2);
    const route = path.replace(/^\/+/, '');
    if (!this.#routes.has(route)) throw new RuntimeError('PAGE_NOT_FOUND', `The app has no page ${JSON.stringify(route.slice(0, 256))}`);
    const query: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [key, value] of new URLSearchParams(search)) {
      if (key !== '__proto__' && key !== 'constructor' && key !== 'prototype') query[key] = value;
    }
    return { route, query: { ...query } };
  }

  /** Throws NAVIGATION_STACK_FULL when one more page would exceed the limit. */
  assertRoom(): void {
    if (this.#pages.length >= this.#max) {
      throw new RuntimeError('NAVIGATION_STACK_FULL', `At most ${this.#max} pages can be open; navigate back or use redirectTo`);
    }
  }

  /** Pushes a new page; NAVIGATION_STACK_FULL beyond the limit. */
  push(route: string, query: Record<string, string>): StackPage {
    this.assertRoom();
    const page = { pageId: this.#nextPageId++, route, query };
    this.#pages.push(page);
    return page;
  }

  /** Restores a page with its original id (from a snapshot). */
  restore(page: StackPage, nextPageId: number): void {
    if (this.#pages.length >= this.#max) throw new RuntimeError('NAVIGATION_STACK_FULL');
    this.#pages.push(page);
    this.#nextPageId = Math.max(this.#nextPageId, nextPageId, page.pageId + 1);
  }

  /** Removes and returns the top page. */
  pop(): StackPage | undefined {
    return this.#pages.pop();
  }
}
