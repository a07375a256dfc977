/**
 * @module The bridge registry the runtime enforces: the SDK's `BRIDGE_APIS` (one file per API with its zod args
 * schema in sdk/src/bridge/apis/, the single source of truth that also types the guest's `atrium.*`), plus the
 * types the host implements its handlers with.
 */

import type { BridgeParsedArgs, HostBridgeApiName } from '../../../sdk/src/bridge/registry.ts';
import { failure } from '../codes.ts';

export { BRIDGE_APIS, BRIDGE_API_NAMES, findBridgeApi } from '../../../sdk/src/bridge/registry.ts';
export type { BridgeApiName, BridgeParsedArgs, HostBridgeApiName } from '../../../sdk/src/bridge/registry.ts';
export { BRIDGE_SCOPES, BRIDGE_SIDE, defineBridgeApi } from '../../../sdk/src/bridge/define-api.ts';
export type { BridgeApi, BridgeScope, BridgeSide } from '../../../sdk/src/bridge/define-api.ts';

/** A host handler's answer: a JSON result, or a `{ code, message }` failure (never an Error, never a stack). */
export type BridgeResult = { ok: true; result: unknown } | { ok: false; code: string; message: string };

/**
 * The host's handlers, one per host-side API, typed from each API's schema: what `createRuntimeSupervisor`'s
 * `bridge` option dispatches to.
 * @example
 * const handlers: HostBridgeHandlers = { 'storage.get': async (sessionId, { key }) => ({ ok: true, result: … }), … };
 * const bridge: HostBridge = (sessionId, api, args) => handlers[api as HostBridgeApiName](sessionId, args as never);
 */
export type HostBridgeHandlers = {
  [N in HostBridgeApiName]: (sessionId: string, args: BridgeParsedArgs<N>) => Promise<BridgeResult>;
};

/** Keeps only `{ ok, result }` or `{ ok: false, code, message }` of a host answer: never an Error, a stack or a path. */
export function sanitizeBridgeResult(value: unknown): BridgeResult {
  if (value === null || typeof value !== 'object') return { ok: false, ...failure('BRIDGE_FAILED') };
  const answer = value as Record<string, unknown>;
  if (answer.ok === true) return { ok: true, result: answer.result ?? null };
  const code = typeof answer.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(answer.code) ? answer.code : 'BRIDGE_FAILED';
  const message = typeof answer.message === 'string' ? answer.message.slice(0, 1000) : 'The bridge call failed';
  return { ok: false, code, message };
}
