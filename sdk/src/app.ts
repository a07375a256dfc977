/**
 * @module `defineApp`: the app's lifecycle hooks and its shared state, reachable from pages with `getApp()`.
 */

/** How the app was opened (`onLaunch` / `onShow`). */
export interface LaunchOptions {
  /** The page opened first, e.g. `pages/index`. */
  path: string;
  query: Record<string, string>;
  /** Where the person came from (a number, as WeChat's scene values). */
  scene: number;
}

/** `this` inside the app's hooks, and what `getApp()` returns. */
export type AppInstance<G extends object = Record<string, unknown>> = { globalData: G };

/** What {@link defineApp} takes. Every hook may be async; an async failure goes to `onError`. */
export interface AppOptions<G extends object = Record<string, unknown>> {
  /** Shared state for all pages (`getApp().globalData`); not persisted, not rendered. */
  globalData?: G;
  /** Once, when the session starts (or is re-created after an eviction). */
  onLaunch?(this: AppInstance<G>, options: LaunchOptions): void | Promise<void>;
  /** When the app comes to the foreground. */
  onShow?(this: AppInstance<G>, options: LaunchOptions): void | Promise<void>;
  /** When the app goes to the background. */
  onHide?(this: AppInstance<G>): void | Promise<void>;
  /** An error thrown by any hook, handler or render, with its message. */
  onError?(this: AppInstance<G>, error: string): void;
}

/** A defined app, passed to `startApp`. */
export interface AppDefinition<G extends object = Record<string, unknown>> {
  readonly kind: 'atrium.app';
  readonly options: Readonly<AppOptions<G>>;
}

/**
 * Defines the app (the default export of `src/app.ts`).
 * @example
 * export default defineApp({
 *   globalData: { theme: 'light' },
 *   onLaunch(options) { console.log('launched at', options.path); },
 *   onError(message) { console.error(message); },
 * });
 */
export function defineApp<G extends object = Record<string, unknown>>(options: AppOptions<G> = {}): AppDefinition<G> {
  for (const hook of ['onLaunch', 'onShow', 'onHide', 'onError'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') throw new TypeError(`defineApp: ${hook} must be a function`);
  }
  return Object.freeze({ kind: 'atrium.app', options: Object.freeze({ ...options }) });
}
