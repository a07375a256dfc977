/**
 * @module The wire protocol between the runtime's trusted prelude and a mini-app's guest code, and the
 * view tree and patch records the runtime sends to the shell. JSON strings only cross the isolate boundary.
 *
 * Flow of one entry (host → runtime process → isolate):
 *   runtime calls the prelude's `__atriumEntry(json)` with `{ now, msg: GuestInbound }` under a timeout;
 *   the prelude freezes the clock at `now`, hands `JSON.stringify(msg)` to the dispatcher the guest
 *   registered with `__atriumRegister(dispatch)`, and returns the dispatcher's `GuestOutbound` JSON string.
 * Bridge calls are not callbacks: the guest returns them in `calls`, the runtime answers each later with a
 * `reply` entry, and the continuation's new renders and calls come back in that entry's result.
 */

/** A JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An element of a view tree: a whitelisted component with typed props and children. */
export interface ViewElement {
  type: string;
  /** Keyed children are matched by key when diffing (lists). */
  key?: string | number;
  props: Record<string, Json>;
  children: ViewNode[];
}

/** A node of a view tree: an element or a text. */
export type ViewNode = ViewElement | string;

/** Messages the runtime sends to the guest. `pageId` is assigned by the runtime, which owns the page stack. */
export type GuestInbound =
  | { t: 'app'; hook: 'launch' | 'show' | 'hide'; options: { path: string; query: Record<string, string>; scene: number } }
  | { t: 'app'; hook: 'error'; error: string }
  | { t: 'page'; hook: 'load'; pageId: number; route: string; query: Record<string, string> }
  | { t: 'page'; hook: 'restore'; pageId: number; route: string; query: Record<string, string>; data: Json }
  | { t: 'page'; hook: 'show' | 'hide' | 'unload' | 'reachBottom' | 'pullDownRefresh'; pageId: number }
  | { t: 'event'; pageId: number; handler: string; detail: Json }
  | { t: 'reply'; id: number; ok: true; result: Json }
  | { t: 'reply'; id: number; ok: false; error: { code: string; message: string } }
  | { t: 'timer'; id: number }
  | { t: 'snapshot' }
  /**
   * Sent by the runtime after every other entry: code after an `await` runs only once the entry returned,
   * so its renders and calls are collected by this (cheap) follow-up entry.
   */
  | { t: 'flush' };

/** What the runtime passes to the prelude's entry point. */
export interface EntryEnvelope {
  /** The frozen clock for this entry, ms since the epoch. */
  now: number;
  msg: GuestInbound;
}

/** A page's new view tree (after setData or load). */
export interface Render {
  pageId: number;
  tree: ViewNode;
}

/** A bridge call made by the guest during the entry. */
export interface BridgeCall {
  id: number;
  api: string;
  args: Json;
}

/** What an entry returns. `snapshots` answers `{ t: 'snapshot' }` (page data, to re-create the session later). */
export type GuestOutbound =
  | { ok: true; renders: Render[]; calls: BridgeCall[]; snapshots?: Array<{ pageId: number; data: Json }> }
  | { ok: false; code: string; message: string };

/** Names of the globals the trusted prelude installs for the guest framework (then deletes the register one). */
export const GUEST_GLOBALS = {
  /** `(dispatch: (msg: string) => string) => void`, callable once. */
  REGISTER: '__atriumRegister',
  /** `(envelope: string) => string`, called by the runtime only. */
  ENTRY: '__atriumEntry',
  /**
   * `(name: string, pages: Record<string, PageDefinition>) => BridgeSink`: installed by `startApp` (not the
   * prelude) for the sub-package bundles the runtime loads later (`registerSubpackage`).
   */
  ADD_PAGES: '__atriumAddPages',
} as const;

/** Patch record opcodes (remote-dom style) the runtime sends to the shell; `as const`, never an enum. */
export const PATCH = {
  /** `[MOUNT, node]`: replace the whole page with `node` (first render, or after a reload). */
  MOUNT: 0,
  /** `[INSERT, parentId, index, node]` */
  INSERT: 1,
  /** `[REMOVE, parentId, index]` */
  REMOVE: 2,
  /** `[TEXT, id, text]` */
  TEXT: 3,
  /** `[PROPS, id, set: Record<string, Json>, unset: string[]]` */
  PROPS: 4,
  /** `[MOVE, parentId, from, to]` (keyed children) */
  MOVE: 5,
} as const;

/** A node as the shell receives it: every node has a runtime-assigned id. */
export type WireNode = { id: number; text: string } | { id: number; type: string; key?: string | number; props: Record<string, Json>; children: WireNode[] };

/** One patch record. */
export type PatchRecord =
  | readonly [typeof PATCH.MOUNT, WireNode]
  | readonly [typeof PATCH.INSERT, number, number, WireNode]
  | readonly [typeof PATCH.REMOVE, number, number]
  | readonly [typeof PATCH.TEXT, number, string]
  | readonly [typeof PATCH.PROPS, number, Record<string, Json>, string[]]
  | readonly [typeof PATCH.MOVE, number, number, number];

/** Limits shared by the SDK, the runtime and the shell. */
export const VIEW_LIMITS = {
  maxNodes: 1000,
  maxDepth: 30,
  /** Patch batches above this are refused with a clear error. */
  maxPatchBytes: 1024 * 1024,
  /** Patch batches above this are warned about. */
  warnPatchBytes: 256 * 1024,
  /** Flushes per second per session; more are coalesced. */
  maxFlushesPerSecond: 20,
} as const;
