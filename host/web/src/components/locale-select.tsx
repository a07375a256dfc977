/** @module The language switch: each language in its own name. */
import type { JSX } from 'preact';
import { useI18n } from '../i18n/index.ts';
import { isLocale, LOCALE_NAMES, LOCALES } from '../i18n/locales.ts';
import { chooseLocale } from '../state/locale-sync.ts';
import { Icon } from './icons.tsx';

/** A compact `<select>` of the supported languages; `inline` drops the globe for use inside a form. */
export function LocaleSelect(props: { inline?: boolean }): JSX.Element {
  const { locale, t } = useI18n();
  return (
    <label class={`locale-select${props.inline ? ' locale-select-inline' : ''}`}>
      {props.inline ? null : <Icon name="globe" />}
      <span class="visually-hidden">{t('settings.language')}</span>
      <select
        value={locale}
        data-testid="locale-select"
        onChange={(event) => {
          const value = event.currentTarget.value;
          if (isLocale(value)) void chooseLocale(value);
        }}
      >
        {LOCALES.map((code) => (
          <option key={code} value={code} lang={code}>
            {LOCALE_NAMES[code]}
          </option>
        ))}
      </select>
    </label>
  );
}
