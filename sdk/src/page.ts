/**
 * @module `definePage`: a page's initial data, lifecycle hooks, event handlers and its `render(data)`, a pure
 * function of the data returning a view tree (TSX). Handlers change data with `this.setData(patch)`; the page is
 * re-rendered once at the end of the entry, however many times it called setData.
 */
import type { ViewElement } from './protocol.ts';

/** The keys `setData` accepts: top-level keys typed by the data, and path keys (`'a.b'`, `'items[3].done'`). */
export type SetDataPatch<D> = { [K in keyof D]?: D[K] } & { [path: `${string}.${string}` | `${string}[${number}]${string}`]: unknown };

/** `this` inside a page's hooks, handlers and render. Handlers are also methods of the instance. */
export interface PageInstance<D extends object> {
  /** The runtime's id for this page (unique in the session). */
  readonly pageId: number;
  /** The page path, e.g. `pages/index`. */
  readonly route: string;
  /** The query the page was opened with. */
  readonly query: Readonly<Record<string, string>>;
  /** The current data; change it only with `setData`. */
  readonly data: Readonly<D>;
  /**
   * Changes data and schedules one re-render at the end of the entry. Values are deep-copied as JSON.
   * `callback` runs after the render has been produced.
   * @example this.setData({ 'items[3].done': true, filter: 'all' });
   */
  setData(patch: SetDataPatch<D>, callback?: () => void): void;
}

/** Event handlers: functions taking the event's detail (see view/events.ts for each event's detail). */
export type PageHandlers = Record<string, (...args: never[]) => unknown>;

/** `this` in a page: the instance plus its handlers. */
export type PageThis<D extends object, H> = PageInstance<D> & H;

/** What {@link definePage} takes. Hooks and handlers may be async; async failures go to the app's `onError`. */
export interface PageOptions<D extends object, H extends PageHandlers> {
  /** Initial data (JSON), deep-copied for every page instance. */
  data?: D;
  /** The page opened, with its query (`?id=3` gives `{ id: '3' }`). */
  onLoad?(query: Record<string, string>): void | Promise<void>;
  /** The page became visible (after load, or when a page above it closed). */
  onShow?(): void | Promise<void>;
  /** Another page covered it, or the app went to the background. */
  onHide?(): void | Promise<void>;
  /** The page closed. */
  onUnload?(): void | Promise<void>;
  /** The person scrolled to the bottom of the page. */
  onReachBottom?(): void | Promise<void>;
  /** The person pulled down to refresh (manifest `window.enable_pull_down_refresh`). */
  onPullDownRefresh?(): void | Promise<void>;
  /** The view: a pure function of the data. */
  render(data: Readonly<D>): ViewElement;
  /** Handlers named by event props (`onTap="toggle"`). Any function here may be triggered by the shell. */
  handlers?: H;
}

/** A defined page, passed to `startApp` under its path. */
export interface PageDefinition<D extends object = object, H extends PageHandlers = PageHandlers> {
  readonly kind: 'atrium.page';
  readonly options: Readonly<PageOptions<D, H>>;
}

/** Names a handler may not take: they are the instance's own members. */
export const RESERVED_PAGE_MEMBERS = ['pageId', 'route', 'query', 'data', 'setData'] as const;

/**
 * Defines a page (the default export of `src/pages/<name>.tsx`).
 * @example
 * export default definePage({
 *   data: { count: 0 },
 *   handlers: { add() { this.setData({ count: this.data.count + 1 }); } },
 *   render: (data) => <button onTap="add">Clicked {data.count} times</button>,
 * });
 */
export function definePage<D extends object = Record<string, never>, H extends PageHandlers = {}>(
  options: PageOptions<D, H> & ThisType<PageThis<D, H>>,
): PageDefinition<D, H> {
  if (typeof options.render !== 'function') throw new TypeError('definePage: render(data) is required');
  for (const hook of ['onLoad', 'onShow', 'onHide', 'onUnload', 'onReachBottom', 'onPullDownRefresh'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') throw new TypeError(`definePage: ${hook} must be a function`);
  }
  for (const [name, handler] of Object.entries(options.handlers ?? {})) {
    if (typeof handler !== 'function') throw new TypeError(`definePage: handler ${name} must be a function`);
    if ((RESERVED_PAGE_MEMBERS as readonly string[]).includes(name)) throw new TypeError(`definePage: "${name}" is reserved and cannot be a handler name`);
  }
  if (options.data !== undefined && (options.data === null || typeof options.data !== 'object' || Array.isArray(options.data))) {
    throw new TypeError('definePage: data must be an object');
  }
  return Object.freeze({ kind: 'atrium.page', options: Object.freeze({ ...options }) });
}
