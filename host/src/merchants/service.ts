/**
 * @module Merchants: accounts owned by a person, API keys (secret shown once, stored hashed, scoped, revocable),
 * orders (`out_trade_no` unique per merchant; create, query, close), paying an order from the wallet, and refunds
 * (`out_refund_no` idempotent, partial, never above the paid amount, at most 50 per order).
 *
 * Paying and refunding are ledger operations whose order and refund rows are written inside the operation's own
 * savepoint (the ledger's `guard`/`settle` hooks), so money and state commit together: an order is paid at most
 * once even when two payments race in the same batch.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gte, inArray, lt, or, sql } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, newSecret, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import { CURRENCY_CODES, type Currency } from '../wallet/currencies.ts';
import type { IdempotencyClaim, IdempotencyService, StoredResponse } from '../wallet/idempotency.ts';
import { quote, type FxQuote } from '../wallet/fx.ts';
import { accountId, type Ledger, type LedgerOp, type Outcome } from '../wallet/ledger.ts';
import type { PinService } from '../wallet/pin.ts';
import { derivedId } from '../wallet/service.ts';
import { buildMpm, parseMpm } from '../wallet/emvco.ts';
import type { PaymentCodeService } from './payment-codes.ts';
import type { WebhookService } from './webhooks.ts';
import { accountHistory, CLOCK_SLACK_MS } from '../wallet/history.ts';
import { ledgerAccounts } from '../wallet/schema.ts';
import { merchantApiKeys, merchantOrders, merchantRefunds, merchants, type MerchantOrderRow, type MerchantRefundRow, type MerchantRow } from './schema.ts';

/** `status = 'USERPAYING'` spelled as a literal, not a bound parameter, so SQLite can use the partial index on it. */
const USERPAYING = sql`${merchantOrders.status} = 'USERPAYING'`;

/** What an API key may do. */
export const SCOPES = ['orders:read', 'orders:write', 'refunds:write'] as const;
export type Scope = (typeof SCOPES)[number];

/** Refunds per order, at most (WeChat Pay's limit). */
export const MAX_REFUNDS = 50;
/** An order's default and longest time to pay. */
export const ORDER_TTL_MS = 2 * 3600_000;
export const ORDER_MAX_TTL_MS = 7 * 24 * 3600_000;
/** A dynamic QR code lives at most this long (WeChat Pay's code_url: 2 hours). */
export const QR_TTL_MS = 2 * 3600_000;

/** A merchant as its owner sees it. */
export interface Merchant {
  id: string;
  name: string;
  /** What its EMVCo QR codes show: name (≤ 25 ASCII), city (≤ 15 ASCII), ISO 3166 country. */
  qrName: string;
  city: string;
  countryCode: string;
  createdAt: number;
}

/** An API key without its secret. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: number;
  revokedAt: number | null;
}

/** The merchant an API key authenticates. */
export interface MerchantCaller {
  merchantId: string;
  keyId: string;
  scopes: Scope[];
}

/** An order as the merchant (and the payer) sees it. */
export interface OrderView {
  id: string;
  merchantId: string;
  merchantName: string;
  outTradeNo: string;
  amount: number;
  currency: Currency;
  description: string;
  metadata: Record<string, string> | null;
  /** `USERPAYING`: a payment-code payment above the no-PIN limit waits for the payer's confirmation. */
  status: 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED';
  expiresAt: number;
  createdAt: number;
  paidAt: number | null;
  transferId: string | null;
  refundedAmount: number;
  refundCount: number;
}

export interface RefundView {
  id: string;
  orderId: string;
  outRefundNo: string;
  amount: number;
  currency: Currency;
  reason: string;
  status: 'SUCCESS';
  createdAt: number;
}

/** One movement on a merchant's statement; `amount` is signed (refunds negative). */
export interface StatementLine {
  transferId: string;
  at: number;
  kind: string;
  amount: number;
  currency: Currency;
  orderId: string | null;
  outTradeNo: string | null;
  outRefundNo: string | null;
}

/** A merchant's statement for one UTC day. */
export interface Statement {
  merchantId: string;
  date: string;
  from: number;
  to: number;
  lines: StatementLine[];
  totals: { currency: Currency; opening: number; credits: number; debits: number; closing: number; count: number }[];
}

/** Options of {@link MerchantService}. */
export interface MerchantServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  ledger: Ledger;
  pins: PinService;
  idempotency: IdempotencyService;
  webhooks: WebhookService;
  /** The operator's exchange rates (see wallet/fx.ts). @default none: no cross-currency payments */
  fxRates?: Map<string, string>;
  codes: PaymentCodeService;
  /** Payment-code payments above this (minor units) wait for the payer's PIN. @default 20000 */
  micropayConfirmAbove?: number;
}

/** How long a payment-code payment waits for the payer's confirmation before it is reversed (WeChat: 45 s). */
export const USERPAYING_TTL_MS = 45_000;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Merchants, their keys, orders and refunds. */
export class MerchantService {
  readonly #o: MerchantServiceOptions;

  constructor(options: MerchantServiceOptions) {
    this.#o = options;
  }

  /**
   * Creates a merchant owned by `userId`. QR codes need an ASCII name of at most 25 characters: `qrName`, or the
   * name itself when it is one.
   */
  async create(userId: string, input: { name: string; qrName?: string | undefined; city: string; countryCode: string }): Promise<Merchant> {
    const qrName = input.qrName ?? input.name;
    if (!/^[\x20-\x7e]{1,25}$/.test(qrName)) {
      throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.qrName', message: 'QR codes need a name of at most 25 ASCII characters: give qrName' }] });
    }
    const row: MerchantRow = { id: newId(this.#o.random, 'mch'), ownerUserId: userId, name: input.name, qrName, city: input.city, countryCode: input.countryCode, createdAt: this.#o.clock.now() };
    await this.#o.database.write(async (tx) => {
      tx.insert(merchants).values(row).run();
    });
    return merchantView(row);
  }

  /** The merchants `userId` owns. */
  list(userId: string): Merchant[] {
    return this.#o.database.db.select().from(merchants).where(eq(merchants.ownerUserId, userId)).orderBy(merchants.createdAt).all().map(merchantView);
  }

  /** A merchant's public face (for the pay sheet after scanning its static code), or `MERCHANT_NOT_FOUND`. */
  publicMerchant(merchantId: string): Merchant {
    const row = this.#o.database.db.select().from(merchants).where(eq(merchants.id, merchantId)).get();
    if (!row) throw new AtriumError({ code: 'MERCHANT_NOT_FOUND' });
    return merchantView(row);
  }

  /** The EMVCo payload of a merchant's static code (the payer enters the amount). Owner only. */
  staticQr(userId: string, merchantId: string, currency: Currency): { payload: string } {
    const row = this.#owned(userId, merchantId);
    return { payload: buildMpm({ merchantId: row.id, merchantName: row.qrName, merchantCity: row.city, countryCode: row.countryCode, currency }) };
  }

  /** The EMVCo payload of an unpaid order's dynamic code; it expires with the order, and within 2 hours. */
  orderQr(merchantId: string, outTradeNo: string): { payload: string; expiresAt: number } {
    const order = this.order(merchantId, outTradeNo);
    if (order.status !== 'NOTPAY') throw new AtriumError({ code: 'ORDER_NOT_PAYABLE' });
    const now = this.#o.clock.now();
    if (order.expiresAt <= now) throw new AtriumError({ code: 'ORDER_EXPIRED' });
    const row = this.#o.database.db.select().from(merchants).where(eq(merchants.id, merchantId)).get()!;
    const expiresAt = Math.min(order.expiresAt, now + QR_TTL_MS);
    const payload = buildMpm({ merchantId, merchantName: row.qrName, merchantCity: row.city, countryCode: row.countryCode, currency: order.currency, order: { id: order.id, amount: order.amount, expiresAt } });
    return { payload, expiresAt };
  }

  /** One of `userId`'s merchants with its balances, or `MERCHANT_NOT_FOUND` (also for other people's). */
  get(userId: string, merchantId: string): Merchant & { balances: { currency: Currency; balance: number }[] } {
    const row = this.#owned(userId, merchantId);
    const rows = this.#o.database.db.all<{ id: string; balance: number }>(sql`select id, balance from ledger_accounts where owner_id = ${merchantId} and kind = 'merchant'`);
    const byId = new Map(rows.map((r) => [r.id, r.balance]));
    return {
      ...merchantView(row),
      balances: CURRENCY_CODES.map((currency) => ({ currency, balance: byId.get(accountId({ kind: 'merchant', owner: merchantId }, currency)) ?? 0 })),
    };
  }

  /** Creates an API key; the secret is in the answer and nowhere else. */
  async createKey(userId: string, merchantId: string, input: { name: string; scopes: Scope[] }): Promise<ApiKeyView & { secret: string }> {
    this.#owned(userId, merchantId);
    const secret = newSecret(this.#o.random, 'mk');
    const row = {
      id: newId(this.#o.random, 'key'),
      merchantId,
      name: input.name,
      prefix: secret.slice(0, 10),
      secretHash: sha256(secret),
      scopes: JSON.stringify([...new Set(input.scopes)]),
      createdAt: this.#o.clock.now(),
      revokedAt: null,
    };
    await this.#o.database.write(async (tx) => {
      tx.insert(merchantApiKeys).values(row).run();
    });
    return { ...keyView(row), secret };
  }

  /** The merchant's keys (never their secrets). */
  listKeys(userId: string, merchantId: string): ApiKeyView[] {
    this.#owned(userId, merchantId);
    return this.#o.database.db.select().from(merchantApiKeys).where(eq(merchantApiKeys.merchantId, merchantId)).orderBy(merchantApiKeys.createdAt).all().map(keyView);
  }

  /** Revokes a key at once. */
  async revokeKey(userId: string, merchantId: string, keyId: string): Promise<void> {
    this.#owned(userId, merchantId);
    await this.#o.database.write(async (tx) => {
      const changed = tx
        .update(merchantApiKeys)
        .set({ revokedAt: this.#o.clock.now() })
        .where(and(eq(merchantApiKeys.id, keyId), eq(merchantApiKeys.merchantId, merchantId)))
        .run().changes;
      if (changed === 0) throw new AtriumError({ code: 'MERCHANT_KEY_NOT_FOUND' });
    });
  }

  /** The merchant a secret belongs to, or undefined (unknown or revoked). Compared by hash, in constant time. */
  authenticateKey(secret: string): MerchantCaller | undefined {
    const hash = sha256(secret);
    const row = this.#o.database.db.select().from(merchantApiKeys).where(eq(merchantApiKeys.secretHash, hash)).get();
    if (!row || row.revokedAt !== null || !timingSafeEqual(Buffer.from(row.secretHash), Buffer.from(hash))) return undefined;
    return { merchantId: row.merchantId, keyId: row.id, scopes: JSON.parse(row.scopes) as Scope[] };
  }

  /**
   * Creates an order, or answers the existing one when `outTradeNo` was used with the same parameters
   * (`created: false`); other parameters are `ORDER_EXISTS`.
   */
  async createOrder(
    merchantId: string,
    input: { outTradeNo: string; amount: number; currency: Currency; description: string; expiresInSeconds?: number | undefined; metadata?: Record<string, string> | undefined },
  ): Promise<{ order: OrderView; created: boolean }> {
    const now = this.#o.clock.now();
    const ttl = Math.min((input.expiresInSeconds ?? ORDER_TTL_MS / 1000) * 1000, ORDER_MAX_TTL_MS);
    const fingerprint = sha256(JSON.stringify([input.amount, input.currency, input.description, input.expiresInSeconds ?? null, input.metadata ?? null]));
    const result = await this.#o.database.write(async (tx) => {
      const existing = tx.select().from(merchantOrders).where(and(eq(merchantOrders.merchantId, merchantId), eq(merchantOrders.outTradeNo, input.outTradeNo))).get();
      if (existing) {
        if (existing.fingerprint !== fingerprint) throw new AtriumError({ code: 'ORDER_EXISTS', detail: 'Use a new out_trade_no for a different order.' });
        return { row: existing, created: false };
      }
      const row: MerchantOrderRow = {
        id: newId(this.#o.random, 'ord'),
        merchantId,
        outTradeNo: input.outTradeNo,
        amount: input.amount,
        currency: input.currency,
        description: input.description,
        metadata: input.metadata ? JSON.stringify(input.metadata) : null,
        status: 'NOTPAY',
        fingerprint,
        expiresAt: now + ttl,
        createdAt: now,
        paidAt: null,
        payerUserId: null,
        transferId: null,
        closedAt: null,
        refundedAmount: 0,
        refundCount: 0,
      };
      tx.insert(merchantOrders).values(row).run();
      return { row, created: true };
    });
    return { order: this.#orderView(result.row), created: result.created };
  }

  /** The merchant's order by `outTradeNo`, or `ORDER_NOT_FOUND`. */
  order(merchantId: string, outTradeNo: string): OrderView {
    const row = this.#o.database.db.select().from(merchantOrders).where(and(eq(merchantOrders.merchantId, merchantId), eq(merchantOrders.outTradeNo, outTradeNo))).get();
    if (!row) throw new AtriumError({ code: 'ORDER_NOT_FOUND' });
    return this.#orderView(row);
  }

  /**
   * The merchant's order as the order query answers it: an outcome (paid, paying, closed, refunded) only once it
   * is on disk. A POS hands over the goods on what this says, and a read can see a payment's commit a moment
   * before its fsync ends.
   */
  async queryOrder(merchantId: string, outTradeNo: string): Promise<OrderView> {
    const order = this.order(merchantId, outTradeNo);
    if (order.status !== 'NOTPAY') await this.#o.database.flushed();
    return order;
  }

  /** An order by id, for the person about to pay it (what the pay sheet shows). */
  orderForPayer(orderId: string): OrderView {
    const row = this.#o.database.db.select().from(merchantOrders).where(eq(merchantOrders.id, orderId)).get();
    if (!row) throw new AtriumError({ code: 'ORDER_NOT_FOUND' });
    return this.#orderView(row);
  }

  /** Closes an unpaid order (`ORDER_NOT_CLOSABLE` once paid); closing a closed order is a no-op. */
  async closeOrder(merchantId: string, outTradeNo: string): Promise<OrderView> {
    const row = await this.#o.database.write(async (tx) => {
      const order = tx.select().from(merchantOrders).where(and(eq(merchantOrders.merchantId, merchantId), eq(merchantOrders.outTradeNo, outTradeNo))).get();
      if (!order) throw new AtriumError({ code: 'ORDER_NOT_FOUND' });
      if (order.status === 'CLOSED') return order;
      if (order.status !== 'NOTPAY') throw new AtriumError({ code: 'ORDER_NOT_CLOSABLE' });
      const closedAt = this.#o.clock.now();
      tx.update(merchantOrders).set({ status: 'CLOSED', closedAt }).where(and(eq(merchantOrders.id, order.id), eq(merchantOrders.status, 'NOTPAY'))).run();
      this.#o.webhooks.emit(tx, merchantId, 'order.closed', { orderId: order.id, outTradeNo, closedAt });
      return { ...order, status: 'CLOSED', closedAt };
    });
    return this.#orderView(row);
  }

  /**
   * Pays an order from `userId`'s wallet with the PIN. The transfer, the order's new state and the idempotency
   * record commit together; `render` makes the response that is stored and replayed.
   */
  /** What paying `orderId` from a `payCurrency` balance costs at the operator's rate (shown before confirming). */
  quote(orderId: string, payCurrency: Currency): FxQuote {
    const order = this.orderForPayer(orderId);
    if (payCurrency === order.currency) return { currency: order.currency, amount: order.amount, payCurrency, payAmount: order.amount, rate: '1' };
    return quote(this.#o.fxRates ?? new Map(), order.currency, order.amount, payCurrency);
  }

  /**
   * Pays an order from `userId`'s wallet with the PIN. With `fx`, from a balance in another currency at the
   * quoted amount (`WALLET_FX_QUOTE_CHANGED` when the rate moved since the person saw it); the rate is stored on
   * both legs of the exchange.
   */
  async pay(
    userId: string,
    orderId: string,
    pin: string,
    claim: IdempotencyClaim,
    render: (outcome: Outcome<OrderView>) => StoredResponse,
    fx?: { payCurrency: Currency; quotedAmount: number },
  ): Promise<StoredResponse> {
    const { ledger, pins, idempotency, clock } = this.#o;
    const order = this.orderForPayer(orderId);
    if (order.status !== 'NOTPAY') throw new AtriumError({ code: 'ORDER_NOT_PAYABLE' });
    if (order.expiresAt <= clock.now()) throw new AtriumError({ code: 'ORDER_EXPIRED' });
    const meta = { orderId: order.id, outTradeNo: order.outTradeNo, merchantId: order.merchantId, merchantName: order.merchantName, note: order.description };
    let op: LedgerOp = { type: 'single', id: derivedId('tr', claim), debit: { kind: 'person', owner: userId }, credit: { kind: 'merchant', owner: order.merchantId }, amount: order.amount, currency: order.currency, code: 'payment', meta };
    if (fx && fx.payCurrency !== order.currency) {
      const q = this.quote(orderId, fx.payCurrency);
      if (q.payAmount !== fx.quotedAmount) throw new AtriumError({ code: 'WALLET_FX_QUOTE_CHANGED', detail: `It is now ${q.payAmount} (${q.payCurrency}).`, extensions: { quote: q } });
      op = { type: 'exchange', id: op.id, debit: op.debit, credit: op.credit, debitAmount: q.payAmount, debitCurrency: q.payCurrency, creditAmount: order.amount, creditCurrency: order.currency, rate: q.rate, code: 'payment', meta };
    }
    await pins.verify(userId, pin);
    return ledger.submit(
      op,
      {
        guard: (tx) => {
          const replayed = idempotency.guard(tx, claim);
          if (replayed) return replayed;
          // Inside the batch: another payment of this order may have committed a moment ago.
          const now = tx.select({ status: merchantOrders.status, expiresAt: merchantOrders.expiresAt }).from(merchantOrders).where(eq(merchantOrders.id, orderId)).get();
          if (now?.status !== 'NOTPAY') throw new AtriumError({ code: 'ORDER_NOT_PAYABLE' });
          if (now.expiresAt <= clock.now()) throw new AtriumError({ code: 'ORDER_EXPIRED' });
          return undefined;
        },
        settle: (tx, outcome) => {
          if (!outcome.ok) return idempotency.record(tx, claim, render(outcome));
          const paidAt = clock.now();
          // The merchant's own movement: for an exchange, its credit leg.
          const transferId = outcome.value.legs === 2 ? `${outcome.value.id}x` : outcome.value.id;
          tx.update(merchantOrders)
            .set({ status: 'SUCCESS', paidAt, payerUserId: userId, transferId })
            .where(and(eq(merchantOrders.id, orderId), eq(merchantOrders.status, 'NOTPAY')))
            .run();
          this.#o.webhooks.emit(tx, order.merchantId, 'payment.succeeded', { orderId, outTradeNo: order.outTradeNo, amount: order.amount, currency: order.currency, transferId, paidAt });
          return idempotency.record(tx, claim, render({ ok: true, value: { ...order, status: 'SUCCESS', paidAt, transferId } }));
        },
      },
    );
  }

  /**
   * Pays a merchant an amount the payer entered (after scanning its static code): the order is made paid, with
   * the transfer, the idempotency record and the merchant's event, in one savepoint.
   */
  async payStatic(
    userId: string,
    input: { merchantId: string; amount: number; currency: Currency; note: string; pin: string },
    claim: IdempotencyClaim,
    render: (outcome: Outcome<OrderView>) => StoredResponse,
  ): Promise<StoredResponse> {
    const { ledger, pins, idempotency, clock, random, webhooks } = this.#o;
    const merchant = this.publicMerchant(input.merchantId);
    await pins.verify(userId, input.pin);
    const orderId = newId(random, 'ord');
    const outTradeNo = `S-${orderId.slice(4)}`.slice(0, 32);
    const description = input.note || `Payment to ${merchant.name}`;
    return ledger.submit(
      {
        type: 'single',
        id: derivedId('tr', claim),
        debit: { kind: 'person', owner: userId },
        credit: { kind: 'merchant', owner: merchant.id },
        amount: input.amount,
        currency: input.currency,
        code: 'payment',
        meta: { orderId, outTradeNo, merchantId: merchant.id, merchantName: merchant.name, note: description },
      },
      {
        guard: (tx) => idempotency.guard(tx, claim),
        settle: (tx, outcome) => {
          if (!outcome.ok) return idempotency.record(tx, claim, render(outcome));
          const now = clock.now();
          const row: MerchantOrderRow = {
            id: orderId, merchantId: merchant.id, outTradeNo, amount: input.amount, currency: input.currency, description, metadata: null, status: 'SUCCESS',
            fingerprint: 'static', expiresAt: now, createdAt: now, paidAt: now, payerUserId: userId, transferId: outcome.value.id, closedAt: null, refundedAmount: 0, refundCount: 0,
          };
          tx.insert(merchantOrders).values(row).run();
          webhooks.emit(tx, merchant.id, 'payment.succeeded', { orderId, outTradeNo, amount: input.amount, currency: input.currency, transferId: outcome.value.id, paidAt: now });
          return idempotency.record(tx, claim, render({ ok: true, value: { ...this.#orderViewWith(row, merchant.name) } }));
        },
      },
    );
  }

  /**
   * What a scanned EMVCo payload means for a payer: an Atrium order to pay (dynamic code) or a merchant to pay
   * an amount to (static code). Other codes are `WALLET_QR_INVALID`.
   */
  resolveQr(payload: string): { kind: 'order'; order: OrderView } | { kind: 'merchant'; merchant: Merchant; currency: Currency | undefined } {
    const parsed = parseMpm(payload);
    if (!parsed.atrium) throw new AtriumError({ code: 'WALLET_QR_INVALID', detail: `This code (${parsed.merchantName}) is not an Atrium merchant's.` });
    const { merchantId, orderId, expiresAt } = parsed.atrium;
    if (!orderId) return { kind: 'merchant', merchant: this.publicMerchant(merchantId), currency: parsed.currency };
    if (expiresAt !== undefined && expiresAt <= this.#o.clock.now()) throw new AtriumError({ code: 'ORDER_EXPIRED', detail: 'This QR code has expired: ask for a new one.' });
    const order = this.orderForPayer(orderId);
    // A code can be made by anyone: its merchant, amount and currency must be the order's own.
    if (order.merchantId !== merchantId || order.currency !== parsed.currency || order.amount !== parsed.amountMinor) {
      throw new AtriumError({ code: 'WALLET_QR_INVALID', detail: 'This code does not match its order.' });
    }
    return { kind: 'order', order };
  }

  /**
   * Refunds part or all of a paid order to its payer. `outRefundNo` is idempotent: the same number with the same
   * amount answers the first refund; with another amount it is `REFUND_EXISTS`.
   */
  async refund(merchantId: string, outTradeNo: string, input: { outRefundNo: string; amount: number; reason: string }): Promise<{ refund: RefundView; created: boolean }> {
    const order = this.order(merchantId, outTradeNo);
    const existing = this.#refundByNo(this.#o.database.db, merchantId, input.outRefundNo);
    if (existing) {
      const refund = this.#sameRefund(existing, order, input);
      await this.#o.database.flushed(); // acknowledges the first refund, whose commit may not be on disk yet
      return { refund, created: false };
    }
    if (order.status !== 'SUCCESS' || order.transferId === null) throw new AtriumError({ code: 'REFUND_ORDER_NOT_PAID' });
    const payer = this.#o.database.db.select({ payer: merchantOrders.payerUserId }).from(merchantOrders).where(eq(merchantOrders.id, order.id)).get()?.payer;
    if (!payer) throw new AtriumError({ code: 'REFUND_ORDER_NOT_PAID' });
    const refundId = newId(this.#o.random, 'rfd');
    const createdAt = this.#o.clock.now();
    return this.#o.ledger.submit<{ refund: RefundView; created: boolean }>(
      {
        type: 'single',
        debit: { kind: 'merchant', owner: merchantId },
        credit: { kind: 'person', owner: payer },
        amount: input.amount,
        currency: order.currency,
        code: 'refund',
        meta: { orderId: order.id, outTradeNo, outRefundNo: input.outRefundNo, merchantId, merchantName: order.merchantName, note: input.reason || null },
      },
      {
        guard: (tx) => {
          // Re-checked inside the batch: two refunds of one order may share it.
          const again = this.#refundByNo(tx, merchantId, input.outRefundNo);
          if (again) return { refund: this.#sameRefund(again, order, input), created: false };
          const fresh = tx.select().from(merchantOrders).where(eq(merchantOrders.id, order.id)).get()!;
          if (fresh.refundCount >= MAX_REFUNDS) throw new AtriumError({ code: 'REFUND_LIMIT_REACHED' });
          if (fresh.refundedAmount + input.amount > fresh.amount) {
            throw new AtriumError({ code: 'REFUND_EXCEEDS_PAID', detail: `At most ${fresh.amount - fresh.refundedAmount} more can be refunded.`, extensions: { refundable: fresh.amount - fresh.refundedAmount } });
          }
          return undefined;
        },
        settle: (tx, outcome) => {
          if (!outcome.ok) throw outcome.error;
          const row: MerchantRefundRow = { id: refundId, merchantId, orderId: order.id, outRefundNo: input.outRefundNo, amount: input.amount, reason: input.reason, status: 'SUCCESS', transferId: outcome.value.id, createdAt };
          tx.insert(merchantRefunds).values(row).run();
          tx.update(merchantOrders)
            .set({ refundedAmount: sql`${merchantOrders.refundedAmount} + ${input.amount}`, refundCount: sql`${merchantOrders.refundCount} + 1` })
            .where(eq(merchantOrders.id, order.id))
            .run();
          this.#o.webhooks.emit(tx, merchantId, 'refund.succeeded', { orderId: order.id, outTradeNo, refundId, outRefundNo: input.outRefundNo, amount: input.amount, currency: order.currency });
          return { refund: refundView(row, order.currency), created: true };
        },
      },
    );
  }

  /**
   * The merchant's statement for one UTC day: every ledger movement of its accounts (payments in, refunds out),
   * with per-currency totals and opening and closing balances folded from the ledger itself, so it reconciles to
   * the fen: opening + payments − refunds = closing, and the next day opens where this one closed.
   */
  statement(merchantId: string, date: string): Statement {
    const start = Date.parse(`${date}T00:00:00.000Z`);
    if (!Number.isFinite(start) || new Date(start).toISOString().slice(0, 10) !== date) {
      throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'query.date', message: 'A calendar date, YYYY-MM-DD' }] });
    }
    const end = start + 24 * 3600_000;
    const accounts = CURRENCY_CODES.map((c) => accountId({ kind: 'merchant', owner: merchantId }, c));
    const db = this.#o.database.db;
    // Newest first along the accounts' history chains, back to the day's start; what moved since the start is
    // taken off today's balances to give the opening ones (the same read snapshot: one synchronous pass).
    const balances = new Map(
      db.select({ currency: ledgerAccounts.currency, balance: ledgerAccounts.balance }).from(ledgerAccounts).where(inArray(ledgerAccounts.id, accounts)).all().map((r) => [r.currency, r.balance]),
    );
    const since = new Map<string, number>();
    const lines: StatementLine[] = [];
    for (const t of accountHistory(db, accounts)) {
      if (t.createdAt < start - CLOCK_SLACK_MS) break;
      if ((t.type !== 'single' && t.type !== 'post') || t.createdAt < start) continue;
      const incoming = accounts.includes(t.creditAccountId);
      const amount = incoming ? t.amount : -t.amount;
      since.set(t.currency, (since.get(t.currency) ?? 0) + amount);
      if (t.createdAt >= end) continue;
      const meta = (t.meta ? JSON.parse(t.meta) : {}) as Record<string, unknown>;
      lines.push({
        transferId: t.id,
        at: t.createdAt,
        kind: t.code,
        amount,
        currency: t.currency as Currency,
        orderId: typeof meta.orderId === 'string' ? meta.orderId : null,
        outTradeNo: typeof meta.outTradeNo === 'string' ? meta.outTradeNo : null,
        outRefundNo: typeof meta.outRefundNo === 'string' ? meta.outRefundNo : null,
      });
    }
    lines.reverse(); // in ledger order
    const fold = (currency: Currency): number => (balances.get(currency) ?? 0) - (since.get(currency) ?? 0);
    const totals = CURRENCY_CODES.flatMap((currency) => {
      const mine = lines.filter((l) => l.currency === currency);
      const opening = fold(currency);
      const closing = opening + mine.reduce((sum, l) => sum + l.amount, 0);
      if (mine.length === 0 && opening === 0 && closing === 0) return [];
      const credits = mine.filter((l) => l.amount > 0).reduce((sum, l) => sum + l.amount, 0);
      const debits = -mine.filter((l) => l.amount < 0).reduce((sum, l) => sum + l.amount, 0);
      return [{ currency, opening, credits, debits, closing, count: mine.length }];
    });
    return { merchantId, date, from: start, to: end, lines, totals };
  }

  /**
   * A POS charges a customer's payment code (`micropay`). Up to the no-PIN limit the payment completes at once
   * (`SUCCESS`); above it the amount is held and the order is `USERPAYING` until the person confirms with the PIN
   * in the shell — the POS polls the order — or, after 45 s, the hold is released and the order `CLOSED`. A POS
   * retrying the same `outTradeNo` gets the order's current state and never spends a second code.
   */
  async micropay(merchantId: string, input: { outTradeNo: string; authCode: string; amount: number; currency: Currency; description: string }): Promise<OrderView> {
    const { ledger, clock, codes, webhooks } = this.#o;
    const { order, created } = await this.createOrder(merchantId, { outTradeNo: input.outTradeNo, amount: input.amount, currency: input.currency, description: input.description, expiresInSeconds: 60 });
    if (!created) {
      // A repeat of the same charge answers the first one's outcome: only once that is on disk.
      await this.#o.database.flushed();
      return order;
    }
    let payer: string;
    try {
      payer = (await codes.consume(input.authCode)).userId;
    } catch (error) {
      await this.closeOrder(merchantId, input.outTradeNo).catch(() => undefined);
      throw error;
    }
    const meta = { orderId: order.id, outTradeNo: order.outTradeNo, merchantId, merchantName: order.merchantName, note: order.description, via: 'payment-code' };
    const debit = { kind: 'person' as const, owner: payer };
    const credit = { kind: 'merchant' as const, owner: merchantId };
    const confirm = input.amount > (this.#o.micropayConfirmAbove ?? 20_000);
    try {
      await ledger.submit(
        confirm
          ? { type: 'pending', debit, credit, amount: input.amount, currency: input.currency, code: 'payment', meta, expiresAt: clock.now() + USERPAYING_TTL_MS }
          : { type: 'single', debit, credit, amount: input.amount, currency: input.currency, code: 'payment', meta },
        {
          settle: (tx, outcome) => {
            if (!outcome.ok) throw outcome.error;
            const now = clock.now();
            if (confirm) {
              tx.update(merchantOrders).set({ status: 'USERPAYING', payerUserId: payer, transferId: outcome.value.id, expiresAt: now + USERPAYING_TTL_MS }).where(eq(merchantOrders.id, order.id)).run();
            } else {
              tx.update(merchantOrders).set({ status: 'SUCCESS', paidAt: now, payerUserId: payer, transferId: outcome.value.id }).where(eq(merchantOrders.id, order.id)).run();
              webhooks.emit(tx, merchantId, 'payment.succeeded', { orderId: order.id, outTradeNo: order.outTradeNo, amount: order.amount, currency: order.currency, transferId: outcome.value.id, paidAt: now });
            }
            return outcome.value;
          },
        },
      );
    } catch (error) {
      await this.closeOrder(merchantId, input.outTradeNo).catch(() => undefined);
      throw error;
    }
    return this.order(merchantId, input.outTradeNo);
  }

  /** Payment-code payments waiting for `userId`'s confirmation. */
  awaitingConfirmation(userId: string): OrderView[] {
    const now = this.#o.clock.now();
    return this.#o.database.db
      .select()
      .from(merchantOrders)
      .where(and(eq(merchantOrders.payerUserId, userId), USERPAYING))
      .all()
      .filter((o) => o.expiresAt > now)
      .map((o) => this.#orderView(o));
  }

  /** The payer confirms a `USERPAYING` payment with the PIN: the hold is posted and the order paid. */
  async confirm(userId: string, orderId: string, pin: string): Promise<OrderView> {
    const { ledger, pins, clock, webhooks } = this.#o;
    const row = this.#o.database.db.select().from(merchantOrders).where(eq(merchantOrders.id, orderId)).get();
    if (!row || row.payerUserId !== userId || row.status !== 'USERPAYING' || row.transferId === null || row.expiresAt <= clock.now()) throw new AtriumError({ code: 'ORDER_NOT_CONFIRMABLE' });
    await pins.verify(userId, pin);
    const holdId = row.transferId;
    await ledger.submit(
      { type: 'post', holdId },
      {
        guard: (tx) => {
          const now = tx.select({ status: merchantOrders.status }).from(merchantOrders).where(eq(merchantOrders.id, orderId)).get();
          if (now?.status !== 'USERPAYING') throw new AtriumError({ code: 'ORDER_NOT_CONFIRMABLE' });
          return undefined;
        },
        settle: (tx, outcome) => {
          if (!outcome.ok) throw outcome.error.code === 'WALLET_HOLD_EXPIRED' || outcome.error.code === 'WALLET_HOLD_RESOLVED' ? new AtriumError({ code: 'ORDER_NOT_CONFIRMABLE', cause: outcome.error }) : outcome.error;
          const paidAt = clock.now();
          tx.update(merchantOrders).set({ status: 'SUCCESS', paidAt, transferId: outcome.value.id }).where(eq(merchantOrders.id, orderId)).run();
          webhooks.emit(tx, row.merchantId, 'payment.succeeded', { orderId, outTradeNo: row.outTradeNo, amount: row.amount, currency: row.currency, transferId: outcome.value.id, paidAt });
          return outcome.value;
        },
      },
    );
    return this.orderForPayer(orderId);
  }

  /** Reverses payment-code payments nobody confirmed in time: the hold is released, the order closed. */
  async reverseUnconfirmed(): Promise<number> {
    const { ledger, clock, webhooks } = this.#o;
    const due = this.#o.database.db.select().from(merchantOrders).where(USERPAYING).all().filter((o) => o.expiresAt <= clock.now());
    let reversed = 0;
    for (const o of due) {
      await ledger
        .submit(
          // The hold expires with the order: release it as expired (the ledger's sweeper may have done so already).
          { type: 'expire', holdId: o.transferId!, meta: { reason: 'not confirmed' } },
          {
            settle: (tx, outcome) => {
              if (!outcome.ok && outcome.error.code !== 'WALLET_HOLD_RESOLVED') throw outcome.error;
              const closedAt = clock.now();
              const changed = tx.update(merchantOrders).set({ status: 'CLOSED', closedAt }).where(and(eq(merchantOrders.id, o.id), eq(merchantOrders.status, 'USERPAYING'))).run().changes;
              if (changed === 1) webhooks.emit(tx, o.merchantId, 'order.closed', { orderId: o.id, outTradeNo: o.outTradeNo, closedAt, reason: 'not confirmed by the payer in time' });
              return undefined;
            },
          },
        )
        .then(() => reversed++)
        .catch(() => undefined);
    }
    return reversed;
  }

  /** The refunds of an order, newest first. */
  refunds(merchantId: string, outTradeNo: string): RefundView[] {
    const order = this.order(merchantId, outTradeNo);
    return this.#o.database.db
      .select()
      .from(merchantRefunds)
      .where(eq(merchantRefunds.orderId, order.id))
      .orderBy(desc(merchantRefunds.createdAt))
      .all()
      .map((r) => refundView(r, order.currency));
  }

  /**
   * The orders of one of `userId`'s merchants (its owner's shell), newest first: optionally one status and a
   * range of UTC days (as statements), keyset-paged by `nextCursor`.
   */
  ownerOrders(
    userId: string,
    merchantId: string,
    filter: { status?: OrderView['status'] | undefined; from?: string | undefined; to?: string | undefined; cursor?: string | undefined; limit: number },
  ): { orders: OrderView[]; nextCursor: string | null } {
    const merchant = this.#owned(userId, merchantId);
    const conditions = [eq(merchantOrders.merchantId, merchantId)];
    if (filter.status) conditions.push(eq(merchantOrders.status, filter.status));
    if (filter.from) conditions.push(gte(merchantOrders.createdAt, utcDay(filter.from, 'query.from')));
    if (filter.to) conditions.push(lt(merchantOrders.createdAt, utcDay(filter.to, 'query.to') + 24 * 3600_000));
    if (filter.cursor) {
      const match = /^(\d{1,15})~([A-Za-z0-9_-]{1,64})$/.exec(filter.cursor);
      if (!match) throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'query.cursor', message: 'Use nextCursor of the previous page' }] });
      const at = Number(match[1]);
      conditions.push(or(lt(merchantOrders.createdAt, at), and(eq(merchantOrders.createdAt, at), lt(merchantOrders.id, match[2]!)))!);
    }
    const rows = this.#o.database.db
      .select()
      .from(merchantOrders)
      .where(and(...conditions))
      .orderBy(desc(merchantOrders.createdAt), desc(merchantOrders.id))
      .limit(filter.limit + 1)
      .all();
    const page = rows.slice(0, filter.limit);
    const last = page.at(-1);
    return { orders: page.map((r) => this.#orderViewWith(r, merchant.name)), nextCursor: rows.length > filter.limit && last ? `${last.createdAt}~${last.id}` : null };
  }

  /** One order of one of `userId`'s merchants, with its refunds (newest first). */
  ownerOrder(userId: string, merchantId: string, orderId: string): { order: OrderView; refunds: RefundView[] } {
    const merchant = this.#owned(userId, merchantId);
    const row = this.#o.database.db.select().from(merchantOrders).where(and(eq(merchantOrders.id, orderId), eq(merchantOrders.merchantId, merchantId))).get();
    if (!row) throw new AtriumError({ code: 'ORDER_NOT_FOUND' });
    return { order: this.#orderViewWith(row, merchant.name), refunds: this.refunds(merchantId, row.outTradeNo) };
  }

  /** The owner refunds (part of) one of their merchant's orders from the shell: {@link refund}, by order id. */
  async ownerRefund(userId: string, merchantId: string, orderId: string, input: { outRefundNo: string; amount: number; reason: string }): Promise<{ refund: RefundView; created: boolean }> {
    const { order } = this.ownerOrder(userId, merchantId, orderId);
    return this.refund(merchantId, order.outTradeNo, input);
  }

  /** {@link statement} for the owner's shell; `date` defaults to today (UTC). */
  ownerStatement(userId: string, merchantId: string, date: string | undefined): Statement {
    this.#owned(userId, merchantId);
    return this.statement(merchantId, date ?? new Date(this.#o.clock.now()).toISOString().slice(0, 10));
  }

  #sameRefund(existing: MerchantRefundRow, order: OrderView, input: { amount: number }): RefundView {
    if (existing.orderId !== order.id || existing.amount !== input.amount) throw new AtriumError({ code: 'REFUND_EXISTS', detail: 'Use a new out_refund_no for a different refund.' });
    return refundView(existing, order.currency);
  }

  #refundByNo(db: Db, merchantId: string, outRefundNo: string): MerchantRefundRow | undefined {
    return db.select().from(merchantRefunds).where(and(eq(merchantRefunds.merchantId, merchantId), eq(merchantRefunds.outRefundNo, outRefundNo))).get();
  }

  #owned(userId: string, merchantId: string): MerchantRow {
    const row = this.#o.database.db.select().from(merchants).where(and(eq(merchants.id, merchantId), eq(merchants.ownerUserId, userId))).get();
    if (!row) throw new AtriumError({ code: 'MERCHANT_NOT_FOUND' });
    return row;
  }

  #orderView(row: MerchantOrderRow): OrderView {
    const merchant = this.#o.database.db.select({ name: merchants.name }).from(merchants).where(eq(merchants.id, row.merchantId)).get();
    return this.#orderViewWith(row, merchant?.name ?? '');
  }

  #orderViewWith(row: MerchantOrderRow, merchantName: string): OrderView {
    return {
      id: row.id,
      merchantId: row.merchantId,
      merchantName,
      outTradeNo: row.outTradeNo,
      amount: row.amount,
      currency: row.currency as Currency,
      description: row.description,
      metadata: row.metadata ? (JSON.parse(row.metadata) as Record<string, string>) : null,
      status: row.status as OrderView['status'],
      expiresAt: row.expiresAt,
      createdAt: row.createdAt,
      paidAt: row.paidAt,
      transferId: row.transferId,
      refundedAmount: row.refundedAmount,
      refundCount: row.refundCount,
    };
  }
}

function merchantView(row: MerchantRow): Merchant {
  return { id: row.id, name: row.name, qrName: row.qrName, city: row.city, countryCode: row.countryCode, createdAt: row.createdAt };
}

function keyView(row: typeof merchantApiKeys.$inferSelect): ApiKeyView {
  return { id: row.id, name: row.name, prefix: row.prefix, scopes: JSON.parse(row.scopes) as Scope[], createdAt: row.createdAt, revokedAt: row.revokedAt };
}

function refundView(row: MerchantRefundRow, currency: Currency): RefundView {
  return { id: row.id, orderId: row.orderId, outRefundNo: row.outRefundNo, amount: row.amount, currency, reason: row.reason, status: 'SUCCESS', createdAt: row.createdAt };
}

/** The start of a UTC calendar day `YYYY-MM-DD`, or `VALIDATION_FAILED` at `path`. */
function utcDay(date: string, path: string): number {
  const start = Date.parse(`${date}T00:00:00.000Z`);
  if (!Number.isFinite(start) || new Date(start).toISOString().slice(0, 10) !== date) throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path, message: 'A calendar date, YYYY-MM-DD' }] });
  return start;
}
