/**
 * @module `registerSubpackage`: the one call of a sub-package bundle's entry (generated from the manifest, see
 * `createSubpackageEntrySource`). The runtime runs that bundle in the session's isolate the first time the person
 * opens one of the sub-package's pages; the call adds its pages to the app `startApp` started, and points this
 * bundle's copy of the SDK (`atrium.*`, `getApp()`) at that app.
 */
import type { PageDefinition } from '../page.ts';
import { GUEST_GLOBALS } from '../protocol.ts';
import { setActiveSink, type BridgeSink } from './context.ts';

/** What {@link registerSubpackage} takes. */
export interface SubpackageOptions {
  /** The sub-package's `name` in the manifest. */
  name: string;
  /** Its pages by route (`<root>/<page>`, as `subpackageRoutes` lists them). */
  pages: Record<string, PageDefinition<any, any>>;
}

/**
 * Adds a sub-package's pages to the running app. Call it once, at the top level of the sub-package entry.
 * @example
 * import { registerSubpackage } from '@atrium/sdk';
 * import stats from './src/stats/pages/index.tsx';
 * registerSubpackage({ name: 'stats', pages: { 'stats/pages/index': stats } });
 */
export function registerSubpackage(options: SubpackageOptions): void {
  const add = (globalThis as Record<string, unknown>)[GUEST_GLOBALS.ADD_PAGES];
  if (typeof add !== 'function') {
    throw new Error(`registerSubpackage: ${GUEST_GLOBALS.ADD_PAGES} is missing — a sub-package runs only after the main bundle's startApp, inside the Atrium runtime`);
  }
  const sink = (add as (name: string, pages: SubpackageOptions['pages']) => BridgeSink)(options.name, options.pages);
  setActiveSink(sink);
}
