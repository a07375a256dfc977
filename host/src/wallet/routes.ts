/**
 * @module The wallet's HTTP edge: `/v1/wallet` (balances, PIN, top-up, withdrawal, transfers to contacts, bills,
 * export) and `/v1/admin/wallet` (the ledger invariant check, for operators).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import QRCode from 'qrcode';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import { IdSchema, plainText } from '../identity/api-schemas.ts';
import { CURRENCY_CODES, formatAmount, MAX_AMOUNT } from './currencies.ts';
import { luhnValid, TEST_CARDS } from './funding.ts';
import { claimKey, idempotencyKeyParameter, idempotently, replay, storedOutcome, type IdempotencyService } from './idempotency.ts';
import type { WalletService, WalletTransaction } from './service.ts';

const bearer = [{ bearerAuth: [] }];

const CurrencySchema = z.enum(CURRENCY_CODES).openapi({ description: 'ISO 4217 code', example: 'CNY' });
const AmountSchema = z.number().int().min(1).max(MAX_AMOUNT).openapi({ description: 'Minor units (fen, cents, satang)', example: 1250 });
const PinSchema = z.string().regex(/^\d{6}$/, 'A PIN is 6 digits').max(6).openapi({ example: '480915' });
const CardSchema = z
  .strictObject({
    number: z.string().max(19).regex(/^\d{12,19}$/, 'Digits only').refine(luhnValid, 'Not a valid card number').openapi({ example: '4242424242424242' }),
    expMonth: z.number().int().min(1).max(12),
    expYear: z.number().int().min(2000).max(2100),
    cvc: z.string().max(4).regex(/^\d{3,4}$/, '3 or 4 digits'),
  })
  .openapi('Card', { description: 'Never stored: only the last four digits are kept.' });
const IdempotencyKey = idempotencyKeyParameter('Unique per payment (e.g. a UUID), 1–255 printable ASCII characters; retries reuse it. Kept 24 h.');

const BalanceSchema = z
  .object({ currency: CurrencySchema, balance: z.number().int(), held: z.number().int(), available: z.number().int(), exponent: z.number().int() })
  .openapi('WalletBalance');
const CounterpartySchema = z.union([
  z.object({ type: z.literal('person'), id: z.string(), handle: z.string(), displayName: z.string() }),
  z.object({ type: z.literal('merchant'), id: z.string(), name: z.string() }),
  z.object({ type: z.literal('system'), name: z.string() }),
]);
const TransactionSchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    kind: z.string().openapi({ example: 'p2p' }),
    direction: z.enum(['in', 'out']),
    amount: z.number().int(),
    currency: CurrencySchema,
    status: z.enum(['succeeded', 'pending', 'voided', 'expired']),
    counterparty: CounterpartySchema,
    note: z.string().nullable(),
    card: z.object({ brand: z.string().nullable(), last4: z.string() }).nullable(),
    createdAt: z.number().int(),
  })
  .openapi('WalletTransaction');
const FilterQuery = z.object({
  currency: CurrencySchema.optional(),
  direction: z.enum(['in', 'out']).optional(),
  kind: z.string().max(32).regex(/^[a-z0-9_.]+$/).optional(),
  from: z.coerce.number().int().min(0).optional().openapi({ description: 'Inclusive, ms since the epoch' }),
  to: z.coerce.number().int().min(0).optional().openapi({ description: 'Exclusive, ms since the epoch' }),
});
const IdParams = z.object({ transactionId: IdSchema.openapi({ param: { name: 'transactionId', in: 'path' } }) });

/** `/v1/wallet` for the signed-in person. */
export function walletRoutes(options: { wallet: WalletService; idempotency: IdempotencyService; auth: MiddlewareHandler }): OpenAPIHono {
  const { wallet, idempotency, auth } = options;
  const router = createRouter();
  router.use(auth);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['wallet'],
      summary: 'My balances, whether a PIN is set, and the funding source',
      security: bearer,
      responses: {
        200: jsonResponse(
          z.object({
            balances: z.array(BalanceSchema),
            pinSet: z.boolean(),
            funding: z.object({ id: z.string(), label: z.string(), test: z.boolean(), testCards: z.array(z.object({ number: z.string(), brand: z.string(), outcome: z.string() })) }),
          }),
          'Wallet',
        ),
        ...problems(401),
      },
    }),
    async (c) => {
      const userId = c.get('caller').userId;
      const funding = wallet.funding;
      const testCards = funding.test ? Object.entries(TEST_CARDS).map(([number, card]) => ({ number, ...card })) : [];
      return c.json({ balances: wallet.balances(userId), pinSet: wallet.hasPin(userId), funding: { id: funding.id, label: funding.label, test: funding.test, testCards } }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/pin',
      tags: ['wallet'],
      summary: 'Set or change my payment PIN (changing needs the current one)',
      security: bearer,
      request: { body: jsonBody(z.strictObject({ pin: PinSchema, currentPin: PinSchema.optional() })) },
      responses: { 204: { description: 'Set' }, ...problems(400, 401, 403, 423) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      await wallet.setPin(c.get('caller').userId, body.pin, body.currentPin);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/topups',
      tags: ['wallet'],
      summary: 'Add money from a card (idempotent)',
      security: bearer,
      parameters: [IdempotencyKey],
      request: { body: jsonBody(z.strictObject({ amount: AmountSchema, currency: CurrencySchema, card: CardSchema })) },
      responses: { 201: jsonResponse(TransactionSchema, 'Topped up'), ...problems(400, 401, 402, 409, 422, 502) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const userId = c.get('caller').userId;
      return idempotently(c, idempotency, async (claim) => c.json(await wallet.topUp(userId, body, claim), 201)) as never;
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/withdrawals',
      tags: ['wallet'],
      summary: 'Withdraw to a card; needs the PIN (idempotent)',
      security: bearer,
      parameters: [IdempotencyKey],
      request: { body: jsonBody(z.strictObject({ amount: AmountSchema, currency: CurrencySchema, card: CardSchema, pin: PinSchema })) },
      responses: { 201: jsonResponse(TransactionSchema, 'Withdrawn'), ...problems(400, 401, 402, 403, 409, 422, 423, 502) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const userId = c.get('caller').userId;
      return idempotently(c, idempotency, async (claim) => c.json(await wallet.withdraw(userId, body, claim), 201)) as never;
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/transfers',
      tags: ['wallet'],
      summary: 'Send money to a contact, with a note; needs the PIN (idempotent)',
      security: bearer,
      parameters: [IdempotencyKey],
      request: {
        body: jsonBody(z.strictObject({ to: IdSchema, amount: AmountSchema, currency: CurrencySchema, note: plainText({ min: 0, max: 200 }).default(''), pin: PinSchema })),
      },
      responses: { 201: jsonResponse(TransactionSchema, 'Sent'), ...problems(400, 401, 402, 403, 409, 422, 423) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const claim = await claimKey(c, idempotency);
      if (claim instanceof Response) return claim as never;
      // The response is stored with the transfer, in the same savepoint of the same group commit.
      const stored = await wallet.sendToContact(c.get('caller').userId, body, claim, (outcome) => storedOutcome(c, outcome, (t) => ({ status: 201, body: t })));
      return replay(c, stored, false) as never;
    },
  );

  const ReceiveCode = z.string().max(18).regex(/^rc[0-9a-z]{16}$/, 'A receive code');
  const receiveView = (c: Context, code: string) => ({ code, url: `${c.get('config').publicUrl}/r/${code}` });
  const ReceiveSchema = z.object({ code: z.string(), url: z.string().openapi({ description: 'What the QR code holds: any phone camera opens it' }) }).openapi('ReceiveCode');

  router.openapi(
    createRoute({
      method: 'get',
      path: '/receive-code',
      tags: ['wallet'],
      summary: 'My receive code (anyone who scans it can pay me an amount they enter) as JSON, SVG or PNG',
      security: bearer,
      request: { query: z.object({ format: z.enum(['json', 'svg', 'png']).default('json') }) },
      responses: {
        200: { description: 'The code', content: { 'application/json': { schema: ReceiveSchema }, 'image/svg+xml': { schema: z.string() }, 'image/png': { schema: z.string() } } },
        ...problems(400, 401),
      },
    }),
    async (c) => {
      const view = receiveView(c, await wallet.receiveCode(c.get('caller').userId));
      const format = c.req.valid('query').format;
      if (format === 'svg') return c.body(await QRCode.toString(view.url, { type: 'svg', margin: 2 }), 200, { 'content-type': 'image/svg+xml' }) as never;
      if (format === 'png') return c.body(new Uint8Array(await QRCode.toBuffer(view.url, { type: 'png', margin: 2, width: 512 })), 200, { 'content-type': 'image/png' }) as never;
      return c.json(view, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/receive-code/reset',
      tags: ['wallet'],
      summary: 'Replace my receive code (the old one stops working)',
      security: bearer,
      responses: { 200: jsonResponse(ReceiveSchema, 'New code'), ...problems(401) },
    }),
    async (c) => c.json(receiveView(c, await wallet.resetReceiveCode(c.get('caller').userId)), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/receive-code/resolve',
      tags: ['wallet'],
      summary: 'Whom a scanned receive code pays (for the pay sheet)',
      security: bearer,
      request: { body: jsonBody(z.strictObject({ code: ReceiveCode })) },
      responses: { 200: jsonResponse(z.object({ id: z.string(), handle: z.string(), displayName: z.string() }), 'The person'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await wallet.resolveReceiveCode(c.get('caller').userId, c.req.valid('json').code), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/receive-code/pay',
      tags: ['wallet'],
      summary: "Pay the owner of a scanned receive code an amount I enter; needs the PIN (idempotent)",
      security: bearer,
      parameters: [IdempotencyKey],
      request: {
        body: jsonBody(z.strictObject({ code: ReceiveCode, amount: AmountSchema, currency: CurrencySchema, note: plainText({ min: 0, max: 200 }).default(''), pin: PinSchema })),
      },
      responses: { 201: jsonResponse(TransactionSchema, 'Sent'), ...problems(400, 401, 402, 403, 404, 409, 422, 423) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const claim = await claimKey(c, idempotency);
      if (claim instanceof Response) return claim as never;
      const stored = await wallet.sendToReceiveCode(c.get('caller').userId, body, claim, (outcome) => storedOutcome(c, outcome, (t) => ({ status: 201, body: t })));
      return replay(c, stored, false) as never;
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/transactions',
      tags: ['wallet'],
      summary: 'My bills, newest first, with filters and a cursor',
      security: bearer,
      request: {
        query: FilterQuery.extend({
          cursor: z.coerce.number().int().min(1).optional().openapi({ description: '`nextCursor` of the previous page' }),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: { 200: jsonResponse(z.object({ transactions: z.array(TransactionSchema), nextCursor: z.number().int().nullable() }), 'Bills'), ...problems(400, 401) },
    }),
    async (c) => {
      const { cursor, ...query } = c.req.valid('query');
      return c.json(await wallet.transactions(c.get('caller').userId, { ...query, before: cursor }), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/transactions/export',
      tags: ['wallet'],
      summary: 'Export my bills as CSV or JSON',
      security: bearer,
      request: { query: FilterQuery.extend({ format: z.enum(['csv', 'json']).default('csv') }) },
      responses: {
        200: { description: 'The bills', content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.object({ transactions: z.array(TransactionSchema) }) } } },
        ...problems(400, 401),
      },
    }),
    async (c) => {
      const { format, ...filter } = c.req.valid('query');
      const transactions = await wallet.exportAll(c.get('caller').userId, filter);
      const name = `atrium-bills-${new Date().toISOString().slice(0, 10)}`;
      if (format === 'json') {
        return c.body(JSON.stringify({ transactions }), 200, { 'content-type': 'application/json', 'content-disposition': `attachment; filename="${name}.json"` }) as never;
      }
      return c.body(toCsv(transactions), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` }) as never;
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/transactions/{transactionId}',
      tags: ['wallet'],
      summary: 'One of my transactions',
      security: bearer,
      request: { params: IdParams },
      responses: { 200: jsonResponse(TransactionSchema, 'Transaction'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await wallet.transaction(c.get('caller').userId, c.req.valid('param').transactionId), 200),
  );

  return router;
}

/** `/v1/admin/wallet`: operator checks. Operators are the user ids in `ATRIUM_ADMIN_USER_IDS`. */
export function walletAdminRoutes(options: { wallet: WalletService; auth: MiddlewareHandler }): OpenAPIHono {
  const { wallet, auth } = options;
  const router = createRouter();
  router.use(auth);
  const Violation = z.object({ invariant: z.string(), detail: z.string() });
  router.openapi(
    createRoute({
      method: 'get',
      path: '/invariants',
      tags: ['admin'],
      summary: 'Prove the ledger: per-currency sums are zero, balances equal their transfers, no wallet is negative',
      security: bearer,
      responses: {
        200: jsonResponse(
          z
            .object({
              ok: z.boolean(),
              checkedAt: z.number().int(),
              accounts: z.number().int(),
              transfers: z.number().int(),
              currencies: z.array(z.object({ currency: z.string(), sum: z.number().int(), held: z.number().int(), accounts: z.number().int() })),
              violations: z.array(Violation),
            })
            .openapi('InvariantReport'),
          'The report (ok is false when anything is broken)',
        ),
        ...problems(401, 403),
      },
    }),
    async (c) => c.json(wallet.invariants(c.get('caller').userId), 200),
  );
  return router;
}

const CSV_COLUMNS = ['id', 'created_at', 'kind', 'direction', 'status', 'amount', 'currency', 'counterparty', 'note', 'card_last4'] as const;

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with `'` (CSV injection). */
export function toCsv(transactions: WalletTransaction[]): string {
  const cell = (value: string, index: number): string => {
    const text = index === 7 || index === 8; // counterparty and note are people's text; the rest is ours
    const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const t of transactions) {
    const who = t.counterparty.type === 'person' ? `${t.counterparty.displayName} (@${t.counterparty.handle})` : t.counterparty.name;
    const signed = t.direction === 'out' ? `-${formatAmount(t.amount, t.currency)}` : formatAmount(t.amount, t.currency);
    lines.push([t.id, new Date(t.createdAt).toISOString(), t.kind, t.direction, t.status, signed, t.currency, who, t.note ?? '', t.card?.last4 ?? ''].map((v, i) => cell(v, i)).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
