/**
 * @module The guest runtime that `atrium.*` calls go to: set by `startApp` and on every entry. One app runs per
 * isolate; in tests that start several apps, calls go to the one that handled the latest entry.
 */
import type { AppInstance } from '../app.ts';
import type { Json } from '../protocol.ts';

/** What the bridge client needs from the guest runtime. */
export interface BridgeSink {
  /** The app instance (`getApp()`). */
  readonly app: AppInstance<object>;
  /** Queues a bridge call for the current entry's output; the promise settles on the runtime's reply. */
  call(api: string, args: Json): Promise<Json>;
  setTimer(fn: (...args: unknown[]) => unknown, delay: unknown, repeat: boolean, args: unknown[]): number;
  clearTimer(id: unknown): void;
}

let active: BridgeSink | undefined;

/** Makes `sink` the target of `atrium.*`. */
export function setActiveSink(sink: BridgeSink): void {
  active = sink;
}

/** The target of `atrium.*`, or undefined before `startApp`. */
export function activeSink(): BridgeSink | undefined {
  return active;
}

/**
 * The app instance: its `globalData`, shared by all pages.
 * @example const { globalData } = getApp<{ theme: string }>();
 */
export function getApp<G extends object = Record<string, unknown>>(): AppInstance<G> {
  if (!active) throw new Error('getApp: the app has not been started (call startApp in the bundle entry)');
  return active.app as AppInstance<G>;
}
