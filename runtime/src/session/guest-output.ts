/** @module Parsing what an entry returned: framing, defensive JSON, and the `GuestOutbound` shape checked by hand. */

import type { Json } from '../../../sdk/src/protocol.ts';
import { isJsonObject, parseGuestJson } from '../bridge/json.ts';
import { failure, type RuntimeFailure } from '../codes.ts';
import type { RuntimeLimits } from '../config.ts';

/** A bridge call as the guest returned it (validated per API later). */
export interface RawCall {
  id: number;
  api: string;
  args: Json | undefined;
}

/** A checked entry result. */
export type GuestResult =
  | {
      ok: true;
      renders: Array<{ pageId: number; tree: Json }>;
      calls: RawCall[];
      snapshots: Array<{ pageId: number; data: Json }> | undefined;
      /**
       * Whether to send `{ t: 'flush' }` next: after an ordinary entry the runtime flushes unless the guest says
       * `more: false`; after a flush it flushes again only on `more: true`.
       */
      more: boolean | undefined;
    }
  | ({ ok: false } & RuntimeFailure);

const MAX_RENDERS = 64;

function bad(message: string): GuestResult {
  return { ok: false, ...failure('APP_BAD_OUTPUT', message) };
}

/**
 * Checks an entry's output string: type and length before parsing, prototype keys dropped, bounded depth, then
 * the shape of `GuestOutbound`. View trees are validated later, whole, by the flusher.
 */
export function parseGuestOutput(output: string, limits: RuntimeLimits): GuestResult {
  const parsed = parseGuestJson(output, limits.maxOutputChars + 64, Math.max(limits.maxJsonDepth, limits.maxTreeDepth * 2 + 8));
  if (!parsed.ok) {
    if (parsed.reason === 'length') return { ok: false, ...failure('PAYLOAD_TOO_LARGE') };
    return bad(`The entry output is not valid JSON (${parsed.reason})`);
  }
  const value = parsed.value;
  if (!isJsonObject(value)) return bad('The entry output is not an object');
  if (value.ok === false) {
    const code = typeof value.code === 'string' && /^[A-Z][A-Z0-9_]{0,63}$/.test(value.code) ? value.code : 'APP_ERROR';
    const message = typeof value.message === 'string' ? value.message.slice(0, 1000) : 'The app reported an error';
    return { ok: false, code, message };
  }
  if (value.ok !== true) return bad('The entry output has no ok flag');
  const renders: Array<{ pageId: number; tree: Json }> = [];
  const rawRenders = value.renders ?? [];
  if (!Array.isArray(rawRenders) || rawRenders.length > MAX_RENDERS) return bad('renders must be an array of at most 64');
  for (const render of rawRenders) {
    if (!isJsonObject(render) || !Number.isSafeInteger(render.pageId) || render.tree === undefined) {
      return bad('each render needs an integer pageId and a tree');
    }
    renders.push({ pageId: render.pageId as number, tree: render.tree });
  }
  const calls: RawCall[] = [];
  const rawCalls = value.calls ?? [];
  if (!Array.isArray(rawCalls)) return bad('calls must be an array');
  for (const call of rawCalls) {
    if (!isJsonObject(call) || !Number.isSafeInteger(call.id) || typeof call.api !== 'string' || call.api.length > 64) {
      return bad('each call needs an integer id and an api name');
    }
    calls.push({ id: call.id as number, api: call.api, args: call.args });
  }
  let snapshots: Array<{ pageId: number; data: Json }> | undefined;
  if (value.snapshots !== undefined) {
    if (!Array.isArray(value.snapshots)) return bad('snapshots must be an array');
    snapshots = [];
    for (const snapshot of value.snapshots) {
      if (!isJsonObject(snapshot) || !Number.isSafeInteger(snapshot.pageId)) return bad('each snapshot needs a pageId');
      snapshots.push({ pageId: snapshot.pageId as number, data: snapshot.data ?? null });
    }
  }
  return { ok: true, renders, calls, snapshots, more: typeof value.more === 'boolean' ? value.more : undefined };
}
