/**
 * @module The merchants' HTTP edge. People: `/v1/merchants` (their merchants and API keys) and `/v1/orders`
 * (see and pay an order). Merchants' servers: `/v1/merchant-api` with `Authorization: Bearer mk_…` (orders,
 * close, refunds), in the manner of WeChat Pay and Stripe.
 */
import { createHash } from 'node:crypto';
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import QRCode from 'qrcode';
import { AtriumError } from '../core/errors.ts';
import { bearerToken } from '../http/middleware/auth.ts';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import { IdSchema, plainText } from '../identity/api-schemas.ts';
import { CURRENCY_CODES, MAX_AMOUNT } from '../wallet/currencies.ts';
import { claimKey, idempotencyKeyParameter, replay, storedOutcome, type IdempotencyService } from '../wallet/idempotency.ts';
import { SCOPES, type MerchantCaller, type MerchantService, type Scope, type Statement } from './service.ts';
import type { PaymentCodeService } from './payment-codes.ts';
import type { WebhookService } from './webhooks.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by the merchant-key middleware on `/v1/merchant-api`. */
    merchant: MerchantCaller;
  }
}

const bearer = [{ bearerAuth: [] }];
const merchantKey = [{ merchantKey: [] }];

const MerchantSchema = z
  .object({ id: z.string(), name: z.string(), qrName: z.string(), city: z.string(), countryCode: z.string(), createdAt: z.number().int() })
  .openapi('Merchant');
const QrQuery = z.object({ format: z.enum(['json', 'svg', 'png']).default('json') });
const QrSchema = z.object({ payload: z.string(), expiresAt: z.number().int().optional() }).openapi('MerchantQr');

/** Answers a QR payload as JSON, or rendered by `qrcode` as SVG or PNG. */
async function qrResponse(c: Context, format: 'json' | 'svg' | 'png', qr: { payload: string; expiresAt?: number }): Promise<Response> {
  if (format === 'svg') return c.body(await QRCode.toString(qr.payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }), 200, { 'content-type': 'image/svg+xml' });
  if (format === 'png') return c.body(new Uint8Array(await QRCode.toBuffer(qr.payload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 })), 200, { 'content-type': 'image/png' });
  return c.json(qr, 200);
}
const KeySchema = z
  .object({ id: z.string(), name: z.string(), prefix: z.string(), scopes: z.array(z.enum(SCOPES)), createdAt: z.number().int(), revokedAt: z.number().int().nullable() })
  .openapi('MerchantApiKey');
const OrderSchema = z
  .object({
    id: z.string(),
    merchantId: z.string(),
    merchantName: z.string(),
    outTradeNo: z.string(),
    amount: z.number().int(),
    currency: z.enum(CURRENCY_CODES),
    description: z.string(),
    metadata: z.record(z.string(), z.string()).nullable(),
    status: z.enum(['NOTPAY', 'USERPAYING', 'SUCCESS', 'CLOSED']),
    expiresAt: z.number().int(),
    createdAt: z.number().int(),
    paidAt: z.number().int().nullable(),
    transferId: z.string().nullable(),
    refundedAmount: z.number().int(),
    refundCount: z.number().int(),
  })
  .openapi('Order');
const RefundSchema = z
  .object({ id: z.string(), orderId: z.string(), outRefundNo: z.string(), amount: z.number().int(), currency: z.enum(CURRENCY_CODES), reason: z.string(), status: z.literal('SUCCESS'), createdAt: z.number().int() })
  .openapi('Refund');
// WeChat Pay's formats: out_trade_no 6–32 of [0-9A-Za-z_-|*], out_refund_no ≤ 64 of [0-9A-Za-z_-|*@].
const OutTradeNo = z.string().min(6).max(32).regex(/^[0-9A-Za-z_\-|*]+$/);
const OutRefundNo = z.string().min(1).max(64).regex(/^[0-9A-Za-z_\-|*@]+$/);
const MerchantParams = z.object({ merchantId: IdSchema.openapi({ param: { name: 'merchantId', in: 'path' } }) });
const KeyParams = MerchantParams.extend({ keyId: IdSchema.openapi({ param: { name: 'keyId', in: 'path' } }) });
const OrderIdParams = z.object({ orderId: IdSchema.openapi({ param: { name: 'orderId', in: 'path' } }) });
const TradeParams = z.object({ outTradeNo: OutTradeNo.openapi({ param: { name: 'outTradeNo', in: 'path' } }) });
const IdempotencyKey = idempotencyKeyParameter('Unique per payment, 1–255 printable ASCII characters; kept 24 h.');

const DeliveryParams = MerchantParams.extend({ deliveryId: IdSchema.openapi({ param: { name: 'deliveryId', in: 'path' } }) });
const DeliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    url: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.array(z.object({ at: z.number().int(), statusCode: z.number().int().nullable(), error: z.string().nullable(), ms: z.number().int() })),
    nextAttemptAt: z.number().int().nullable(),
    createdAt: z.number().int(),
  })
  .openapi('WebhookDelivery');

/** `/v1/merchants`: a person's merchants, their API keys and webhooks. */
export function merchantRoutes(options: { merchants: MerchantService; webhooks: WebhookService; auth: MiddlewareHandler }): OpenAPIHono {
  const { merchants, webhooks, auth } = options;
  const router = createRouter();
  router.use(auth);

  router.openapi(
    createRoute({ method: 'get', path: '/', tags: ['merchants'], summary: 'My merchants', security: bearer, responses: { 200: jsonResponse(z.object({ merchants: z.array(MerchantSchema) }), 'Merchants'), ...problems(401) } }),
    async (c) => c.json({ merchants: merchants.list(c.get('caller').userId) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['merchants'],
      summary: 'Open a merchant account',
      security: bearer,
      request: {
        body: jsonBody(
          z.strictObject({
            name: plainText({ min: 1, max: 64 }),
            qrName: z.string().min(1).max(25).regex(/^[\x20-\x7e]+$/, 'ASCII only').optional().openapi({ description: 'The name QR codes show (EMVCo ID 59); defaults to name when that is ≤ 25 ASCII characters' }),
            city: z.string().min(1).max(15).regex(/^[\x20-\x7e]+$/, 'ASCII only'),
            countryCode: z.string().length(2).regex(/^[A-Z]{2}$/, 'ISO 3166-1 alpha-2'),
          }),
        ),
      },
      responses: { 201: jsonResponse(MerchantSchema, 'Created'), ...problems(400, 401) },
    }),
    async (c) => c.json(await merchants.create(c.get('caller').userId, c.req.valid('json')), 201),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{merchantId}/qr',
      tags: ['merchants'],
      summary: "My merchant's static QR code (EMVCo; the payer enters the amount) as JSON, SVG or PNG",
      security: bearer,
      request: { params: MerchantParams, query: QrQuery.extend({ currency: z.enum(CURRENCY_CODES).default('CNY') }) },
      responses: {
        200: { description: 'The code', content: { 'application/json': { schema: QrSchema }, 'image/svg+xml': { schema: z.string() }, 'image/png': { schema: z.string() } } },
        ...problems(400, 401, 404),
      },
    }),
    async (c) => {
      const { format, currency } = c.req.valid('query');
      return (await qrResponse(c, format, merchants.staticQr(c.get('caller').userId, c.req.valid('param').merchantId, currency))) as never;
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{merchantId}',
      tags: ['merchants'],
      summary: 'One of my merchants, with its balances',
      security: bearer,
      request: { params: MerchantParams },
      responses: { 200: jsonResponse(MerchantSchema.extend({ balances: z.array(z.object({ currency: z.enum(CURRENCY_CODES), balance: z.number().int() })) }), 'Merchant'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(merchants.get(c.get('caller').userId, c.req.valid('param').merchantId), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{merchantId}/keys',
      tags: ['merchants'],
      summary: "My merchant's API keys (never their secrets)",
      security: bearer,
      request: { params: MerchantParams },
      responses: { 200: jsonResponse(z.object({ keys: z.array(KeySchema) }), 'Keys'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json({ keys: merchants.listKeys(c.get('caller').userId, c.req.valid('param').merchantId) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{merchantId}/keys',
      tags: ['merchants'],
      summary: 'Create an API key: the secret is shown in this answer only',
      security: bearer,
      request: { params: MerchantParams, body: jsonBody(z.strictObject({ name: plainText({ min: 1, max: 64 }), scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length) })) },
      responses: { 201: jsonResponse(KeySchema.extend({ secret: z.string() }), 'Created (store the secret now)'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await merchants.createKey(c.get('caller').userId, c.req.valid('param').merchantId, c.req.valid('json')), 201),
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{merchantId}/keys/{keyId}',
      tags: ['merchants'],
      summary: 'Revoke an API key (at once)',
      security: bearer,
      request: { params: KeyParams },
      responses: { 204: { description: 'Revoked' }, ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { merchantId, keyId } = c.req.valid('param');
      await merchants.revokeKey(c.get('caller').userId, merchantId, keyId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/{merchantId}/webhook',
      tags: ['merchants'],
      summary: 'Set (or clear, with null) the endpoint that receives signed webhooks',
      security: bearer,
      request: { params: MerchantParams, body: jsonBody(z.strictObject({ url: z.string().max(2048).nullable() })) },
      responses: { 200: jsonResponse(z.object({ url: z.string().nullable() }), 'Set'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { merchantId } = c.req.valid('param');
      merchants.get(c.get('caller').userId, merchantId); // ownership
      await webhooks.setEndpoint(merchantId, c.req.valid('json').url);
      return c.json({ url: webhooks.endpoint(merchantId) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{merchantId}/webhook-deliveries',
      tags: ['merchants'],
      summary: 'The webhook delivery log: every event, every attempt',
      security: bearer,
      request: { params: MerchantParams },
      responses: { 200: jsonResponse(z.object({ url: z.string().nullable(), deliveries: z.array(DeliverySchema) }), 'Deliveries'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { merchantId } = c.req.valid('param');
      merchants.get(c.get('caller').userId, merchantId);
      return c.json({ url: webhooks.endpoint(merchantId), deliveries: webhooks.deliveries(merchantId) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{merchantId}/webhook-deliveries/{deliveryId}/redeliver',
      tags: ['merchants'],
      summary: 'Deliver an event again now',
      security: bearer,
      request: { params: DeliveryParams },
      responses: { 202: { description: 'Queued' }, ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { merchantId, deliveryId } = c.req.valid('param');
      merchants.get(c.get('caller').userId, merchantId);
      await webhooks.redeliver(merchantId, deliveryId);
      return c.body(null, 202);
    },
  );

  // The owner's shell: orders, refunds and statements with the session (no API key on the device).
  const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
  const OwnerOrderParams = MerchantParams.extend({ orderId: IdSchema.openapi({ param: { name: 'orderId', in: 'path' } }) });

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{merchantId}/orders',
      tags: ['merchants'],
      summary: "My merchant's orders, newest first: by status and UTC days, with a cursor",
      security: bearer,
      request: {
        params: MerchantParams,
        query: z.object({
          status: z.enum(['NOTPAY', 'USERPAYING', 'SUCCESS', 'CLOSED']).optional(),
          from: DateText.optional().openapi({ description: 'First UTC day (YYYY-MM-DD)' }),
          to: DateText.optional().openapi({ description: 'Last UTC day, included' }),
          cursor: z.string().max(100).optional().openapi({ description: '`nextCursor` of the previous page' }),
          limit: z.coerce.number().int().min(1).max(100).default(20),
        }),
      },
      responses: { 200: jsonResponse(z.object({ orders: z.array(OrderSchema), nextCursor: z.string().nullable() }), 'Orders'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(merchants.ownerOrders(c.get('caller').userId, c.req.valid('param').merchantId, c.req.valid('query')), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{merchantId}/orders/{orderId}',
      tags: ['merchants'],
      summary: "One of my merchant's orders, with its refunds",
      security: bearer,
      request: { params: OwnerOrderParams },
      responses: { 200: jsonResponse(z.object({ order: OrderSchema, refunds: z.array(RefundSchema) }), 'Order'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { merchantId, orderId } = c.req.valid('param');
      return c.json(merchants.ownerOrder(c.get('caller').userId, merchantId, orderId), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{merchantId}/orders/{orderId}/refunds',
      tags: ['merchants'],
      summary: "Refund part or all of my merchant's paid order to its payer (out_refund_no is idempotent)",
      security: bearer,
      request: { params: OwnerOrderParams, body: jsonBody(z.strictObject({ outRefundNo: OutRefundNo, amount: z.number().int().min(1).max(MAX_AMOUNT), reason: plainText({ min: 0, max: 80 }).default('') })) },
      responses: { 201: jsonResponse(RefundSchema, 'Refunded'), 200: jsonResponse(RefundSchema, 'Already refunded with this out_refund_no'), ...problems(400, 401, 402, 404, 409) },
    }),
    async (c) => {
      const { merchantId, orderId } = c.req.valid('param');
      const { refund, created } = await merchants.ownerRefund(c.get('caller').userId, merchantId, orderId, c.req.valid('json'));
      return created ? c.json(refund, 201) : c.json(refund, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{merchantId}/statement',
      tags: ['merchants'],
      summary: "My merchant's statement of one UTC day (JSON or CSV), as the merchant API gives it",
      security: bearer,
      request: { params: MerchantParams, query: z.object({ date: DateText.optional().openapi({ description: 'The UTC day (default: today)' }), format: z.enum(['json', 'csv']).default('json') }) },
      responses: {
        200: { description: 'The statement; `Digest` carries its SHA-256', content: { 'application/json': { schema: StatementSchema }, 'text/csv': { schema: z.string() } } },
        ...problems(400, 401, 404),
      },
    }),
    async (c) => {
      const { date, format } = c.req.valid('query');
      return statementResponse(c, merchants.ownerStatement(c.get('caller').userId, c.req.valid('param').merchantId, date), format) as never;
    },
  );

  return router;
}

/** `/v1/webhook-keys`: Atrium's public keys for verifying webhook signatures (no authentication). */
export function webhookKeyRoutes(options: { webhooks: WebhookService }): OpenAPIHono {
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['merchant-api'],
      summary: "Atrium's webhook signing keys (Ed25519 JWKs); see the Atrium-Signature header",
      responses: { 200: jsonResponse(z.object({ keys: z.array(z.record(z.string(), z.string())) }), 'Keys') },
    }),
    async (c) => c.json(await options.webhooks.publicKeys(), 200),
  );
  return router;
}

/** `/v1/wallet/payment-code`: the person's own payment codes and the payments waiting for their confirmation. */
export function paymentCodeRoutes(options: { merchants: MerchantService; codes: PaymentCodeService; auth: MiddlewareHandler }): OpenAPIHono {
  const { merchants, codes, auth } = options;
  const router = createRouter();
  router.use(auth);
  const PayerOrder = OrderSchema.omit({ metadata: true, refundedAmount: true, refundCount: true });

  router.openapi(
    createRoute({
      method: 'post',
      path: '/secret',
      tags: ['wallet'],
      summary: 'Enroll this device for payment codes: its secret, shown once, to compute codes offline (replaces an earlier one)',
      description:
        "A code is `13` + deviceNumber (8) + counter n (1) + 7 digits of HOTP(HMAC-SHA256(secret, uint64 minute ‖ uint8 n)). The secret is bound to this device and stops working when the device is signed out.",
      security: bearer,
      responses: {
        201: jsonResponse(
          z.object({ deviceNumber: z.string(), secret: z.string(), digits: z.literal(18), periodSeconds: z.literal(60), prefix: z.string(), codesPerPeriod: z.number().int() }),
          'Secret (keep it on the device)',
        ),
        ...problems(401),
      },
    }),
    async (c) => c.json(await codes.issue(c.get('caller').userId, c.get('caller').deviceId), 201),
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/secret',
      tags: ['wallet'],
      summary: 'Turn payment codes off for this device (its codes stop working at once)',
      security: bearer,
      responses: { 204: { description: 'Off' }, ...problems(401) },
    }),
    async (c) => {
      await codes.revokeDevice(c.get('caller').deviceId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['wallet'],
      summary: "Whether this device has payment codes on, and which of its recent codes were used (never a code: the device computes them)",
      security: bearer,
      responses: {
        200: jsonResponse(
          z.object({ enabled: z.boolean(), deviceNumber: z.string().nullable(), used: z.array(z.object({ step: z.number().int(), counter: z.number().int() })) }),
          'Status',
        ),
        ...problems(401),
      },
    }),
    async (c) => c.json(codes.status(c.get('caller').userId, c.get('caller').deviceId), 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/pending',
      tags: ['wallet'],
      summary: 'Payment-code payments waiting for my confirmation',
      security: bearer,
      responses: { 200: jsonResponse(z.object({ orders: z.array(PayerOrder) }), 'Waiting'), ...problems(401) },
    }),
    async (c) => c.json({ orders: merchants.awaitingConfirmation(c.get('caller').userId).map(({ metadata: _m, refundedAmount: _r, refundCount: _n, ...o }) => o) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/pending/{orderId}/confirm',
      tags: ['wallet'],
      summary: 'Confirm a payment-code payment with the PIN',
      security: bearer,
      request: { params: OrderIdParams, body: jsonBody(z.strictObject({ pin: z.string().regex(/^\d{6}$/, 'A PIN is 6 digits').max(6) })) },
      responses: { 200: jsonResponse(OrderSchema, 'Paid'), ...problems(400, 401, 402, 403, 404, 409, 423) },
    }),
    async (c) => c.json(await merchants.confirm(c.get('caller').userId, c.req.valid('param').orderId, c.req.valid('json').pin), 200),
  );

  return router;
}

/** `/v1/orders`: what a payer sees of an order, and paying it from the wallet. */
export function orderPaymentRoutes(options: { merchants: MerchantService; idempotency: IdempotencyService; auth: MiddlewareHandler }): OpenAPIHono {
  const { merchants, idempotency, auth } = options;
  const router = createRouter();
  router.use(auth);

  const PayerOrderSchema = OrderSchema.omit({ metadata: true, transferId: true, refundedAmount: true, refundCount: true });
  const payerView = (order: ReturnType<MerchantService['orderForPayer']>) => {
    const { metadata: _m, transferId: _t, refundedAmount: _r, refundCount: _n, ...shown } = order;
    return shown;
  };

  router.openapi(
    createRoute({
      method: 'post',
      path: '/scan',
      tags: ['wallet'],
      summary: 'What a scanned payment QR code is: an order to pay (dynamic code) or a merchant to pay (static code)',
      security: bearer,
      request: { body: jsonBody(z.strictObject({ payload: z.string().min(1).max(1024) })) },
      responses: {
        200: jsonResponse(
          z.union([
            z.object({ kind: z.literal('order'), order: PayerOrderSchema }),
            z.object({ kind: z.literal('merchant'), merchant: MerchantSchema.pick({ id: true, name: true, city: true, countryCode: true }), currency: z.enum(CURRENCY_CODES).nullable() }),
          ]),
          'Resolved',
        ),
        ...problems(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const found = merchants.resolveQr(c.req.valid('json').payload);
      if (found.kind === 'order') return c.json({ kind: 'order' as const, order: payerView(found.order) }, 200);
      const { id, name, city, countryCode } = found.merchant;
      return c.json({ kind: 'merchant' as const, merchant: { id, name, city, countryCode }, currency: found.currency ?? null }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/pay-merchant',
      tags: ['wallet'],
      summary: "Pay a merchant an amount I enter (after scanning its static code), with the PIN (idempotent)",
      security: bearer,
      parameters: [IdempotencyKey],
      request: {
        body: jsonBody(
          z.strictObject({
            merchantId: IdSchema,
            amount: z.number().int().min(1).max(MAX_AMOUNT),
            currency: z.enum(CURRENCY_CODES),
            note: plainText({ min: 0, max: 127 }).default(''),
            pin: z.string().regex(/^\d{6}$/, 'A PIN is 6 digits').max(6),
          }),
        ),
      },
      responses: { 200: jsonResponse(OrderSchema, 'Paid'), ...problems(400, 401, 402, 403, 404, 409, 422, 423) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const claim = await claimKey(c, idempotency);
      if (claim instanceof Response) return claim as never;
      const stored = await merchants.payStatic(c.get('caller').userId, body, claim, (outcome) => storedOutcome(c, outcome, (order) => ({ status: 200, body: order })));
      return replay(c, stored, false) as never;
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{orderId}/quote',
      tags: ['wallet'],
      summary: "What the order costs from a balance in another currency, at the operator's rate (shown before confirming)",
      security: bearer,
      request: { params: OrderIdParams, query: z.object({ currency: z.enum(CURRENCY_CODES).optional().openapi({ description: "The balance to pay from (default: the order's currency)" }) }) },
      responses: {
        200: jsonResponse(z.object({ currency: z.enum(CURRENCY_CODES), amount: z.number().int(), payCurrency: z.enum(CURRENCY_CODES), payAmount: z.number().int(), rate: z.string() }).openapi('FxQuote'), 'Quote'),
        ...problems(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { orderId } = c.req.valid('param');
      const currency = c.req.valid('query').currency ?? merchants.orderForPayer(orderId).currency;
      return c.json(merchants.quote(orderId, currency), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{orderId}',
      tags: ['wallet'],
      summary: 'An order to pay: merchant, amount, currency (what the pay sheet shows)',
      security: bearer,
      request: { params: OrderIdParams },
      responses: { 200: jsonResponse(PayerOrderSchema, 'Order'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(payerView(merchants.orderForPayer(c.req.valid('param').orderId)), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{orderId}/pay',
      tags: ['wallet'],
      summary: 'Pay an order from my wallet with the PIN (idempotent)',
      security: bearer,
      parameters: [IdempotencyKey],
      request: {
        params: OrderIdParams,
        body: jsonBody(
          z.strictObject({
            pin: z.string().regex(/^\d{6}$/, 'A PIN is 6 digits').max(6),
            payCurrency: z.enum(CURRENCY_CODES).optional().openapi({ description: 'Pay from this balance (another currency than the order’s), at the quoted amount' }),
            quotedAmount: z.number().int().min(1).max(MAX_AMOUNT).optional().openapi({ description: '`payAmount` of the quote the person confirmed' }),
          }),
        ),
      },
      responses: { 200: jsonResponse(OrderSchema, 'Paid'), ...problems(400, 401, 402, 403, 404, 409, 422, 423) },
    }),
    async (c) => {
      const { orderId } = c.req.valid('param');
      const { pin, payCurrency, quotedAmount } = c.req.valid('json');
      if ((payCurrency === undefined) !== (quotedAmount === undefined)) {
        throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.quotedAmount', message: 'payCurrency and quotedAmount go together' }] });
      }
      const claim = await claimKey(c, idempotency);
      if (claim instanceof Response) return claim as never;
      const fx = payCurrency !== undefined && quotedAmount !== undefined ? { payCurrency, quotedAmount } : undefined;
      const stored = await merchants.pay(c.get('caller').userId, orderId, pin, claim, (outcome) => storedOutcome(c, outcome, (order) => ({ status: 200, body: order })), fx);
      return replay(c, stored, false) as never;
    },
  );

  return router;
}

const StatementSchema = z
  .object({
    merchantId: z.string(),
    date: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    lines: z.array(z.object({ transferId: z.string(), at: z.number().int(), kind: z.string(), amount: z.number().int(), currency: z.enum(CURRENCY_CODES), orderId: z.string().nullable(), outTradeNo: z.string().nullable(), outRefundNo: z.string().nullable() })),
    totals: z.array(z.object({ currency: z.enum(CURRENCY_CODES), opening: z.number().int(), credits: z.number().int(), debits: z.number().int(), closing: z.number().int(), count: z.number().int() })),
  })
  .openapi('MerchantStatement');

/** A statement as a download (JSON or CSV) with its SHA-256 in `Digest`. */
function statementResponse(c: Context, statement: Statement, format: 'json' | 'csv'): Response {
  const body = format === 'csv' ? statementCsv(statement) : JSON.stringify(statement);
  const digest = `sha-256=${createHash('sha256').update(body).digest('base64')}`;
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json';
  return c.body(body, 200, { 'content-type': type, digest, 'content-disposition': `attachment; filename="statement-${statement.date}.${format}"` });
}

/** A statement as CSV: the movements, then one `total` row per currency (minor units, signed). */
export function statementCsv(statement: Statement): string {
  const rows = [['record', 'transfer_id', 'time', 'kind', 'currency', 'amount', 'order_id', 'out_trade_no', 'out_refund_no', 'opening', 'credits', 'debits', 'closing'].join(',')];
  for (const l of statement.lines) rows.push(['line', l.transferId, new Date(l.at).toISOString(), l.kind, l.currency, String(l.amount), l.orderId ?? '', l.outTradeNo ?? '', l.outRefundNo ?? '', '', '', '', ''].join(','));
  for (const t of statement.totals) rows.push(['total', '', statement.date, '', t.currency, String(t.credits - t.debits), '', '', '', String(t.opening), String(t.credits), String(t.debits), String(t.closing)].join(','));
  return `${rows.join('\r\n')}\r\n`;
}

/** Authenticates a merchant's server by its API key (`Authorization: Bearer mk_…`). */
export function requireMerchantKey(merchants: MerchantService): MiddlewareHandler {
  return async function requireMerchantKeyMiddleware(c, next) {
    const token = bearerToken(c.req.header('authorization'));
    const caller = token?.startsWith('mk_') ? merchants.authenticateKey(token) : undefined;
    if (!caller) {
      throw new AtriumError({ code: 'UNAUTHENTICATED', detail: 'Send a merchant API key: Authorization: Bearer mk_… (create one under your merchant account).', headers: { 'WWW-Authenticate': 'Bearer realm="atrium-merchant"' } });
    }
    c.set('merchant', caller);
    await next();
  };
}

function need(caller: MerchantCaller, scope: Scope): void {
  if (!caller.scopes.includes(scope)) throw new AtriumError({ code: 'MERCHANT_SCOPE_MISSING', detail: `This key needs the ${scope} scope.` });
}

/** `/v1/merchant-api`: orders and refunds for a merchant's server. */
export function merchantApiRoutes(options: { merchants: MerchantService }): OpenAPIHono {
  const { merchants } = options;
  const router = createRouter();
  router.use(requireMerchantKey(merchants));

  router.openapi(
    createRoute({
      method: 'post',
      path: '/orders',
      tags: ['merchant-api'],
      summary: 'Create an order (the same out_trade_no with the same parameters answers the existing order)',
      security: merchantKey,
      request: {
        body: jsonBody(
          z.strictObject({
            outTradeNo: OutTradeNo,
            amount: z.number().int().min(1).max(MAX_AMOUNT),
            currency: z.enum(CURRENCY_CODES),
            description: plainText({ min: 1, max: 127 }),
            expiresInSeconds: z.number().int().min(60).max(7 * 24 * 3600).optional(),
            metadata: z.record(z.string().max(40), z.string().max(500)).optional(),
          }),
        ),
      },
      responses: { 201: jsonResponse(OrderSchema, 'Created'), 200: jsonResponse(OrderSchema, 'Already created with these parameters'), ...problems(400, 401, 403, 409) },
    }),
    async (c) => {
      need(c.get('merchant'), 'orders:write');
      const body = c.req.valid('json');
      if (body.metadata && Object.keys(body.metadata).length > 20) throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.metadata', message: 'At most 20 keys' }] });
      const { order, created } = await merchants.createOrder(c.get('merchant').merchantId, body);
      return created ? c.json(order, 201) : c.json(order, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{outTradeNo}',
      tags: ['merchant-api'],
      summary: 'Query an order',
      security: merchantKey,
      request: { params: TradeParams },
      responses: { 200: jsonResponse(OrderSchema, 'Order'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      need(c.get('merchant'), 'orders:read');
      return c.json(await merchants.queryOrder(c.get('merchant').merchantId, c.req.valid('param').outTradeNo), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{outTradeNo}/close',
      tags: ['merchant-api'],
      summary: 'Close an unpaid order',
      security: merchantKey,
      request: { params: TradeParams },
      responses: { 200: jsonResponse(OrderSchema, 'Closed'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      need(c.get('merchant'), 'orders:write');
      return c.json(await merchants.closeOrder(c.get('merchant').merchantId, c.req.valid('param').outTradeNo), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/micropay',
      tags: ['merchant-api'],
      summary: "Charge a customer's payment code: SUCCESS at once, or USERPAYING while they confirm (poll the order)",
      security: merchantKey,
      request: {
        body: jsonBody(
          z.strictObject({
            outTradeNo: OutTradeNo,
            authCode: z.string().max(18).regex(/^\d{18}$/, 'The 18 digits of the payment code'),
            amount: z.number().int().min(1).max(MAX_AMOUNT),
            currency: z.enum(CURRENCY_CODES),
            description: plainText({ min: 1, max: 127 }),
          }),
        ),
      },
      responses: { 200: jsonResponse(OrderSchema, 'Paid (SUCCESS), or the order as it stands for a retried outTradeNo'), 202: jsonResponse(OrderSchema, 'Waiting for the customer (USERPAYING)'), ...problems(400, 401, 402, 403, 409) },
    }),
    async (c) => {
      need(c.get('merchant'), 'orders:write');
      const order = await merchants.micropay(c.get('merchant').merchantId, c.req.valid('json'));
      return order.status === 'USERPAYING' ? c.json(order, 202) : c.json(order, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/statement',
      tags: ['merchant-api'],
      summary: 'The statement of one UTC day: every payment and refund, totals, opening and closing balances (CSV or JSON)',
      security: merchantKey,
      request: { query: z.object({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'), format: z.enum(['json', 'csv']).default('json') }) },
      responses: {
        200: {
          description: 'The statement; `Digest` carries its SHA-256',
          content: {
            'application/json': { schema: StatementSchema },
            'text/csv': { schema: z.string() },
          },
        },
        ...problems(400, 401, 403),
      },
    }),
    async (c) => {
      need(c.get('merchant'), 'orders:read');
      const { date, format } = c.req.valid('query');
      return statementResponse(c, merchants.statement(c.get('merchant').merchantId, date), format) as never;
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{outTradeNo}/qr',
      tags: ['merchant-api'],
      summary: "An unpaid order's dynamic QR code (EMVCo, amount included; valid ≤ 2 h) as JSON, SVG or PNG",
      security: merchantKey,
      request: { params: TradeParams, query: QrQuery },
      responses: {
        200: { description: 'The code', content: { 'application/json': { schema: QrSchema }, 'image/svg+xml': { schema: z.string() }, 'image/png': { schema: z.string() } } },
        ...problems(400, 401, 403, 404, 409),
      },
    }),
    async (c) => {
      need(c.get('merchant'), 'orders:read');
      return (await qrResponse(c, c.req.valid('query').format, merchants.orderQr(c.get('merchant').merchantId, c.req.valid('param').outTradeNo))) as never;
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/orders/{outTradeNo}/refunds',
      tags: ['merchant-api'],
      summary: "An order's refunds",
      security: merchantKey,
      request: { params: TradeParams },
      responses: { 200: jsonResponse(z.object({ refunds: z.array(RefundSchema) }), 'Refunds'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      need(c.get('merchant'), 'orders:read');
      return c.json({ refunds: merchants.refunds(c.get('merchant').merchantId, c.req.valid('param').outTradeNo) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/orders/{outTradeNo}/refunds',
      tags: ['merchant-api'],
      summary: 'Refund part or all of a paid order (out_refund_no is idempotent)',
      security: merchantKey,
      request: { params: TradeParams, body: jsonBody(z.strictObject({ outRefundNo: OutRefundNo, amount: z.number().int().min(1).max(MAX_AMOUNT), reason: plainText({ min: 0, max: 80 }).default('') })) },
      responses: { 201: jsonResponse(RefundSchema, 'Refunded'), 200: jsonResponse(RefundSchema, 'Already refunded with this out_refund_no'), ...problems(400, 401, 402, 403, 404, 409) },
    }),
    async (c) => {
      need(c.get('merchant'), 'refunds:write');
      const { refund, created } = await merchants.refund(c.get('merchant').merchantId, c.req.valid('param').outTradeNo, c.req.valid('json'));
      return created ? c.json(refund, 201) : c.json(refund, 200);
    },
  );

  return router;
}
