/**
 * @module The HTTP edge of money in chat, under `/v1/conversations/{conversationId}`: transfers (send, accept,
 * decline) and red packets (send, open, detail). Every money-moving route needs an `Idempotency-Key` (Stripe
 * semantics: the first response is stored with the money movement, in the same savepoint, and replayed).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import { IdSchema, PersonSchema, plainText } from '../identity/api-schemas.ts';
import { CURRENCY_CODES, MAX_AMOUNT } from '../wallet/currencies.ts';
import { claimKey, idempotencyKeyParameter, replay, storedOutcome, type IdempotencyClaim, type IdempotencyService, type StoredResponse } from '../wallet/idempotency.ts';
import { ConversationParams, MessageSchema, RedPacketSchema } from './api-schemas.ts';
import type { ChatMoneyService, MoneyResult, Render } from './money.ts';

const bearer = [{ bearerAuth: [] }];
const tags = ['messaging'];

const CurrencySchema = z.enum(CURRENCY_CODES).openapi({ description: 'ISO 4217 code', example: 'CNY' });
const AmountSchema = z.number().int().min(1).max(MAX_AMOUNT).openapi({ description: 'Minor units (fen, cents, satang)', example: 888 });
const PinSchema = z.string().regex(/^\d{6}$/, 'A PIN is 6 digits').max(6).openapi({ example: '480915' });
const NoteSchema = plainText({ min: 0, max: 100 }).default('').openapi({ description: 'A note shown on the bubble' });
const IdempotencyKey = idempotencyKeyParameter('Unique per action (e.g. a UUID), 1–255 printable ASCII characters; retries reuse it.');

const TransferParams = ConversationParams.extend({ transferId: IdSchema.openapi({ param: { name: 'transferId', in: 'path' } }) });
const PacketParams = ConversationParams.extend({ packetId: IdSchema.openapi({ param: { name: 'packetId', in: 'path' } }) });
const NewTransferBody = z.strictObject({ amount: AmountSchema, currency: CurrencySchema, note: NoteSchema, pin: PinSchema }).openapi('NewChatTransfer');
const NewRedPacketBody = z
  .strictObject({
    mode: z.enum(['random', 'equal']).openapi({ description: '`random`: lucky draw (each share uniform in [0.01, 2 × remaining / shares left]); `equal`: every share the same' }),
    total: AmountSchema.openapi({ description: 'The whole packet, minor units; an equal packet’s total is a multiple of `shares`' }),
    shares: z.number().int().min(1).max(100),
    currency: CurrencySchema,
    note: NoteSchema,
    pin: PinSchema,
  })
  .openapi('NewRedPacket');
const MoneyMessage = z.object({ message: MessageSchema });
const Opened = z.object({ message: MessageSchema, amount: z.number().int().openapi({ description: 'My share, minor units' }) });

/** `/v1/conversations/{conversationId}/transfers…` and `…/red-packets…`. */
export function moneyRoutes(options: { money: ChatMoneyService; idempotency: IdempotencyService; auth: MiddlewareHandler }): OpenAPIHono {
  const { money, idempotency, auth } = options;
  const router = createRouter();
  // Per route, not `router.use`: this router shares `/v1/conversations` with the conversation routes, whose
  // `use(auth)` would otherwise run twice on every chat request.
  const me = (c: Context): string => c.get('caller').userId;

  /** Claims the key, runs the action (which stores its response with the money), answers. */
  const idempotent = async (c: Context, status: number, run: (claim: IdempotencyClaim, render: Render) => Promise<StoredResponse>): Promise<Response> => {
    const claim = await claimKey(c, idempotency);
    if (claim instanceof Response) return claim;
    const stored = await run(claim, (outcome) => storedOutcome<MoneyResult>(c, outcome, (value) => ({ status, body: value })));
    return replay(c, stored, false);
  };

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/transfers',
      tags,
      summary: 'Send money to the other person of a 1:1 chat, with a note; needs the PIN. They accept it, or it returns after 24 h',
      security: bearer,
      middleware: [auth] as const,
      parameters: [IdempotencyKey],
      request: { params: ConversationParams, body: jsonBody(NewTransferBody) },
      responses: { 201: jsonResponse(MoneyMessage, 'Sent: the transfer message'), ...problems(400, 401, 402, 403, 404, 409, 422, 423) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { conversationId } = c.req.valid('param');
      return idempotent(c, 201, (claim, render) => money.sendTransfer(me(c), conversationId, body, claim, render)) as never;
    },
  );
  for (const action of ['accept', 'decline'] as const) {
    router.openapi(
      createRoute({
        method: 'post',
        path: `/{conversationId}/transfers/{transferId}/${action}`,
        tags,
        summary: action === 'accept' ? 'Accept a transfer sent to me: the money moves into my wallet' : 'Decline a transfer sent to me: the money returns to the sender',
        security: bearer,
        middleware: [auth] as const,
        parameters: [IdempotencyKey],
        request: { params: TransferParams },
        responses: { 200: jsonResponse(MoneyMessage, 'The transfer message as it is now'), ...problems(400, 401, 403, 404, 409, 410, 422) },
      }),
      async (c) => {
        const { conversationId, transferId } = c.req.valid('param');
        return idempotent(c, 200, (claim, render) =>
          action === 'accept' ? money.acceptTransfer(me(c), conversationId, transferId, claim, render) : money.declineTransfer(me(c), conversationId, transferId, claim, render),
        ) as never;
      },
    );
  }

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/red-packets',
      tags,
      summary: 'Send a red packet: a total split into shares (random or equal); needs the PIN. What is unopened after 24 h returns',
      security: bearer,
      middleware: [auth] as const,
      parameters: [IdempotencyKey],
      request: { params: ConversationParams, body: jsonBody(NewRedPacketBody) },
      responses: { 201: jsonResponse(MoneyMessage, 'Sent: the red packet message'), ...problems(400, 401, 402, 403, 404, 409, 422, 423) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const { conversationId } = c.req.valid('param');
      return idempotent(c, 201, (claim, render) => money.sendRedPacket(me(c), conversationId, body, claim, render)) as never;
    },
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/red-packets/{packetId}/open',
      tags,
      summary: 'Open a red packet: my share moves into my wallet (one per person)',
      security: bearer,
      middleware: [auth] as const,
      parameters: [IdempotencyKey],
      request: { params: PacketParams },
      responses: { 200: jsonResponse(Opened, 'My share and the red packet message as it is now'), ...problems(400, 401, 403, 404, 409, 410, 422) },
    }),
    async (c) => {
      const { conversationId, packetId } = c.req.valid('param');
      return idempotent(c, 200, (claim, render) => money.openRedPacket(me(c), conversationId, packetId, claim, render)) as never;
    },
  );
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{conversationId}/red-packets/{packetId}',
      tags,
      summary: 'A red packet and who got how much',
      security: bearer,
      middleware: [auth] as const,
      request: { params: PacketParams },
      responses: { 200: jsonResponse(z.object({ redPacket: RedPacketSchema, people: z.array(PersonSchema) }), 'The red packet'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { conversationId, packetId } = c.req.valid('param');
      return c.json(await money.redPacket(me(c), conversationId, packetId), 200);
    },
  );
  return router;
}
