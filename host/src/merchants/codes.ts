/**
 * @module Error codes of the merchants domain (accounts, API keys, orders, refunds).
 */
import type { CodeInfo } from '../core/codes.ts';

export const MERCHANT_CODES = {
  MERCHANT_NOT_FOUND: { status: 404, title: 'No such merchant' },
  MERCHANT_KEY_NOT_FOUND: { status: 404, title: 'No such API key' },
  MERCHANT_SCOPE_MISSING: { status: 403, title: 'This API key lacks the scope for this call' },
  ORDER_NOT_FOUND: { status: 404, title: 'No such order' },
  ORDER_EXISTS: { status: 409, title: 'An order with this out_trade_no exists with other parameters' },
  ORDER_NOT_PAYABLE: { status: 409, title: 'The order is already paid or closed' },
  ORDER_EXPIRED: { status: 409, title: 'The order has expired' },
  ORDER_NOT_CLOSABLE: { status: 409, title: 'Only unpaid orders can be closed' },
  REFUND_EXISTS: { status: 409, title: 'A refund with this out_refund_no exists with other parameters' },
  REFUND_ORDER_NOT_PAID: { status: 409, title: 'Only paid orders can be refunded' },
  REFUND_EXCEEDS_PAID: { status: 400, title: 'Refunds cannot add up to more than was paid' },
  WEBHOOK_DELIVERY_NOT_FOUND: { status: 404, title: 'No such webhook delivery' },
  PAYMENT_CODE_INVALID: { status: 400, title: 'The payment code is not valid or has expired' },
  PAYMENT_CODE_USED: { status: 409, title: 'The payment code was already used' },
  PAYMENT_CODE_NO_SECRET: { status: 409, title: 'Payment codes are not turned on for this device' },
  ORDER_NOT_CONFIRMABLE: { status: 409, title: 'There is no payment waiting for your confirmation' },
  REFUND_LIMIT_REACHED: { status: 409, title: 'An order can be refunded at most 50 times' },
  ORDER_OTHER_MERCHANT: { status: 403, title: 'This app may only take payments for the merchants bound to it' },
  MERCHANT_APP_NOT_LINKED: { status: 403, title: 'This merchant is not bound to that app' },
  PAYMENT_CANCELLED: { status: 409, title: 'The payment was not made' },
} as const satisfies Record<string, CodeInfo>;
