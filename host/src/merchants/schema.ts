/**
 * @module Tables of the merchants domain: merchant accounts, their API keys (hashed), orders and refunds.
 * Money itself lives in the ledger (`m:<merchantId>:<CUR>` accounts); these rows say what each movement was for.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** A merchant, owned by the person who created it. */
export const merchants = sqliteTable(
  'merchants',
  {
    id: text('id').primaryKey(),
    ownerUserId: text('owner_user_id').notNull(),
    name: text('name').notNull(),
    /** What EMVCo QR codes show (ID 59, ≤ 25 ASCII characters) and the city (ID 60, ≤ 15) and country (ID 58). */
    qrName: text('qr_name').notNull(),
    city: text('city').notNull(),
    countryCode: text('country_code').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('merchants_owner_idx').on(t.ownerUserId)],
);

/** An API key: only the SHA-256 of its secret is stored; the secret is shown once. */
export const merchantApiKeys = sqliteTable(
  'merchant_api_keys',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    name: text('name').notNull(),
    /** The secret's first characters, to tell keys apart in a list. */
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    /** JSON array of scopes: `orders:read`, `orders:write`, `refunds:write`. */
    scopes: text('scopes').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('merchant_api_keys_hash_unique').on(t.secretHash), index('merchant_api_keys_merchant_idx').on(t.merchantId)],
);

/** An order: `NOTPAY` → `SUCCESS` (paid) or `CLOSED`; refunds keep it `SUCCESS` and add up in `refundedAmount`. */
export const merchantOrders = sqliteTable(
  'merchant_orders',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    outTradeNo: text('out_trade_no').notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    description: text('description').notNull(),
    metadata: text('metadata'),
    status: text('status').notNull(),
    /** SHA-256 of the creating parameters: the same out_trade_no with other parameters is refused. */
    fingerprint: text('fingerprint').notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    paidAt: integer('paid_at'),
    payerUserId: text('payer_user_id'),
    transferId: text('transfer_id'),
    closedAt: integer('closed_at'),
    refundedAmount: integer('refunded_amount').notNull().default(0),
    refundCount: integer('refund_count').notNull().default(0),
  },
  (t) => [
    uniqueIndex('merchant_orders_trade_no_unique').on(t.merchantId, t.outTradeNo),
    // A merchant's order list, newest first (keyset pages on created_at, id).
    index('merchant_orders_merchant_created_idx').on(t.merchantId, t.createdAt, t.id),
    // Payment-code payments waiting for their payer (the shell asks; the reversal sweep reads them all): only
    // the few in that state are indexed.
    index('merchant_orders_userpaying_idx').on(t.payerUserId).where(sql`${t.status} = 'USERPAYING'`),
  ],
);

/** A refund of (part of) a paid order; `outRefundNo` is unique per merchant. */
export const merchantRefunds = sqliteTable(
  'merchant_refunds',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    orderId: text('order_id').notNull(),
    outRefundNo: text('out_refund_no').notNull(),
    amount: integer('amount').notNull(),
    reason: text('reason').notNull(),
    status: text('status').notNull(),
    transferId: text('transfer_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('merchant_refunds_no_unique').on(t.merchantId, t.outRefundNo), index('merchant_refunds_order_idx').on(t.orderId)],
);

export type MerchantRow = typeof merchants.$inferSelect;
export type MerchantOrderRow = typeof merchantOrders.$inferSelect;
export type MerchantRefundRow = typeof merchantRefunds.$inferSelect;

/** Where a merchant receives webhooks. */
export const merchantWebhooks = sqliteTable('merchant_webhooks', {
  merchantId: text('merchant_id').primaryKey(),
  url: text('url').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** The event outbox: written in the same transaction as the change it describes. */
export const merchantEvents = sqliteTable(
  'merchant_events',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    type: text('type').notNull(),
    payload: text('payload').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('merchant_events_merchant_idx').on(t.merchantId, t.createdAt)],
);

/** One event on its way to one endpoint: `pending` until a 2xx (`succeeded`) or the schedule runs out (`failed`). */
export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    eventId: text('event_id').notNull(),
    merchantId: text('merchant_id').notNull(),
    url: text('url').notNull(),
    status: text('status').notNull(),
    attempts: integer('attempts').notNull(),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastStatusCode: integer('last_status_code'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt), index('webhook_deliveries_merchant_idx').on(t.merchantId, t.createdAt)],
);

/** The delivery log: every attempt, its answer or error, and how long it took. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey(),
    deliveryId: text('delivery_id').notNull(),
    attempt: integer('attempt').notNull(),
    at: integer('at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    ms: integer('ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery_idx').on(t.deliveryId)],
);

/** Atrium's Ed25519 key for signing webhooks (its public half is published at /v1/webhook-keys). */
export const webhookSigningKeys = sqliteTable('webhook_signing_keys', {
  kid: text('kid').primaryKey(),
  privateKeyPem: text('private_key_pem').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** A device's payment-code secret; `deviceNumber` is the 8 digits after the prefix in its codes. */
export const paymentCodeDevices = sqliteTable(
  'payment_code_devices',
  {
    deviceNumber: text('device_number').primaryKey(),
    userId: text('user_id').notNull(),
    deviceId: text('device_id').notNull(),
    secret: text('secret').notNull(),
    createdAt: integer('created_at').notNull(),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('payment_code_devices_device_idx').on(t.deviceId)],
);

/** Each (device, minute) code is used at most once. */
export const paymentCodeUses = sqliteTable(
  'payment_code_uses',
  {
    deviceNumber: text('device_number').notNull(),
    counter: integer('counter').notNull(),
    usedAt: integer('used_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceNumber, t.counter] })],
);

/**
 * A mini-app bound to a merchant (as WeChat binds an AppID to a merchant id): the app may ask its people to pay
 * this merchant's orders with `atrium.requestPayment()`, and no other merchant's. Linked by the merchant's owner,
 * who must also manage the app (or by the platform for its own samples); audited on the app.
 */
export const merchantAppLinks = sqliteTable(
  'merchant_app_links',
  {
    merchantId: text('merchant_id').notNull(),
    appId: text('app_id').notNull(),
    /** Who linked it; null: the platform (development samples). */
    linkedBy: text('linked_by'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.merchantId, t.appId] }), index('merchant_app_links_app_idx').on(t.appId)],
);

/**
 * A prepay id (WeChat Pay's `prepay_id`): a merchant's order handed to one bound app to pay. It names the order
 * without exposing it to other apps, and expires with the order.
 */
export const merchantPrepays = sqliteTable(
  'merchant_prepays',
  {
    id: text('id').primaryKey(),
    merchantId: text('merchant_id').notNull(),
    orderId: text('order_id').notNull(),
    appId: text('app_id').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [uniqueIndex('merchant_prepays_order_app_unique').on(t.orderId, t.appId)],
);
