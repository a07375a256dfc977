/**
 * @module A live page: one open instance of a page definition, with its data, its `this` object (data,
 * setData, handlers as methods) and the setData callbacks waiting for the next render.
 */
import { isRecord, toJson } from '../json.ts';
import type { PageDefinition, PageInstance } from '../page.ts';
import type { Json, ViewNode } from '../protocol.ts';
import { applySetData } from './set-data.ts';

/** An open page. */
export interface LivePage {
  readonly pageId: number;
  readonly route: string;
  readonly definition: PageDefinition;
  /** `this` for hooks, handlers and render. */
  readonly instance: PageInstance<Record<string, Json>> & Record<string, unknown>;
  data: Record<string, Json>;
  /** setData callbacks to run after the next render. */
  callbacks: Array<() => void>;
  /** Handler names already warned about (named in the view but missing). */
  warned: Set<string>;
}

/** What {@link openPage} needs. */
export interface OpenPageOptions {
  pageId: number;
  route: string;
  query: Record<string, string>;
  definition: PageDefinition;
  /** Saved data (restore): merged over the definition's initial data. */
  restored?: Json;
  /** Called by setData: schedule a render of this page. */
  markDirty: (pageId: number) => void;
}

/** Creates a live page: initial data deep-copied (and restored data merged over it), handlers bound as methods. */
export function openPage(options: OpenPageOptions): LivePage {
  const initial = toJson(options.definition.options.data ?? {}, 'data') as Record<string, Json>;
  const restored = options.restored;
  const data = isRecord(restored) ? { ...initial, ...restored } : initial;
  const live: LivePage = {
    pageId: options.pageId,
    route: options.route,
    definition: options.definition,
    data,
    callbacks: [],
    warned: new Set(),
    instance: undefined as unknown as LivePage['instance'],
  };
  const instance: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(options.definition.options.handlers ?? {})) instance[name] = handler;
  Object.defineProperties(instance, {
    pageId: { value: options.pageId, enumerable: true },
    route: { value: options.route, enumerable: true },
    query: { value: Object.freeze({ ...options.query }), enumerable: true },
    data: { get: () => live.data, enumerable: true },
    setData: {
      value: (patch: unknown, callback?: () => void): void => {
        applySetData(live.data, patch);
        if (typeof callback === 'function') live.callbacks.push(callback);
        options.markDirty(options.pageId);
      },
    },
  });
  (live as { instance: LivePage['instance'] }).instance = instance as LivePage['instance'];
  return live;
}

/** True when the page has a handler with this name (own, function). */
export function hasHandler(page: LivePage, name: string): boolean {
  const handlers = page.definition.options.handlers ?? {};
  return Object.hasOwn(handlers, name) && typeof (handlers as Record<string, unknown>)[name] === 'function';
}

/** Handler names used by event props in `tree` that the page does not have (each reported once per page). */
export function missingHandlers(page: LivePage, tree: ViewNode): string[] {
  const missing: string[] = [];
  const walk = (node: ViewNode): void => {
    if (typeof node === 'string' || node === null || typeof node !== 'object') return;
    for (const [prop, value] of Object.entries(node.props ?? {})) {
      if (/^on[A-Z]/.test(prop) && typeof value === 'string' && !hasHandler(page, value) && !page.warned.has(value)) {
        page.warned.add(value);
        missing.push(value);
      }
    }
    if (Array.isArray(node.children)) for (const child of node.children) walk(child);
  };
  walk(tree);
  return missing;
}
