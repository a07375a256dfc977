/**
 * @module The languages the shell speaks, and how a browser's preferences map onto them.
 */

/** Supported locales, in the order the language switch lists them. Keep in sync with host `LocaleSchema`. */
export const LOCALES = ['en', 'zh-CN', 'it', 'th'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language's own name, as the switch shows it. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  'zh-CN': '中文',
  it: 'Italiano',
  th: 'ไทย',
};

/** True when `value` names a supported locale exactly. */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first supported locale among `preferred` (BCP 47 tags such as `navigator.languages`), by language:
 * `it-CH` → `it`, `zh-TW` or `zh-Hant` → `zh-CN` (the only Chinese we have), `th-TH` → `th`.
 * @example negotiateLocale(['de-DE', 'it-IT', 'en']) // 'it'
 */
export function negotiateLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    if (isLocale(tag)) return tag;
    const language = tag.toLowerCase().split(/[-_]/)[0];
    const match = LOCALES.find((locale) => locale.toLowerCase().split('-')[0] === language);
    if (match) return match;
  }
  return DEFAULT_LOCALE;
}
