/**
 * @module `defineBridgeApi`: one bridge API — its name, the zod schemas of its arguments and result, which side
 * answers it, the permission scope it needs, its wall timeout and whether the access log records it. The runtime
 * validates arguments with `args`; the guest's `atrium.*` client takes its types from the same schemas.
 */
import type { z } from 'zod';

/** Who answers a bridge call: the runtime itself (navigation, timers) or the host (everything else). */
export const BRIDGE_SIDE = { RUNTIME: 'runtime', HOST: 'host' } as const;
/** A side of {@link BRIDGE_SIDE}. */
export type BridgeSide = (typeof BRIDGE_SIDE)[keyof typeof BRIDGE_SIDE];

/**
 * Permission scopes a manifest may declare (`req_permissions[].name`) and a person may grant. Storage needs none.
 */
export const BRIDGE_SCOPES = { USER_INFO: 'userInfo', CAMERA: 'camera', LOCATION: 'location' } as const;
/** A scope of {@link BRIDGE_SCOPES}. */
export type BridgeScope = (typeof BRIDGE_SCOPES)[keyof typeof BRIDGE_SCOPES];

/** Default wall timeout of a call, ms. */
export const DEFAULT_BRIDGE_TIMEOUT_MS = 10_000;
/** Wall timeout of calls that wait for the person (consent, modal, sheet, scanner), ms. */
export const PERSON_BRIDGE_TIMEOUT_MS = 5 * 60_000;

/** A bridge API. */
export interface BridgeApi<Name extends string = string, Args extends z.ZodType = z.ZodType, Result extends z.ZodType = z.ZodType, Side extends BridgeSide = BridgeSide> {
  name: Name;
  /** One sentence for the reference table and the consent sheet. */
  description: string;
  /** Arguments (strict: unknown fields are refused). A call without arguments is validated as `{}`. */
  args: Args;
  /** What the promise resolves with, after the runtime's mapping of the host's answer. */
  result: Result;
  side: Side;
  /**
   * A scope the manifest must declare in `req_permissions` and the person must allow (consent sheet on first
   * use); `null` when none is needed.
   */
  scope: BridgeScope | null;
  /** The longest the runtime waits for the answer, ms. */
  timeoutMs: number;
  /** Largest JSON arguments, bytes (the runtime's default applies when absent). */
  maxArgsBytes?: number;
  /** Written to the person's access log for the app (personal data, network, quota, login, scan). */
  audited: boolean;
}

/**
 * Defines a bridge API (one file per API in `bridge/apis/`, then one line in `bridge/registry.ts`).
 * @example
 * export const setNavigationBarTitle = defineBridgeApi({
 *   name: 'setNavigationBarTitle', description: "Sets the page's title", side: 'host', scope: null,
 *   timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS, audited: false,
 *   args: z.strictObject({ title: z.string().max(64) }), result: z.null(),
 * });
 */
export function defineBridgeApi<const Name extends string, Args extends z.ZodType, Result extends z.ZodType, const Side extends BridgeSide>(
  api: BridgeApi<Name, Args, Result, Side>,
): BridgeApi<Name, Args, Result, Side> {
  return Object.freeze({ ...api });
}
