/**
 * @module Idempotency keys with Stripe's semantics, for every money-moving endpoint.
 *
 * - A request carries `Idempotency-Key` (1–255 printable ASCII characters). Keys belong to the caller (scope).
 * - The first response to a key — success or failure, once execution began — is stored and replayed to every
 *   retry, with `Idempotent-Replayed: true`.
 * - The same key with other parameters (a different fingerprint of method, path and canonical JSON body) is
 *   refused with `IDEMPOTENCY_KEY_REUSED`; a retry while the first still runs gets `IDEMPOTENCY_KEY_IN_USE`.
 * - Keys are kept at least 24 hours ({@link IDEMPOTENCY_TTL_MS}), then pruned.
 *
 * Two ways to use it. Ledger routes ("atomic") write the record inside the same savepoint as the transfer, in the
 * same group commit: the response and the money movement commit together or not at all, and a concurrent retry
 * finds the record in the transaction and is answered with the replay. Other routes ("wrapped", e.g. a top-up
 * that first calls a card processor) claim the key in its own write before running and store the response after.
 * @see https://docs.stripe.com/api/idempotent_requests
 */
import { hash } from 'node:crypto';
import type Sqlite from 'better-sqlite3';
import { and, eq, lt } from 'drizzle-orm';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { connectionOf, type Database, type Db, type ReadStatement } from '../db/database.ts';
import { toProblem } from '../http/problem.ts';
import type { Outcome } from './ledger.ts';
import { idempotencyKeys } from './schema.ts';

/** How long a key and its response are kept. Stripe: at least 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** A `started` claim older than this is taken over by a retry (its first run died with its process). */
export const IDEMPOTENCY_LOCK_MS = 60_000;

const KEY = /^[\x21-\x7e]{1,255}$/;

/** Who sent which key for which request. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  fingerprint: string;
  /**
   * When this use of the key began (ms). Ledger ids derived from the claim include it, so a retry of the same
   * use derives the same ids, while the same key used again after it expired makes new ones.
   */
  epoch: number;
}

/** A response as stored for replay. */
export interface StoredResponse {
  status: number;
  contentType: string;
  body: string;
}

type Found = { kind: 'none' } | { kind: 'replay'; response: StoredResponse } | { kind: 'in_use' };
type Row = typeof idempotencyKeys.$inferSelect;

/** Options of {@link IdempotencyService}. */
export interface IdempotencyOptions {
  database: Database;
  clock: Clock;
}

/** Stores and replays first responses per (scope, key). */
export class IdempotencyService {
  readonly #o: IdempotencyOptions;
  /** Raw statements on the writer's connection (guard, record, begin run inside writes): this runs on every payment. */
  readonly #statements = new WeakMap<Db, { read: Sqlite.Statement; record: Sqlite.Statement }>();
  #committed: ReadStatement<Row> | undefined;

  constructor(options: IdempotencyOptions) {
    this.#o = options;
  }

  /** The service's clock, for claims. */
  now(): number {
    return this.#o.clock.now();
  }

  /**
   * Resolves once every commit so far is on disk: a replay acknowledges the first request, whose batch may have
   * committed (so a lookup sees it) while its fsync is still under way.
   */
  flushed(): Promise<void> {
    return this.#o.database.flushed();
  }

  /** What a new request with `claim` should do, from committed data. Throws when the key was used differently. */
  lookup(claim: IdempotencyClaim): Found {
    // On the writer's connection when no write is open: every payment inserts a key on a random index page, so the
    // read connection's snapshot, whose cache each commit drops, would read those pages back from the log.
    this.#committed ??= this.#o.database.prepareCommittedRead<Row>(`${SELECT_ROW} where scope = ? and key = ?`);
    return this.#judge(this.#live(this.#committed.get(claim.scope, claim.key)), claim);
  }

  /** Inside a ledger batch: the stored response to replay (also one written earlier in the same batch). */
  guard(tx: Db, claim: IdempotencyClaim): StoredResponse | undefined {
    const found = this.#judge(this.#read(tx, claim), claim);
    if (found.kind === 'replay') return found.response;
    if (found.kind === 'in_use') throw new AtriumError({ code: 'IDEMPOTENCY_KEY_IN_USE' });
    return undefined;
  }

  /** Inside a ledger batch: stores the first response, in the same savepoint as the transfer. */
  record(tx: Db, claim: IdempotencyClaim, response: StoredResponse): StoredResponse {
    const now = this.#o.clock.now();
    this.#prepared(tx).record.run(claim.scope, claim.key, claim.fingerprint, response.status, response.contentType, response.body, now, now + IDEMPOTENCY_TTL_MS);
    return response;
  }

  /** For wrapped routes: claims the key before running. Returns `none` when this request may run. */
  async begin(claim: IdempotencyClaim): Promise<Found> {
    return this.#o.database.write(async (tx) => {
      const now = this.#o.clock.now();
      const row = this.#read(tx, claim);
      if (row) {
        const found = this.#judge(row, claim);
        if (found.kind === 'replay' || row.createdAt > now - IDEMPOTENCY_LOCK_MS) return found;
        // The first run died (its process crashed) long ago: run again as the same use of the key.
        claim.epoch = row.createdAt;
        return { kind: 'none' };
      }
      claim.epoch = now;
      const values = { scope: claim.scope, key: claim.key, fingerprint: claim.fingerprint, state: 'started', status: null, contentType: null, body: null, createdAt: now, expiresAt: now + IDEMPOTENCY_TTL_MS };
      tx.insert(idempotencyKeys).values(values).onConflictDoUpdate({ target: [idempotencyKeys.scope, idempotencyKeys.key], set: values }).run();
      return { kind: 'none' };
    });
  }

  /** For wrapped routes: stores the response of the request that claimed the key. */
  async finish(claim: IdempotencyClaim, response: StoredResponse): Promise<void> {
    await this.#o.database.write(
      async (tx) => {
        tx.update(idempotencyKeys)
          .set({ state: 'done', status: response.status, contentType: response.contentType, body: response.body })
          .where(and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key)))
          .run();
      },
      { durable: true },
    );
  }

  /** Drops a claim whose request never ran (it failed validation), so the caller may fix it and retry. */
  async forget(claim: IdempotencyClaim): Promise<void> {
    await this.#o.database.write(async (tx) => {
      tx.delete(idempotencyKeys).where(and(eq(idempotencyKeys.scope, claim.scope), eq(idempotencyKeys.key, claim.key), eq(idempotencyKeys.state, 'started'))).run();
    });
  }

  /** Deletes keys past their time; returns how many. */
  async prune(): Promise<number> {
    const now = this.#o.clock.now();
    return this.#o.database.write(async (tx) => tx.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).run().changes);
  }

  #read(tx: Db, claim: IdempotencyClaim): Row | undefined {
    return this.#live(this.#prepared(tx).read.get(claim.scope, claim.key) as Row | undefined);
  }

  #prepared(tx: Db): { read: Sqlite.Statement; record: Sqlite.Statement } {
    let statements = this.#statements.get(tx);
    if (!statements) {
      const connection = connectionOf(tx);
      statements = { read: connection.prepare(`${SELECT_ROW} where scope = ? and key = ?`), record: connection.prepare(RECORD) };
      this.#statements.set(tx, statements);
    }
    return statements;
  }

  /** An expired key is as good as pruned: it may be used again. */
  #live(row: Row | undefined): Row | undefined {
    return row && row.expiresAt > this.#o.clock.now() ? row : undefined;
  }

  #judge(row: Row | undefined, claim: IdempotencyClaim): Found {
    if (!row) return { kind: 'none' };
    if (row.fingerprint !== claim.fingerprint) {
      throw new AtriumError({ code: 'IDEMPOTENCY_KEY_REUSED', detail: 'Use a new Idempotency-Key for a different request.' });
    }
    if (row.state === 'done' && row.status !== null) {
      return { kind: 'replay', response: { status: row.status, contentType: row.contentType ?? 'application/json', body: row.body ?? '' } };
    }
    return { kind: 'in_use' };
  }
}

/** A stored key as {@link Row}: the columns under the names drizzle gives them. */
const SELECT_ROW =
  'select scope, key, fingerprint, state, status, content_type as contentType, body, created_at as createdAt, expires_at as expiresAt from idempotency_keys';
/** Stores a first response (a key used again after it expired is overwritten). */
const RECORD = `insert into idempotency_keys (scope, key, fingerprint, state, status, content_type, body, created_at, expires_at)
  values (?, ?, ?, 'done', ?, ?, ?, ?, ?)
  on conflict (scope, key) do update set fingerprint = excluded.fingerprint, state = 'done', status = excluded.status,
    content_type = excluded.content_type, body = excluded.body, created_at = excluded.created_at, expires_at = excluded.expires_at`;

/**
 * Fields never fingerprinted: a SHA-256 of a body holding a 6-digit PIN would give the PIN away to anyone who
 * reads the table (a million guesses). Card numbers count by their last four digits only.
 */
const SECRET_FIELDS = new Set(['pin', 'currentPin', 'cvc']);

/** Sorts object keys so that `{"a":1,"b":2}` and `{ "b": 2, "a": 1 }` are the same parameters; drops secrets. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((k) => !SECRET_FIELDS.has(k))
      .map((k) => {
        const v = (value as Record<string, unknown>)[k];
        return [k, k === 'number' && typeof v === 'string' ? `…${v.slice(-4)}` : canonical(v)];
      });
    return Object.fromEntries(entries);
  }
  return value;
}

/** SHA-256 over method, path (with query) and the canonical JSON body (or the raw body's hash if it is not JSON). */
export function fingerprint(method: string, path: string, body: string): string {
  let normalized = body;
  try {
    normalized = body === '' ? '' : JSON.stringify(canonical(JSON.parse(body)));
  } catch {
    normalized = hash('sha256', body); // not JSON: the validator refuses it anyway
  }
  return hash('sha256', `${method} ${path}\n${normalized}`, 'base64url');
}

/**
 * The `Idempotency-Key` header as a route documents it (`parameters: [idempotencyKeyParameter(…)]` in
 * `createRoute`). Documented only, not declared as a validated `request.headers` schema: {@link claimKey} checks
 * the key itself, after the body, with its own codes, and hono's header validator would copy every header of
 * every money-moving request into a `Headers` object first (~10 µs a request under load).
 */
export function idempotencyKeyParameter(description: string) {
  return { name: 'idempotency-key', in: 'header', required: true, description, schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' } } as const;
}

/** Renders a stored response. */
export function replay(c: Context, response: StoredResponse, replayed: boolean): Response {
  const headers: Record<string, string> = { 'content-type': response.contentType };
  if (replayed) headers['Idempotent-Replayed'] = 'true';
  return c.body(response.body, response.status as ContentfulStatusCode, headers);
}

/** The stored form of an outcome: `ok` rendered by the route, errors as problem+json. */
export function storedOutcome<T>(c: Context, outcome: Outcome<T>, ok: (value: T) => { status: number; body: unknown }): StoredResponse {
  if (outcome.ok) {
    const { status, body } = ok(outcome.value);
    return { status, contentType: 'application/json', body: JSON.stringify(body) };
  }
  const problem = toProblem(outcome.error, c.get('config').publicUrl, c.get('requestId'));
  return { status: outcome.error.status, contentType: 'application/problem+json', body: JSON.stringify(problem) };
}

/**
 * Reads and checks the request's `Idempotency-Key` (after validation: a request that fails validation never
 * touches its key, as with Stripe). Returns the claim to execute under, or the response to send: a replay.
 * Throws `IDEMPOTENCY_KEY_REQUIRED`, `_INVALID`, `_REUSED` or `_IN_USE`.
 */
export async function claimKey(c: Context, service: IdempotencyService): Promise<IdempotencyClaim | Response> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) throw new AtriumError({ code: 'IDEMPOTENCY_KEY_REQUIRED', detail: 'Money-moving requests need a unique Idempotency-Key header (e.g. a UUID) so that retries are safe.' });
  if (!KEY.test(key)) throw new AtriumError({ code: 'IDEMPOTENCY_KEY_INVALID', detail: 'Use 1 to 255 printable ASCII characters.' });
  const url = new URL(c.req.url);
  const claim: IdempotencyClaim = { scope: c.get('caller').userId, key, fingerprint: fingerprint(c.req.method, url.pathname + url.search, await c.req.text()), epoch: service.now() };
  const found = service.lookup(claim);
  if (found.kind === 'replay') {
    await service.flushed(); // never acknowledge, even as a replay, what a power cut could still take back
    return replay(c, found.response, true);
  }
  if (found.kind === 'in_use') throw new AtriumError({ code: 'IDEMPOTENCY_KEY_IN_USE', headers: { 'Retry-After': '1' } });
  return claim;
}

/**
 * Runs a money-moving handler under its idempotency key ("wrapped"): claims the key durably, runs `run`, stores
 * the response. Failures the caller caused (4xx, e.g. a declined card) are stored and replayed; a 5xx is not
 * stored and the claim is released, so a retry runs again — safe, because what `run` does downstream is itself
 * idempotent by the claim (processor reference and ledger transfer id derive from it).
 * @example return idempotently(c, idempotency, async (claim) => c.json(await wallet.topUp(userId, body, claim), 201));
 */
export async function idempotently(c: Context, service: IdempotencyService, run: (claim: IdempotencyClaim) => Promise<Response>): Promise<Response> {
  const claim = await claimKey(c, service);
  if (claim instanceof Response) return claim;
  const claimed = await service.begin(claim);
  if (claimed.kind === 'replay') {
    await service.flushed();
    return replay(c, claimed.response, true);
  }
  if (claimed.kind === 'in_use') throw new AtriumError({ code: 'IDEMPOTENCY_KEY_IN_USE', headers: { 'Retry-After': '1' } });
  let response: StoredResponse;
  try {
    const res = await run(claim);
    response = { status: res.status, contentType: res.headers.get('content-type') ?? 'application/json', body: await res.text() };
  } catch (error) {
    if (!(error instanceof AtriumError) || error.status >= 500) {
      await service.forget(claim);
      throw error;
    }
    response = storedOutcome(c, { ok: false, error }, () => ({ status: 500, body: null }));
  }
  await service.finish(claim, response);
  return replay(c, response, false);
}
