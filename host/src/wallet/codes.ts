/**
 * @module Error codes of the wallet domain (ledger, idempotency, PIN, funding, transfers).
 */
import type { CodeInfo } from '../core/codes.ts';

export const WALLET_CODES = {
  WALLET_INSUFFICIENT_FUNDS: { status: 402, title: 'Not enough money in the wallet' },
  WALLET_CURRENCY_UNSUPPORTED: { status: 400, title: 'This currency is not supported' },
  WALLET_AMOUNT_INVALID: { status: 400, title: 'The amount is not valid' },
  WALLET_ACCOUNT_NOT_FOUND: { status: 404, title: 'No such account' },
  WALLET_SAME_ACCOUNT: { status: 400, title: 'Cannot move money to the same account' },
  WALLET_TRANSFER_EXISTS: { status: 409, title: 'A different transfer with this id exists' },
  WALLET_TRANSFER_NOT_FOUND: { status: 404, title: 'No such transaction' },
  WALLET_HOLD_NOT_FOUND: { status: 404, title: 'No such hold' },
  WALLET_HOLD_RESOLVED: { status: 409, title: 'The hold was already posted, voided or expired' },
  WALLET_HOLD_EXPIRED: { status: 409, title: 'The hold has expired' },
  WALLET_HOLD_EXCEEDED: { status: 400, title: 'Cannot post more than the held amount' },
  WALLET_PIN_NOT_SET: { status: 409, title: 'Set a payment PIN first' },
  WALLET_PIN_INCORRECT: { status: 403, title: 'The payment PIN is incorrect' },
  WALLET_PIN_LOCKED: { status: 423, title: 'Too many wrong PINs: payments are locked for a while' },
  WALLET_PIN_WEAK: { status: 400, title: 'Choose a less guessable PIN' },
  WALLET_RECIPIENT_NOT_CONTACT: { status: 403, title: 'You can only send money to your contacts' },
  WALLET_RECIPIENT_SELF: { status: 400, title: 'You cannot send money to yourself' },
  WALLET_RECEIVE_CODE_NOT_FOUND: { status: 404, title: 'This receive code is not valid (any more)' },
  WALLET_CARD_DECLINED: { status: 402, title: 'The card was declined' },
  WALLET_FUNDING_FAILED: { status: 502, title: 'The payment processor failed; nothing was charged' },
  WALLET_FX_UNAVAILABLE: { status: 409, title: 'No exchange rate is configured for these currencies' },
  WALLET_FX_QUOTE_CHANGED: { status: 409, title: 'The exchange rate changed: confirm the new amount' },
  WALLET_QR_INVALID: { status: 400, title: 'This is not a valid payment QR code' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, title: 'Send an Idempotency-Key header' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, title: 'The Idempotency-Key header is not valid' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'This Idempotency-Key was used with other parameters' },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, title: 'A request with this Idempotency-Key is still running' },
} as const satisfies Record<string, CodeInfo>;
