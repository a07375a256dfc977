/**
 * @module Locale-aware formatting of the shell's dates and of API errors.
 */
import type { IntlShape } from '@formatjs/intl';
import { ApiError } from '../api/problem.ts';
import { hasMessage, type I18n } from './index.ts';

/** A moment as date and time (`12 Mar 2025, 14:05`). */
export function formatDateTime(intl: IntlShape<string>, ms: number): string {
  return intl.formatDate(ms, { dateStyle: 'medium', timeStyle: 'short' });
}

/** How long ago `ms` was, in words ("3 minutes ago"); older than a week shows the date. */
export function formatSince(i18n: I18n, ms: number, now: number = Date.now()): string {
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 60) return i18n.t('time.justNow');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return i18n.intl.formatRelativeTime(-minutes, 'minute', { numeric: 'auto' });
  const hours = Math.round(minutes / 60);
  if (hours < 24) return i18n.intl.formatRelativeTime(-hours, 'hour', { numeric: 'auto' });
  const days = Math.round(hours / 24);
  if (days < 7) return i18n.intl.formatRelativeTime(-days, 'day', { numeric: 'auto' });
  return i18n.intl.formatDate(ms, { dateStyle: 'medium' });
}

/**
 * The person-facing text of a failure: the localized `errors.<CODE>` message, else the API's own
 * detail or title, else a generic line. `RATE_LIMITED` names the wait when the API gave one.
 */
export function errorText(i18n: I18n, error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.t('errors.UNKNOWN');
  if (error.code === 'RATE_LIMITED' && error.retryAfter !== undefined) {
    return error.retryAfter < 90
      ? i18n.t('errors.RATE_LIMITED.seconds', { seconds: Math.ceil(error.retryAfter) })
      : i18n.t('errors.RATE_LIMITED.minutes', { minutes: Math.ceil(error.retryAfter / 60) });
  }
  const id = `errors.${error.code}`;
  if (hasMessage(id)) return i18n.t(id);
  return error.detail ?? error.title;
}
