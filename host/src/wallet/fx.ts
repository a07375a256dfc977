/**
 * @module The operator's exchange rates, for paying in one currency from a balance in another. Rates are
 * configured (`ATRIUM_FX_RATES="CNY/THB=4.9512,USD/CNY=7.1"`: units of the second per unit of the first); a pair
 * configured one way also serves the other way at the inverse rate. Conversion is exact integer arithmetic on
 * minor units and rounds up, so the merchant always receives the full order amount.
 */
import { AtriumError } from '../core/errors.ts';
import { CURRENCIES, isCurrency, type Currency } from './currencies.ts';

const SCALE = 10n ** 12n;

/** A quote: pay `payAmount` of `payCurrency` so that `amount` of `currency` arrives. */
export interface FxQuote {
  currency: Currency;
  amount: number;
  payCurrency: Currency;
  payAmount: number;
  /** Units of `currency` per unit of `payCurrency`, as configured (or its inverse). */
  rate: string;
}

/** Parses `CNY/THB=4.9512,USD/CNY=7.1` (or a record of the same) into rates. Throws on a bad entry. */
export function parseFxRates(config: string | Record<string, string>): Map<string, string> {
  const entries = typeof config === 'string' ? config.split(',').map((s) => s.trim()).filter(Boolean).map((s) => s.split('=', 2) as [string, string | undefined]) : Object.entries(config);
  const rates = new Map<string, string>();
  for (const [pair, rate] of entries) {
    const [a, b] = pair.split('/');
    if (!a || !b || !isCurrency(a) || !isCurrency(b) || a === b || !rate || !/^\d{1,9}(\.\d{1,12})?$/.test(rate) || Number(rate) === 0) throw new Error(`bad exchange rate "${pair}=${rate}" (expected e.g. CNY/THB=4.9512)`);
    rates.set(`${a}/${b}`, rate);
  }
  return rates;
}

function scaled(rate: string): bigint {
  const [whole = '0', fraction = ''] = rate.split('.');
  return BigInt(whole) * SCALE + BigInt(fraction.padEnd(12, '0').slice(0, 12));
}

/** Quotes paying `amount` of `currency` with `payCurrency`; `WALLET_FX_UNAVAILABLE` without a configured rate. */
export function quote(rates: Map<string, string>, currency: Currency, amount: number, payCurrency: Currency): FxQuote {
  const direct = rates.get(`${payCurrency}/${currency}`); // units of currency per payCurrency
  const inverse = rates.get(`${currency}/${payCurrency}`); // units of payCurrency per currency
  if (!direct && !inverse) throw new AtriumError({ code: 'WALLET_FX_UNAVAILABLE', detail: `No ${payCurrency}/${currency} rate is configured.` });
  const eTo = 10n ** BigInt(CURRENCIES[currency].exponent);
  const eFrom = 10n ** BigInt(CURRENCIES[payCurrency].exponent);
  // payMinor = amount / eTo / rate(pay→currency) × eFrom, rounded up
  let numerator: bigint;
  let denominator: bigint;
  if (direct) {
    numerator = BigInt(amount) * eFrom * SCALE;
    denominator = eTo * scaled(direct);
  } else {
    numerator = BigInt(amount) * eFrom * scaled(inverse!);
    denominator = eTo * SCALE;
  }
  const payAmount = Number((numerator + denominator - 1n) / denominator);
  return { currency, amount, payCurrency, payAmount, rate: direct ?? `1/${inverse}` };
}
