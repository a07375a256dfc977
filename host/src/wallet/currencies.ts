/**
 * @module The currencies the wallet holds, as data: ISO 4217 code → minor-unit exponent. Amounts everywhere are
 * integers in minor units (fen, cents, satang); only display and EMVCo edges use the exponent.
 * @see https://www.six-group.com/en/products-services/financial-information/data-standards.html (ISO 4217 list one)
 */

/** One currency: its ISO 4217 numeric code and minor-unit exponent (`amount / 10 ** exponent` units). */
export interface CurrencyInfo {
  numeric: string;
  exponent: number;
  name: string;
}

/** The supported currencies. Adding one is one row here (no code changes). */
export const CURRENCIES = {
  CNY: { numeric: '156', exponent: 2, name: 'Chinese yuan' },
  HKD: { numeric: '344', exponent: 2, name: 'Hong Kong dollar' },
  USD: { numeric: '840', exponent: 2, name: 'US dollar' },
  EUR: { numeric: '978', exponent: 2, name: 'Euro' },
  THB: { numeric: '764', exponent: 2, name: 'Thai baht' },
} as const satisfies Record<string, CurrencyInfo>;

/** A supported ISO 4217 alphabetic code. */
export type Currency = keyof typeof CURRENCIES;

/** Supported codes, in table order. */
export const CURRENCY_CODES = Object.keys(CURRENCIES) as [Currency, ...Currency[]];

/** True when `code` is a supported currency. */
export function isCurrency(code: string): code is Currency {
  return Object.hasOwn(CURRENCIES, code);
}

/** Largest amount (minor units) one transfer may carry: 10^12 minor units, far inside 2^53. */
export const MAX_AMOUNT = 1_000_000_000_000;

/** Formats minor units as a decimal string with the currency's exponent (`12345, 'CNY'` → `"123.45"`). */
export function formatAmount(amount: number, currency: Currency): string {
  const exponent: number = CURRENCIES[currency].exponent;
  const negative = amount < 0;
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const whole = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fraction = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
