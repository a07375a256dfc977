/**
 * @module The shell's language: the current locale (from localStorage, else `navigator.languages`), ICU
 * messages through `@formatjs/intl`, and the `useI18n` hook that re-renders on a switch.
 */
import { createIntl, createIntlCache, type IntlShape } from '@formatjs/intl';
import { createStore, useStore } from '../state/store.ts';
import { DEFAULT_LOCALE, isLocale, negotiateLocale, type Locale } from './locales.ts';
import en from './messages/en.json' with { type: 'json' };

/** A message id; English is the reference catalog, so a typo fails `tsc`. */
export type MessageId = keyof typeof en;
/** Values for a message's ICU arguments. */
export type MessageValues = Record<string, string | number | Date>;

type Catalog = Record<string, string>;
/** English ships in the main bundle (it is also every message's fallback); the others load when chosen. */
const catalogs: Partial<Record<Locale, Catalog>> = { en };
const LOADERS: Record<Locale, () => Promise<{ default: Catalog }>> = {
  en: async () => ({ default: en }),
  'zh-CN': () => import('./messages/zh-CN.json', { with: { type: 'json' } }),
  it: () => import('./messages/it.json', { with: { type: 'json' } }),
  th: () => import('./messages/th.json', { with: { type: 'json' } }),
};

/** Loads the messages of `locale` (once); until then its texts show in English. */
export async function loadCatalog(locale: Locale): Promise<void> {
  catalogs[locale] ??= (await LOADERS[locale]()).default;
}
const STORAGE_KEY = 'atrium.locale';

/** The current locale. */
export const localeStore = createStore<Locale>(initialLocale());

function initialLocale(): Locale {
  const stored = storedLocale();
  if (stored) return stored;
  if (typeof navigator === 'undefined') return DEFAULT_LOCALE;
  return negotiateLocale(navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** The locale the person chose on this browser, if they ever switched. */
export function storedLocale(): Locale | undefined {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : undefined;
  } catch {
    return undefined; // storage disabled
  }
}

/** Switches the language once its messages are loaded; `remember` keeps the choice for this browser. */
export async function setLocale(locale: Locale, options: { remember: boolean }): Promise<void> {
  try {
    await loadCatalog(locale);
  } catch {
    return; // offline: stay in the current language rather than show a half-translated screen
  }
  if (options.remember) {
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Storage disabled: the switch still holds for this visit.
    }
  }
  localeStore.set(locale);
}

const cache = createIntlCache();
const intls = new Map<Locale, IntlShape<string>>();

/** The formatter of `locale` (created once). */
export function intlFor(locale: Locale): IntlShape<string> {
  let intl = intls.get(locale);
  if (!intl) {
    const messages = catalogs[locale];
    intl = createIntl(
      {
        locale,
        defaultLocale: DEFAULT_LOCALE,
        messages: messages ?? en,
        onError: (error) => console.warn(`[i18n ${locale}]`, error.message),
      },
      cache,
    );
    if (messages) intls.set(locale, intl); // not cached while the catalog is still loading
  }
  return intl;
}

/** Formats message `id` in the current locale (falls back to the English text). */
export function t(id: MessageId, values?: MessageValues): string {
  return translate(localeStore.get(), id, values);
}

function translate(locale: Locale, id: string, values?: MessageValues): string {
  return intlFor(locale).formatMessage({ id, defaultMessage: (en as Record<string, string>)[id] ?? id }, values);
}

/** True when some catalog has message `id` (for ids built at run time, such as `errors.<CODE>`). */
export function hasMessage(id: string): id is MessageId {
  return Object.hasOwn(en, id);
}

/** What components get from {@link useI18n}. */
export interface I18n {
  locale: Locale;
  t(id: MessageId, values?: MessageValues): string;
  intl: IntlShape<string>;
}

/** The current locale's formatters; the component re-renders when the language changes. */
export function useI18n(): I18n {
  const locale = useStore(localeStore);
  return { locale, intl: intlFor(locale), t: (id, values) => translate(locale, id, values) };
}
