/** @module `atrium.requestPayment()`: the person pays an order of the app's merchant in the shell's pay sheet. */
import { z } from 'zod';
import { defineBridgeApi, PERSON_BRIDGE_TIMEOUT_MS } from '../define-api.ts';

/** An id Atrium gave out (`ord_…`, `pp_…`). */
const Id = (prefix: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(new RegExp(`^${prefix}_[0-9a-z]+$`), `must be an id such as ${prefix}_… from your backend`);

/**
 * Asks the person to pay an order that the app's backend created with its merchant API key: by the order's
 * `orderId`, or by a `prepayId` the backend got for this app (`POST /v1/merchant-api/orders/{outTradeNo}/prepay`).
 * The shell shows the pay sheet — merchant, amount, currency, description, the conversion when the person pays
 * from a balance in another currency — and the person confirms with their payment PIN; the app never sees or sets
 * the amount, and learns the outcome only once the person has paid. The merchant also gets its signed
 * `payment.succeeded` webhook: trust that (or query the order) on your server, not the app.
 *
 * Rejects with `PAYMENT_CANCELLED` when the person closes the sheet, `ORDER_OTHER_MERCHANT` when the order's
 * merchant is not bound to this app, `ORDER_NOT_PAYABLE` (paid or closed), `ORDER_EXPIRED`, `ORDER_NOT_FOUND`.
 * Logged: the app learns that the person paid.
 * @example
 * const { orderId } = await (await atrium.request({ url: 'https://shop.example.com/checkout', method: 'POST', data: cart })).data;
 * const { status, transactionId } = await atrium.requestPayment({ orderId });
 */
export const requestPayment = defineBridgeApi({
  name: 'requestPayment',
  description: "Pays an order of the app's merchant in the shell's pay sheet, with the person's PIN (PAYMENT_CANCELLED when closed)",
  side: 'host',
  scope: null,
  timeoutMs: PERSON_BRIDGE_TIMEOUT_MS,
  audited: true,
  args: z.union([z.strictObject({ orderId: Id('ord') }), z.strictObject({ prepayId: Id('pp') })]),
  result: z.object({
    status: z.literal('paid'),
    orderId: z.string(),
    /** The merchant's own order number. */
    outTradeNo: z.string(),
    /** Atrium's transaction (the merchant's ledger movement), as the webhook and the statement name it. */
    transactionId: z.string(),
    /** What the order cost, in minor units of `currency`. */
    amount: z.number().int(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    paidAt: z.number().int(),
  }),
});
