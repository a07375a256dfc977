/**
 * @module Funding sources: where top-ups come from and withdrawals go. A real processor (a card acquirer, a
 * bank) implements {@link FundingSource}; the built-in one is a clearly labelled TEST provider, like a payment
 * processor's test mode, so the platform runs without one. It moves no real money and accepts only its test
 * card numbers (the same as Stripe's), each with a fixed outcome.
 */
import { createHash } from 'node:crypto';
import { AtriumError } from '../core/errors.ts';
import type { Currency } from './currencies.ts';

/** Card details as entered. Never stored or logged: only the last four digits are kept. */
export interface CardDetails {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}

/** One charge (top-up) or payout (withdrawal). `reference` is unique per movement: a retry reuses it. */
export interface FundingRequest {
  reference: string;
  card: CardDetails;
  amount: number;
  currency: Currency;
}

/** How a processor answered. Failures (the processor itself broke) are thrown as `WALLET_FUNDING_FAILED`. */
export type FundingResult = { status: 'succeeded'; processorRef: string; last4: string; brand: string } | { status: 'declined'; reason: string; last4: string };

/** A processor behind top-ups and withdrawals. */
export interface FundingSource {
  /** Names the ledger's system account for this source (`funding.<id>`). */
  readonly id: string;
  /** Shown to people next to the card field. */
  readonly label: string;
  /** True for the test provider: the shell shows a "test mode" banner. */
  readonly test: boolean;
  charge(request: FundingRequest): Promise<FundingResult>;
  payout(request: FundingRequest): Promise<FundingResult>;
}

/** The test cards and what each does (Stripe's numbers, https://docs.stripe.com/testing). */
export const TEST_CARDS = {
  '4242424242424242': { brand: 'visa', outcome: 'succeeds' },
  '5555555555554444': { brand: 'mastercard', outcome: 'succeeds' },
  '4000000000000002': { brand: 'visa', outcome: 'declined: card_declined' },
  '4000000000009995': { brand: 'visa', outcome: 'declined: insufficient_funds' },
  '4000000000000069': { brand: 'visa', outcome: 'declined: expired_card' },
  '4000000000000119': { brand: 'visa', outcome: 'fails: processing_error' },
} as const;

/** Luhn checksum (ISO/IEC 7812) of a card number. */
export function luhnValid(number: string): boolean {
  if (!/^\d{12,19}$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let d = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The built-in TEST provider. It keeps its answers per reference (as a processor's idempotency does), so a retried
 * top-up is charged once.
 */
export function createTestFundingSource(options: { now: () => number }): FundingSource {
  const answered = new Map<string, FundingResult>();
  const run = (kind: string, request: FundingRequest): FundingResult => {
    const key = `${kind}:${request.reference}`;
    const previous = answered.get(key);
    if (previous) return previous;
    const { card } = request;
    const last4 = card.number.slice(-4);
    const test = (TEST_CARDS as Record<string, { brand: string; outcome: string }>)[card.number];
    const date = new Date(options.now());
    const expired = card.expYear < date.getUTCFullYear() || (card.expYear === date.getUTCFullYear() && card.expMonth < date.getUTCMonth() + 1);
    let result: FundingResult;
    if (!test) result = { status: 'declined', reason: 'test_mode_live_card', last4 };
    else if (expired || test.outcome === 'declined: expired_card') result = { status: 'declined', reason: 'expired_card', last4 };
    else if (test.outcome.startsWith('declined: ')) result = { status: 'declined', reason: test.outcome.slice('declined: '.length), last4 };
    else if (test.outcome.startsWith('fails')) {
      throw new AtriumError({ code: 'WALLET_FUNDING_FAILED', detail: 'The test processor simulated a processing error (card 4000 0000 0000 0119).' });
    } else {
      const processorRef = `test_${kind}_${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
      result = { status: 'succeeded', processorRef, last4, brand: test.brand };
    }
    answered.set(key, result);
    return result;
  };
  return {
    id: 'test',
    label: 'Test mode: no real money moves. Use a test card such as 4242 4242 4242 4242.',
    test: true,
    charge: async (request) => run('charge', request),
    payout: async (request) => run('payout', request),
  };
}
