/**
 * @module Merchant webhooks: every event (payment succeeded, refund succeeded, order closed) is written to an
 * outbox in the same transaction as the change it describes, then delivered to the merchant's endpoint, signed
 * with Atrium's Ed25519 key (public keys at `GET /v1/webhook-keys`), retried on WeChat Pay's schedule (15 s … 6 h,
 * 24 h 4 min in all) until a 2xx, with a delivery log and manual redelivery. A merchant server that is down for
 * an hour loses nothing: the delivery waits in the outbox.
 *
 * Signature: header `Atrium-Signature: t=<unix seconds>,kid=<key id>,v1=<base64url Ed25519 signature of
 * "<t>.<raw body>">`. Receivers check it with {@link verifyWebhook}, refuse timestamps more than 300 s away
 * (replay) and deduplicate on the event `id` (deliveries may repeat).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { and, asc, desc, eq, inArray, lte } from 'drizzle-orm';
import { Agent, request } from 'undici';
import { isBlockedAddress } from '../apps/network.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import { merchantEvents, merchantWebhooks, webhookAttempts, webhookDeliveries, webhookSigningKeys } from './schema.ts';

/** Wait before each retry, after the first attempt (WeChat Pay: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h). */
export const RETRY_SCHEDULE_MS = [15, 15, 30, 180, 600, 1_200, 1_800, 1_800, 1_800, 3_600, 10_800, 10_800, 10_800, 21_600, 21_600].map((s) => s * 1000);
/** A receiver must answer within this. */
export const DELIVERY_TIMEOUT_MS = 5_000;
/** Receivers refuse signatures older (or newer) than this. */
export const SIGNATURE_TOLERANCE_S = 300;

/** The event types merchants receive. */
export type WebhookEventType = 'payment.succeeded' | 'refund.succeeded' | 'order.closed';

/** Options of {@link WebhookService}. */
export interface WebhookServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  /** Development only: allow http://127.0.0.1 and localhost endpoints. @default false */
  allowLocalForDevelopment?: boolean;
  /** DNS resolution (tests inject one). @default node:dns */
  resolve?: (hostname: string) => Promise<LookupAddress[]>;
  /**
   * Development mode: the in-process backend answering a reserved `.test` host (a sample's own backend, see
   * AppNetwork.mapDevelopmentHost), so its webhooks arrive signed like any other, without DNS.
   */
  developmentBackend?: (hostname: string) => ((request: Request) => Response | Promise<Response>) | undefined;
}

/** One delivery with its attempts, for the merchant's delivery log. */
export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  url: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: { at: number; statusCode: number | null; error: string | null; ms: number }[];
  nextAttemptAt: number | null;
  createdAt: number;
}

/** Events, their deliveries and Atrium's webhook signing key. */
export class WebhookService {
  readonly #o: WebhookServiceOptions;
  readonly #agent: Agent;
  #key: { kid: string; privateKey: KeyObject } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;

  constructor(options: WebhookServiceOptions) {
    this.#o = options;
    const resolve = options.resolve ?? ((hostname: string) => new Promise<LookupAddress[]>((ok, fail) => dnsLookup(hostname, { all: true, verbatim: true }, (e, a) => (e ? fail(e) : ok(a)))));
    const allowLocal = options.allowLocalForDevelopment === true;
    // Checked when the socket connects, so a name that resolves to a private address later gains nothing.
    const guarded: LookupFunction = (hostname, opts, callback) => {
      resolve(hostname).then(
        (addresses) => {
          const blocked = addresses.length === 0 || (!allowLocal && addresses.some((a) => isBlockedAddress(a.address)));
          if (blocked) return (callback as (e: Error) => void)(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'ATRIUM_ADDRESS_BLOCKED' }));
          if (opts.all) (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
          else (callback as (e: null, a: string, f: number) => void)(null, addresses[0]!.address, addresses[0]!.family);
        },
        (error: Error) => (callback as (e: Error) => void)(error),
      );
    };
    this.#agent = new Agent({ connect: { lookup: guarded, timeout: DELIVERY_TIMEOUT_MS }, connections: 16 });
  }

  /** Checks an endpoint URL: https (or, in development, http to 127.0.0.1/localhost). */
  checkUrl(url: string): string {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.url', message: 'Not a URL' }], cause });
    }
    const local = parsed.protocol === 'http:' && ['127.0.0.1', 'localhost'].includes(parsed.hostname) && this.#o.allowLocalForDevelopment === true;
    if (parsed.protocol !== 'https:' && !local) throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.url', message: 'Webhook endpoints must use https' }] });
    if (parsed.username || parsed.password) throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.url', message: 'No credentials in the URL' }] });
    return parsed.href;
  }

  /** Sets (or clears, with null) a merchant's endpoint. */
  async setEndpoint(merchantId: string, url: string | null): Promise<void> {
    const now = this.#o.clock.now();
    await this.#o.database.write(async (tx) => {
      if (url === null) tx.delete(merchantWebhooks).where(eq(merchantWebhooks.merchantId, merchantId)).run();
      else tx.insert(merchantWebhooks).values({ merchantId, url: this.checkUrl(url), updatedAt: now }).onConflictDoUpdate({ target: merchantWebhooks.merchantId, set: { url: this.checkUrl(url), updatedAt: now } }).run();
    });
  }

  /** The merchant's endpoint, if any. */
  endpoint(merchantId: string): string | null {
    return this.#o.database.db.select({ url: merchantWebhooks.url }).from(merchantWebhooks).where(eq(merchantWebhooks.merchantId, merchantId)).get()?.url ?? null;
  }

  /**
   * Writes an event (and, when the merchant has an endpoint, its delivery) inside `tx`, so it commits or rolls
   * back with the change it describes.
   */
  emit(tx: Db, merchantId: string, type: WebhookEventType, data: Record<string, unknown>): string {
    const now = this.#o.clock.now();
    const id = newId(this.#o.random, 'evt');
    tx.insert(merchantEvents).values({ id, merchantId, type, payload: JSON.stringify(data), createdAt: now }).run();
    const hook = tx.select({ url: merchantWebhooks.url }).from(merchantWebhooks).where(eq(merchantWebhooks.merchantId, merchantId)).get();
    if (hook) tx.insert(webhookDeliveries).values({ id: newId(this.#o.random, 'whd'), eventId: id, merchantId, url: hook.url, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now }).run();
    return id;
  }

  /** The public keys receivers verify signatures with (JWK, Ed25519). */
  async publicKeys(): Promise<{ keys: Record<string, string>[] }> {
    const key = await this.#signingKey();
    const jwk = createPublicKey(key.privateKey).export({ format: 'jwk' }) as Record<string, string>;
    return { keys: [{ kty: jwk.kty!, crv: jwk.crv!, x: jwk.x!, kid: key.kid, alg: 'EdDSA', use: 'sig' }] };
  }

  /** Delivers every due delivery once (an attempt each); returns how many were attempted. */
  deliverDue(): Promise<number> {
    // One sweep at a time: a slow receiver never gets the same delivery twice at once.
    this.#running ??= this.#sweep().finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Starts delivering every `everyMs` (the host calls this; tests call {@link deliverDue} with their clock). */
  start(everyMs = 1_000): void {
    this.#timer ??= setInterval(() => void this.deliverDue().catch(() => undefined), everyMs);
    this.#timer.unref();
  }

  /** Stops the delivery timer. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** The merchant's recent deliveries with their attempts, newest first. */
  deliveries(merchantId: string, limit = 50): DeliveryView[] {
    const db = this.#o.database.db;
    const rows = db
      .select({ d: webhookDeliveries, type: merchantEvents.type })
      .from(webhookDeliveries)
      .innerJoin(merchantEvents, eq(merchantEvents.id, webhookDeliveries.eventId))
      .where(eq(webhookDeliveries.merchantId, merchantId))
      .orderBy(desc(webhookDeliveries.createdAt))
      .limit(limit)
      .all();
    const attempts = rows.length === 0 ? [] : db.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, rows.map((r) => r.d.id))).orderBy(asc(webhookAttempts.at)).all();
    return rows.map(({ d, type }) => ({
      id: d.id,
      eventId: d.eventId,
      eventType: type,
      url: d.url,
      status: d.status as DeliveryView['status'],
      attempts: attempts.filter((a) => a.deliveryId === d.id).map((a) => ({ at: a.at, statusCode: a.statusCode, error: a.error, ms: a.ms })),
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
      createdAt: d.createdAt,
    }));
  }

  /** Queues a delivery again now (manual redelivery), whatever its state; `WEBHOOK_DELIVERY_NOT_FOUND` otherwise. */
  async redeliver(merchantId: string, deliveryId: string): Promise<void> {
    await this.#o.database.write(async (tx) => {
      const changed = tx
        .update(webhookDeliveries)
        .set({ status: 'pending', nextAttemptAt: this.#o.clock.now() })
        .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.merchantId, merchantId)))
        .run().changes;
      if (changed === 0) throw new AtriumError({ code: 'WEBHOOK_DELIVERY_NOT_FOUND' });
    });
  }

  async #sweep(): Promise<number> {
    const now = this.#o.clock.now();
    const due = this.#o.database.db
      .select({ d: webhookDeliveries, e: merchantEvents })
      .from(webhookDeliveries)
      .innerJoin(merchantEvents, eq(merchantEvents.id, webhookDeliveries.eventId))
      .where(and(eq(webhookDeliveries.status, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)))
      .orderBy(asc(webhookDeliveries.nextAttemptAt))
      .limit(100)
      .all();
    // A payment's event is read here as soon as its batch commits, which can be a moment before the commit's fsync
    // ends: tell no merchant of a payment a power cut could still take back.
    if (due.length > 0) await this.#o.database.flushed();
    await Promise.all(due.map(({ d, e }) => this.#attempt(d, e)));
    return due.length;
  }

  async #attempt(d: typeof webhookDeliveries.$inferSelect, e: typeof merchantEvents.$inferSelect): Promise<void> {
    const key = await this.#signingKey();
    const body = JSON.stringify({ id: e.id, type: e.type, created: Math.floor(e.createdAt / 1000), merchantId: e.merchantId, data: JSON.parse(e.payload) as unknown });
    const t = Math.floor(this.#o.clock.now() / 1000);
    const signature = sign(null, Buffer.from(`${t}.${body}`), key.privateKey).toString('base64url');
    const started = performance.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    const headers = { 'content-type': 'application/json', 'user-agent': 'Atrium-Webhooks/1', 'atrium-signature': `t=${t},kid=${key.kid},v1=${signature}`, 'atrium-event-id': e.id };
    try {
      statusCode = await this.#post(d.url, headers, body);
    } catch (cause) {
      error = (cause as { code?: string }).code ?? (cause as Error).name ?? 'error';
    }
    const ms = Math.round(performance.now() - started);
    const ok = statusCode !== null && statusCode >= 200 && statusCode < 300;
    const attempts = d.attempts + 1;
    const now = this.#o.clock.now();
    const wait = RETRY_SCHEDULE_MS[attempts - 1];
    const status = ok ? 'succeeded' : wait === undefined ? 'failed' : 'pending';
    await this.#o.database.write(async (tx) => {
      tx.insert(webhookAttempts).values({ deliveryId: d.id, attempt: attempts, at: now, statusCode, error, ms }).run();
      tx.update(webhookDeliveries)
        .set({ status, attempts, nextAttemptAt: status === 'pending' ? now + wait! : d.nextAttemptAt, lastStatusCode: statusCode })
        .where(eq(webhookDeliveries.id, d.id))
        .run();
    });
  }

  /** POSTs one signed delivery; answers the status code. A development `.test` backend is called in-process. */
  async #post(target: string, headers: Record<string, string>, body: string): Promise<number> {
    const url = new URL(target);
    const backend = url.protocol === 'https:' && url.hostname.endsWith('.test') ? this.#o.developmentBackend?.(url.hostname) : undefined;
    if (backend) {
      const timeout = new Promise<never>((_, fail) => setTimeout(() => fail(Object.assign(new Error('timeout'), { code: 'UND_ERR_HEADERS_TIMEOUT' })), DELIVERY_TIMEOUT_MS).unref());
      const res = await Promise.race([backend(new Request(url, { method: 'POST', headers, body })), timeout]);
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    }
    const res = await request(target, {
      method: 'POST',
      dispatcher: this.#agent,
      headers,
      body,
      headersTimeout: DELIVERY_TIMEOUT_MS,
      bodyTimeout: DELIVERY_TIMEOUT_MS,
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
    });
    await res.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    return res.statusCode;
  }

  async #signingKey(): Promise<{ kid: string; privateKey: KeyObject }> {
    if (this.#key) return this.#key;
    const row = this.#o.database.db.select().from(webhookSigningKeys).orderBy(desc(webhookSigningKeys.createdAt)).limit(1).get();
    if (row) return (this.#key = { kid: row.kid, privateKey: createPrivateKey({ key: row.privateKeyPem, format: 'pem' }) });
    const { privateKey } = generateKeyPairSync('ed25519');
    const kid = newId(this.#o.random, 'whk');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await this.#o.database.write(async (tx) => {
      tx.insert(webhookSigningKeys).values({ kid, privateKeyPem: pem, createdAt: this.#o.clock.now() }).run();
    });
    return (this.#key = { kid, privateKey });
  }
}

/**
 * What a merchant's server runs on each webhook: checks the `Atrium-Signature` header against Atrium's published
 * keys and the timestamp against `now` (± 300 s). Returns the parsed event, or throws.
 * @example const event = verifyWebhook(req.headers['atrium-signature'], rawBody, jwks, Date.now());
 */
export function verifyWebhook(header: string | undefined, rawBody: string, jwks: { keys: Record<string, string>[] }, now: number): { id: string; type: string; data: unknown } {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || !parts.kid) throw new Error('missing or malformed Atrium-Signature');
  if (Math.abs(now / 1000 - t) > SIGNATURE_TOLERANCE_S) throw new Error('timestamp outside the tolerance (replay?)');
  const jwk = jwks.keys.find((k) => k.kid === parts.kid);
  if (!jwk) throw new Error('unknown key id');
  const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' });
  if (!verify(null, Buffer.from(`${t}.${rawBody}`), key, Buffer.from(parts.v1, 'base64url'))) throw new Error('bad signature');
  return JSON.parse(rawBody) as { id: string; type: string; data: unknown };
}
