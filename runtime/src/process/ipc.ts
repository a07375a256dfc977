/** @module The typed IPC protocol between the host's supervisor and the runtime child: JSON messages with request ids. */

import { z } from 'zod';
import { isJsonObject } from '../bridge/json.ts';
import { launchOptionsSchema, sessionSnapshotSchema } from '../session/types.ts';

const sessionId = z.string().min(1).max(200);
const outcomeFailure = z.object({ ok: z.literal(false), code: z.string().max(64), message: z.string().max(2000) });

/** Requests the supervisor sends; each has a request id answered by one `response`. */
export const childRequestSchema = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('launch'),
    sessionId,
    // `code` may be left out when the child already holds this cache key's code (the supervisor remembers what it
    // sent to the current child); the child answers BUNDLE_NOT_LOADED if it no longer does.
    bundle: z.object({ code: z.string().max(16 * 1024 * 1024).optional(), cacheKey: z.string().min(1).max(200) }),
    options: launchOptionsSchema,
  }),
  z.object({ op: z.literal('event'), sessionId, pageId: z.number().int(), handler: z.string().max(128), detail: z.json() }),
  z.object({ op: z.literal('navigate'), sessionId, api: z.string().max(64), args: z.json() }),
  z.object({ op: z.literal('snapshot'), sessionId }),
  z.object({ op: z.literal('close'), sessionId }),
  z.object({ op: z.literal('stats') }),
]);
export type ChildRequest = z.infer<typeof childRequestSchema>;

/** Every message the supervisor sends to the child. */
export const toChildSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('init'), limits: z.record(z.string(), z.number()), viewModule: z.string().optional() }),
  z.object({ type: z.literal('request'), rid: z.number().int(), request: childRequestSchema }),
  z.object({
    type: z.literal('subpackage-reply'),
    callId: z.number().int(),
    result: z.union([z.object({ ok: z.literal(true), bundle: z.object({ code: z.string().max(16 * 1024 * 1024), cacheKey: z.string().min(1).max(300) }) }), outcomeFailure]),
  }),
  z.object({
    type: z.literal('bridge-reply'),
    callId: z.number().int(),
    result: z.union([z.object({ ok: z.literal(true), result: z.unknown() }), outcomeFailure]),
  }),
]);
export type ToChild = z.infer<typeof toChildSchema>;

/** Process-level counters the child reports on every heartbeat. */
export const childStatsSchema = z.object({
  sessions: z.number(),
  evicted: z.number(),
  poolReady: z.number(),
  runningEntries: z.number(),
  isolatesCpuMs: z.number(),
  stuckCalls: z.number(),
  subpackageLoads: z.number(),
  rssBytes: z.number(),
  heapUsedBytes: z.number(),
});
export type ChildStats = z.infer<typeof childStatsSchema>;

const output = z.discriminatedUnion('type', [
  z.object({ type: z.literal('patches'), sessionId, pageId: z.number().int(), patches: z.array(z.array(z.unknown()).readonly()), bytes: z.number() }),
  z.object({ type: z.literal('pages'), sessionId, pages: z.array(z.object({ pageId: z.number().int(), route: z.string() })) }),
  z.object({ type: z.literal('render-refused'), sessionId, pageId: z.number().int(), code: z.string(), message: z.string() }),
  z.object({ type: z.literal('session-crashed'), sessionId, code: z.string(), message: z.string() }),
  z.object({ type: z.literal('session-evicted'), sessionId, snapshot: sessionSnapshotSchema }),
  z.object({
    type: z.literal('log'),
    level: z.enum(['debug', 'info', 'warn', 'error']),
    sessionId: sessionId.optional(),
    message: z.string().max(4000),
  }),
]);

/**
 * Every message the child sends. The supervisor validates them: the child runs hostile code, so it is trusted
 * less than the host (a compromised child must not forge calls for sessions it was not given).
 */
export const fromChildSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }),
  z.object({ type: z.literal('fatal'), message: z.string().max(4000) }),
  z.object({ type: z.literal('response'), rid: z.number().int(), outcome: z.union([z.object({ ok: z.literal(true) }).loose(), outcomeFailure]) }),
  z.object({ type: z.literal('bridge'), callId: z.number().int(), sessionId, api: z.string().max(64), args: z.json() }),
  z.object({ type: z.literal('subpackage'), callId: z.number().int(), sessionId, name: z.string().regex(/^[a-z0-9_-]{1,32}$/) }),
  z.object({ type: z.literal('output'), output }),
  z.object({ type: z.literal('heartbeat'), stats: childStatsSchema }),
]);
export type FromChild = z.infer<typeof fromChildSchema>;

/**
 * Messages the child produced in one turn of its event loop (an event's patches and its response, say), sent
 * as one IPC write; each is validated on its own with {@link fromChildSchema}.
 */
export const childBatchSchema = z.object({ type: z.literal('batch'), messages: z.array(z.unknown()).min(2).max(10_000) });
export type ChildBatch = z.infer<typeof childBatchSchema>;

function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= 200;
}

/**
 * {@link toChildSchema}, with the message every tap sends (`request` / `event`) checked by hand: zod's walk of
 * the two nested unions is a tenth of a millisecond of a tap's round trip on this machine's cold caches. The
 * event's `detail` is checked again, with limits, by the session (`checkEventDetail`). Anything else, or an
 * event that fails the hand check, goes through the schema and gets its verdict.
 */
export function parseToChild(raw: unknown): ToChild | undefined {
  if (isJsonObject(raw) && raw.type === 'request' && Number.isSafeInteger(raw.rid) && isJsonObject(raw.request)) {
    const r = raw.request;
    if (r.op === 'event' && isSessionId(r.sessionId) && Number.isSafeInteger(r.pageId) && typeof r.handler === 'string' && r.handler.length <= 128 && r.detail !== undefined) {
      return { type: 'request', rid: raw.rid as number, request: { op: 'event', sessionId: r.sessionId, pageId: r.pageId as number, handler: r.handler, detail: r.detail as Extract<ChildRequest, { op: 'event' }>['detail'] } };
    }
  }
  const parsed = toChildSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * {@link fromChildSchema}, with the two messages of every tap (`output` / `patches` and an ok `response`) checked
 * by hand to the same rules (unknown keys dropped, as zod drops them); anything else goes through the schema.
 */
export function parseFromChild(raw: unknown): FromChild | undefined {
  if (isJsonObject(raw)) {
    if (raw.type === 'output' && isJsonObject(raw.output) && raw.output.type === 'patches') {
      const o = raw.output;
      if (isSessionId(o.sessionId) && Number.isSafeInteger(o.pageId) && typeof o.bytes === 'number' && Array.isArray(o.patches) && o.patches.every(Array.isArray)) {
        return { type: 'output', output: { type: 'patches', sessionId: o.sessionId, pageId: o.pageId as number, patches: o.patches as unknown[][], bytes: o.bytes } };
      }
    } else if (raw.type === 'response' && Number.isSafeInteger(raw.rid) && isJsonObject(raw.outcome) && raw.outcome.ok === true) {
      return { type: 'response', rid: raw.rid as number, outcome: raw.outcome as { ok: true } };
    }
  }
  const parsed = fromChildSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** The messages of a {@link ChildBatch} (2 to 10,000), or undefined when `raw` is not one. */
export function batchMessages(raw: unknown): unknown[] | undefined {
  if (!isJsonObject(raw) || raw.type !== 'batch' || !Array.isArray(raw.messages)) return undefined;
  return raw.messages.length >= 2 && raw.messages.length <= 10_000 ? raw.messages : undefined;
}
