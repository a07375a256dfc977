/** @module Shapes shared by sessions, the manager and the process layer: launch input, snapshots, outputs, the clock. */

import { z } from 'zod';
import type { Json, PatchRecord } from '../../../sdk/src/protocol.ts';
import type { BridgeResult } from '../bridge/registry.ts';

/** An app version's logic bundle. `cacheKey` names the version (compiled code is cached under it). */
export interface AppBundle {
  code: string;
  cacheKey: string;
}

const query = z.record(z.string().max(256), z.string().max(4096));

/** Loads a sub-package's bundle for a session (the owner reads it from the session's app version). */
export type SubpackageLoader = (sessionId: string, name: string) => Promise<Outcome<{ bundle: AppBundle }>>;

/** A session's state, enough to re-create it: the page stack with each page's data. */
export const sessionSnapshotSchema = z.strictObject({
  v: z.literal(1),
  launch: z.strictObject({ path: z.string().max(256), query, scene: z.number().int() }),
  pages: z.array(z.strictObject({ pageId: z.number().int().min(1), route: z.string().max(256), query, data: z.json() })).max(10),
  nextPageId: z.number().int().min(1),
});
export type SessionSnapshot = z.infer<typeof sessionSnapshotSchema>;

/** How to launch a session: the manifest facts the runtime enforces plus the launch address. */
export const launchOptionsSchema = z.strictObject({
  /** The manifest's pages (routes such as `pages/index`); the first is the home page. */
  pages: z.array(z.string().min(1).max(256)).min(1).max(200),
  /**
   * Lazily loaded sub-packages: their routes (`<root>/<page>`) are pages of the app, but their code is fetched
   * (through the manager's `loadSubpackage`) and run in the session's isolate only when one of them first opens.
   */
  subpackages: z
    .array(z.strictObject({ name: z.string().regex(/^[a-z0-9_-]{1,32}$/), pages: z.array(z.string().min(1).max(256)).min(1).max(100) }))
    .max(50)
    .optional(),
  /** Tab bar routes (`switchTab` targets). */
  tabBar: z.array(z.string().min(1).max(256)).max(5).optional(),
  /** Permission scopes the manifest declares; calls needing any other scope are refused in the runtime. */
  scopes: z.array(z.string().max(64)).max(32).optional(),
  /** The page to open (default: the first page) and its query. */
  path: z.string().max(256).optional(),
  query: query.optional(),
  scene: z.number().int().optional(),
  /** Re-create the session from a snapshot instead of a fresh launch. */
  restore: sessionSnapshotSchema.optional(),
});
export type LaunchOptions = z.infer<typeof launchOptionsSchema>;

/** A page as the owner sees it. */
export interface PageInfo {
  pageId: number;
  route: string;
}

/** Everything a session tells its owner (the host, through the process layer). */
export type RuntimeOutput =
  | { type: 'patches'; sessionId: string; pageId: number; patches: PatchRecord[]; bytes: number }
  | { type: 'pages'; sessionId: string; pages: PageInfo[] }
  | { type: 'render-refused'; sessionId: string; pageId: number; code: string; message: string }
  | { type: 'session-crashed'; sessionId: string; code: string; message: string }
  | { type: 'session-evicted'; sessionId: string; snapshot: SessionSnapshot }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; sessionId?: string; message: string };

/** The owner's handler for host-side bridge calls. It must never throw a host Error at the guest: it answers. */
export type HostBridge = (sessionId: string, api: string, args: Json) => Promise<BridgeResult>;

/** A result crossing to the owner: success with a value, or `{ code, message }`. */
export type Outcome<T = Record<never, never>> = ({ ok: true } & T) | { ok: false; code: string; message: string };

/** Time and timers, injectable so that tests drive idle eviction and coalescing. */
export interface RuntimeClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The real clock; timers are unref'd so they never keep the process alive. */
export const SYSTEM_CLOCK: RuntimeClock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};

/** Reports as JSON: the shape `Json` fields take once a host value went through JSON. */
export function toJson(value: unknown): Json {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}
