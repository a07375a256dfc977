/** @module Validation of one bridge call from the guest: known API, declared scope, size, depth, args schema. */

import type { Json } from '../../../sdk/src/protocol.ts';
import { failure, type RuntimeFailure } from '../codes.ts';
import type { BridgeApi } from './registry.ts';
import { jsonBytes, jsonDepth } from './json.ts';
import { findBridgeApi } from './registry.ts';

/** A call that passed every check, with its parsed args. */
export interface ValidCall {
  api: BridgeApi;
  args: Json;
}

/** Limits `validateCall` applies. */
export interface CallLimits {
  maxCallArgsBytes: number;
  maxJsonDepth: number;
}

/**
 * Checks a call: the API exists (`UNKNOWN_API`), its scope is declared by the app's manifest
 * (`PERMISSION_DENIED`, before the host ever sees it), the args fit the size and depth caps
 * (`PAYLOAD_TOO_LARGE`) and match the API's strict schema (`INVALID_ARGUMENT` with the path).
 */
export function validateCall(
  apiName: string,
  rawArgs: Json | undefined,
  declaredScopes: ReadonlySet<string>,
  limits: CallLimits,
): { ok: true; call: ValidCall } | { ok: false; error: RuntimeFailure } {
  const api = findBridgeApi(apiName);
  if (!api) return { ok: false, error: failure('UNKNOWN_API', `No bridge API named ${JSON.stringify(apiName.slice(0, 64))}`) };
  if (api.scope !== null && !declaredScopes.has(api.scope)) {
    return {
      ok: false,
      error: failure('PERMISSION_DENIED', `${api.name} needs the ${api.scope} permission, which the app's manifest does not declare`),
    };
  }
  const args: Json = rawArgs === undefined || rawArgs === null ? {} : rawArgs;
  const maxBytes = api.maxArgsBytes ?? limits.maxCallArgsBytes;
  const bytes = jsonBytes(args);
  if (bytes > maxBytes) {
    return { ok: false, error: failure('PAYLOAD_TOO_LARGE', `${api.name} args are ${bytes} bytes; the limit is ${maxBytes}`) };
  }
  if (jsonDepth(args, limits.maxJsonDepth) > limits.maxJsonDepth) {
    return { ok: false, error: failure('INVALID_ARGUMENT', `${api.name} args are nested deeper than ${limits.maxJsonDepth}`) };
  }
  const parsed = api.args.safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(args)';
    return { ok: false, error: failure('INVALID_ARGUMENT', `${api.name}: ${path}: ${issue?.message ?? 'invalid'}`) };
  }
  return { ok: true, call: { api, args: parsed.data as Json } };
}
