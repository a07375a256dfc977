/**
 * @module Money in the shell: minor units shown with Intl at the currency's exponent, and amounts people type
 * turned into minor units without floating point.
 */
import type { IntlShape } from '@formatjs/intl';
import { ApiError } from '../api/problem.ts';
import { EXPONENTS, type Currency } from '../api/wallet.ts';
import type { I18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';

/** `1250, 'CNY'` → `CN¥12.50` (in the person's locale); `signed` adds + or −. */
export function formatMoney(intl: IntlShape<string>, minor: number, currency: Currency, options: { exponent?: number; signed?: boolean } = {}): string {
  const exponent = options.exponent ?? EXPONENTS[currency];
  const text = intl.formatNumber(minor / 10 ** exponent, {
    style: 'currency',
    currency,
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
    signDisplay: options.signed ? 'exceptZero' : 'auto',
  });
  return text;
}

/**
 * Parses what a person typed (`12`, `12.5`, `12,50`) into minor units; `undefined` when it is not a positive
 * amount with at most `exponent` decimals.
 */
export function parseAmount(text: string, currency: Currency): number | undefined {
  const exponent = EXPONENTS[currency];
  const match = /^(\d{1,10})(?:[.,](\d*))?$/.exec(text.trim());
  if (!match) return undefined;
  const fraction = match[2] ?? '';
  if (fraction.length > exponent) return undefined;
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return minor > 0 && Number.isSafeInteger(minor) ? minor : undefined;
}

/** A payment failure in words: wrong PIN with tries left, lockout with the time to wait, else {@link errorText}. */
export function payErrorText(i18n: I18n, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'WALLET_PIN_LOCKED' && error.retryAfter !== undefined) {
      return i18n.t('errors.WALLET_PIN_LOCKED.minutes', { minutes: Math.max(1, Math.ceil(error.retryAfter / 60)) });
    }
    if (error.code === 'WALLET_PIN_INCORRECT' && error.attemptsLeft !== undefined) {
      return i18n.t('errors.WALLET_PIN_INCORRECT.attempts', { attempts: error.attemptsLeft });
    }
  }
  return errorText(i18n, error);
}
