/**
 * @module Keeps the language consistent: `<html lang>` follows the locale; a switch while signed in is saved
 * to the account (`PATCH /v1/me`); on sign-in the account's language applies unless this browser has its own.
 */
import { updateMe as patchMe } from '../api/account.ts';
import { localeStore, setLocale, storedLocale } from '../i18n/index.ts';
import { isLocale, type Locale } from '../i18n/locales.ts';
import { sessionStore, updateMe } from './session.ts';

/** Switches the language for this browser and, when signed in, for the account. */
export async function chooseLocale(locale: Locale): Promise<void> {
  await setLocale(locale, { remember: true });
  const state = sessionStore.get();
  if (state.status === 'signed-in' && state.me.locale !== locale) {
    try {
      updateMe(await patchMe({ locale }));
    } catch {
      // The switch holds on this browser; the account keeps its old language until the next switch.
    }
  }
}

/** Starts following locale and session changes. */
export function startLocaleSync(): void {
  const applyLang = (): void => {
    document.documentElement.lang = localeStore.get();
  };
  applyLang();
  localeStore.subscribe(applyLang);

  let userId: string | undefined;
  sessionStore.subscribe(() => {
    const state = sessionStore.get();
    const id = state.status === 'signed-in' ? state.me.id : undefined;
    if (id === userId) return;
    userId = id;
    if (state.status !== 'signed-in') return;
    const mine = storedLocale();
    if (mine) {
      if (state.me.locale === null) void chooseLocale(mine); // first sign-in: give the account this language
    } else if (isLocale(state.me.locale)) {
      void setLocale(state.me.locale, { remember: false });
    }
  });
}
