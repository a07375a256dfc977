/**
 * @module Payments inside mini-apps (`atrium.requestPayment()`): which merchants an app is bound to (as WeChat
 * binds an AppID to a merchant id), prepay ids handed to one app, and the checks before the pay sheet opens —
 * the order must be a bound merchant's, unpaid, open and unexpired. The payment itself is the wallet's own order
 * payment ({@link MerchantService.pay}: PIN, idempotency, ledger, webhook outbox), made by the person's shell.
 */
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import type { Actor } from '../developer/actor.ts';
import type { DeveloperAudit } from '../developer/audit.ts';
import { NEEDS, type Members } from '../developer/members.ts';
import { merchantAppLinks, merchantOrders, merchantPrepays, merchants } from './schema.ts';
import type { MerchantService, OrderView } from './service.ts';

/** A link between a merchant and an app, as its owner sees it. */
export interface AppLinkView {
  merchantId: string;
  appId: string;
  /** Who linked it (null: the platform, for its samples). */
  linkedBy: string | null;
  createdAt: number;
}

/** What the app passes to `atrium.requestPayment()`. */
export type PaymentRef = { orderId: string } | { prepayId: string };

/** What `atrium.requestPayment()` resolves with. */
export interface PaymentResult {
  status: 'paid';
  orderId: string;
  outTradeNo: string;
  transactionId: string;
  amount: number;
  currency: string;
  paidAt: number;
}

/** Options of {@link AppPayments}. */
export interface AppPaymentsOptions {
  database: Database;
  clock: Clock;
  random: Random;
  merchants: MerchantService;
  members: Members;
  audit: DeveloperAudit;
}

/** Merchant ↔ app bindings, prepay ids, and the checks of an in-app payment. */
export class AppPayments {
  readonly #o: AppPaymentsOptions;

  constructor(options: AppPaymentsOptions) {
    this.#o = options;
  }

  /**
   * Binds `appId` to `merchantId`. A person must own the merchant and manage the app (owner or admin), so nobody
   * can point someone else's app at their merchant or take payments for someone else's merchant; the platform
   * may bind its own samples. Idempotent; audited on the app.
   */
  async link(actor: Actor, merchantId: string, appId: string): Promise<AppLinkView> {
    await this.#authorize(actor, merchantId, appId);
    return this.#o.database.write(async (tx) => {
      const existing = tx.select().from(merchantAppLinks).where(and(eq(merchantAppLinks.merchantId, merchantId), eq(merchantAppLinks.appId, appId))).get();
      if (existing) return existing;
      const row = { merchantId, appId, linkedBy: actor.userId, createdAt: this.#o.clock.now() };
      tx.insert(merchantAppLinks).values(row).run();
      await this.#o.audit.record(tx, actor, appId, 'merchant.link', { merchantId });
      return row;
    });
  }

  /** Unbinds them (same rights as {@link link}); a no-op when they were not bound. Audited on the app. */
  async unlink(actor: Actor, merchantId: string, appId: string): Promise<void> {
    await this.#authorize(actor, merchantId, appId);
    await this.#o.database.write(async (tx) => {
      const removed = tx.delete(merchantAppLinks).where(and(eq(merchantAppLinks.merchantId, merchantId), eq(merchantAppLinks.appId, appId))).run().changes;
      if (removed > 0) await this.#o.audit.record(tx, actor, appId, 'merchant.unlink', { merchantId });
    });
  }

  /** The apps bound to one of `userId`'s merchants (`MERCHANT_NOT_FOUND` for other people's). */
  links(userId: string, merchantId: string): AppLinkView[] {
    this.#o.merchants.get(userId, merchantId);
    return this.#o.database.db.select().from(merchantAppLinks).where(eq(merchantAppLinks.merchantId, merchantId)).orderBy(merchantAppLinks.createdAt).all();
  }

  /** The merchants `appId` is bound to. */
  merchantsOf(appId: string): string[] {
    return this.#o.database.db.select({ id: merchantAppLinks.merchantId }).from(merchantAppLinks).where(eq(merchantAppLinks.appId, appId)).all().map((r) => r.id);
  }

  /** Whether `appId` may take payments for `merchantId`. */
  isLinked(merchantId: string, appId: string): boolean {
    return this.#o.database.db.select({ id: merchantAppLinks.appId }).from(merchantAppLinks).where(and(eq(merchantAppLinks.merchantId, merchantId), eq(merchantAppLinks.appId, appId))).get() !== undefined;
  }

  /**
   * A merchant's server hands its unpaid order `outTradeNo` to the bound app `appId` to pay: the prepay id
   * (the same one when asked again), valid as long as the order.
   */
  async prepay(merchantId: string, outTradeNo: string, appId: string): Promise<{ prepayId: string; orderId: string; appId: string; expiresAt: number }> {
    if (!this.isLinked(merchantId, appId)) throw new AtriumError({ code: 'MERCHANT_APP_NOT_LINKED', detail: `Bind ${appId} to this merchant first (PUT /v1/merchants/${merchantId}/apps/${appId}).` });
    const order = this.#o.merchants.order(merchantId, outTradeNo);
    this.#payable(order);
    return this.#o.database.write(async (tx) => {
      const existing = tx.select().from(merchantPrepays).where(and(eq(merchantPrepays.orderId, order.id), eq(merchantPrepays.appId, appId))).get();
      const row = existing ?? { id: newId(this.#o.random, 'pp'), merchantId, orderId: order.id, appId, createdAt: this.#o.clock.now(), expiresAt: order.expiresAt };
      if (!existing) tx.insert(merchantPrepays).values(row).run();
      return { prepayId: row.id, orderId: row.orderId, appId, expiresAt: row.expiresAt };
    });
  }

  /**
   * The order `ref` names, when `appId` may ask its person to pay it now: a bound merchant's (`ORDER_OTHER_MERCHANT`
   * otherwise), unpaid and open (`ORDER_NOT_PAYABLE`), unexpired (`ORDER_EXPIRED`). A prepay id of another app is
   * `ORDER_NOT_FOUND`, like an unknown one.
   */
  payableOrder(appId: string, ref: PaymentRef): OrderView {
    let orderId: string;
    if ('prepayId' in ref) {
      const prepay = this.#o.database.db.select().from(merchantPrepays).where(eq(merchantPrepays.id, ref.prepayId)).get();
      if (!prepay || prepay.appId !== appId) throw new AtriumError({ code: 'ORDER_NOT_FOUND', detail: 'No such prepay id for this app.' });
      orderId = prepay.orderId;
    } else {
      orderId = ref.orderId;
    }
    const order = this.#o.merchants.orderForPayer(orderId);
    if (!this.isLinked(order.merchantId, appId)) throw new AtriumError({ code: 'ORDER_OTHER_MERCHANT', detail: "This order is not for a merchant bound to this app: the app's backend must create it with its own merchant's key." });
    this.#payable(order);
    return order;
  }

  /**
   * The payment's outcome, read back from the order itself once the sheet is closed: paid by `userId` (the
   * result the app gets), or undefined (nothing was paid). The shell's word is never taken for it.
   */
  paidBy(orderId: string, userId: string): PaymentResult | undefined {
    const row = this.#o.database.db.select().from(merchantOrders).where(eq(merchantOrders.id, orderId)).get();
    if (!row || row.status !== 'SUCCESS' || row.payerUserId !== userId || row.transferId === null || row.paidAt === null) return undefined;
    return { status: 'paid', orderId: row.id, outTradeNo: row.outTradeNo, transactionId: row.transferId, amount: row.amount, currency: row.currency, paidAt: row.paidAt };
  }

  /**
   * Development mode: a new API key (orders:read, orders:write) of the first merchant bound to `appId`, for the
   * sample's own backend; the key it was given at the previous start is revoked. Undefined when none is bound.
   */
  async developmentKey(appId: string): Promise<string | undefined> {
    const merchantId = this.merchantsOf(appId)[0];
    if (!merchantId) return undefined;
    const owner = this.#o.database.db.select({ id: merchants.ownerUserId }).from(merchants).where(eq(merchants.id, merchantId)).get()!.id;
    const name = `Development backend of ${appId}`.slice(0, 64);
    for (const key of this.#o.merchants.listKeys(owner, merchantId)) {
      if (key.name === name && key.revokedAt === null) await this.#o.merchants.revokeKey(owner, merchantId, key.id);
    }
    return (await this.#o.merchants.createKey(owner, merchantId, { name, scopes: ['orders:read', 'orders:write'] })).secret;
  }

  #payable(order: OrderView): void {
    if (order.status !== 'NOTPAY') throw new AtriumError({ code: 'ORDER_NOT_PAYABLE' });
    if (order.expiresAt <= this.#o.clock.now()) throw new AtriumError({ code: 'ORDER_EXPIRED' });
  }

  async #authorize(actor: Actor, merchantId: string, appId: string): Promise<void> {
    if (actor.userId !== null) this.#o.merchants.get(actor.userId, merchantId); // MERCHANT_NOT_FOUND unless theirs
    else this.#o.merchants.publicMerchant(merchantId);
    await this.#o.members.require(appId, actor, NEEDS.manage);
  }
}
