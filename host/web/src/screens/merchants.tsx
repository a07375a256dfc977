/**
 * @module My merchant accounts: the list (open a new one here), and one merchant's overview — balances and
 * the way to its till, orders, statements, webhooks and API keys.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso/router';
import { createMerchant, getMerchant, listMerchants } from '../api/merchant.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Icon } from '../components/icons.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n, type MessageId } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { formatMoney } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { merchantPath, ROUTES } from '../paths.ts';

/** The list of my merchants, with a form to open one. */
export function Merchants(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { route } = useLocation();
  const merchants = useResource((signal) => listMerchants(signal), []);
  const [name, setName] = useState('');
  const [city, setCity] = useState('');
  const [country, setCountry] = useState('CN');
  const [qrName, setQrName] = useState('');
  const action = useAction();
  const ascii = (text: string): boolean => /^[\x20-\x7e]*$/.test(text);
  // EMVCo QR codes carry an ASCII name of at most 25 characters: ask for one when the name is not.
  const needsQrName = !ascii(name.trim()) || name.trim().length > 25;
  const qrOk = !needsQrName || (qrName.trim() !== '' && qrName.trim().length <= 25 && ascii(qrName));
  const canCreate = name.trim() !== '' && city.trim() !== '' && /^[A-Z]{2}$/.test(country) && ascii(city) && qrOk;
  return (
    <AppLayout title={t('merchant.list.title')} back={ROUTES.wallet}>
      <Section flush testId="merchant-list">
        {merchants.loading && !merchants.data ? <Loading /> : null}
        {merchants.error && !merchants.data ? <Notice kind="error">{errorText(i18n, merchants.error)}</Notice> : null}
        {merchants.data && merchants.data.length === 0 ? <p class="empty">{t('merchant.list.empty')}</p> : null}
        {(merchants.data ?? []).map((m) => (
          <a key={m.id} class="row row-link" href={merchantPath(m.id)} data-testid="merchant-row" data-id={m.id}>
            <span class="row-text">
              <span class="row-title">{m.name}</span>
              <span class="row-subtitle">
                {m.city} · {m.countryCode}
              </span>
            </span>
            <Icon name="chevron" class="row-chevron" />
          </a>
        ))}
      </Section>
      <Section title={t('merchant.list.open')} testId="merchant-create">
        {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (!canCreate) return;
            void action.run('create', async () => {
              const created = await createMerchant({ name: name.trim(), city: city.trim(), countryCode: country, ...(needsQrName ? { qrName: qrName.trim() } : {}) });
              route(merchantPath(created.id));
            });
          }}
        >
          <Field label={t('merchant.list.name')} value={name} onInput={setName} maxLength={64} testId="merchant-name" />
          {needsQrName && name.trim() ? <Field label={t('merchant.list.qrName')} value={qrName} onInput={setQrName} maxLength={25} hint={t('merchant.list.qrNameHint')} testId="merchant-qr-name" /> : null}
          <Field label={t('merchant.list.city')} value={city} onInput={setCity} maxLength={15} hint={t('merchant.list.cityHint')} error={ascii(city) ? undefined : t('merchant.list.cityHint')} testId="merchant-city" />
          <Field label={t('merchant.list.country')} value={country} onInput={(v) => setCountry(v.toUpperCase().slice(0, 2))} maxLength={2} testId="merchant-country" />
          <Button type="submit" block disabled={!canCreate} busy={action.busy === 'create'} testId="merchant-create-submit">
            {t('merchant.list.create')}
          </Button>
        </form>
      </Section>
    </AppLayout>
  );
}

const PAGES: Array<{ page: 'orders' | 'statement' | 'webhooks' | 'keys'; label: MessageId }> = [
  { page: 'orders', label: 'merchant.orders.title' },
  { page: 'statement', label: 'merchant.statement.title' },
  { page: 'webhooks', label: 'merchant.webhooks.title' },
  { page: 'keys', label: 'merchant.keys.title' },
];

/** One merchant's overview. */
export function MerchantHome(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { params } = useRoute();
  const id = params.merchantId ?? '';
  const merchant = useResource((signal) => getMerchant(id, signal), [id]);
  const m = merchant.data;
  const balances = (m?.balances ?? []).filter((b) => b.balance !== 0);
  return (
    <AppLayout title={m?.name ?? t('merchant.list.title')} back={ROUTES.merchants}>
      {merchant.loading && !m ? <Loading /> : null}
      {merchant.error && !m ? <Notice kind="error">{errorText(i18n, merchant.error)}</Notice> : null}
      {m ? (
        <>
          <Section title={t('merchant.home.balances')} testId="merchant-balances">
            {balances.length === 0 ? <p class="muted">{t('merchant.home.noBalance')}</p> : null}
            {balances.map((b) => (
              <p key={b.currency} class="balance" data-testid="merchant-balance" data-currency={b.currency} data-amount={b.balance}>
                {formatMoney(intl, b.balance, b.currency)}
              </p>
            ))}
          </Section>
          <Section flush testId="merchant-pages">
            <a class="row row-link" href={ROUTES.pos} data-testid="merchant-page-pos">
              <span class="row-text">
                <span class="row-title">{t('pos.title')}</span>
              </span>
              <Icon name="chevron" class="row-chevron" />
            </a>
            {PAGES.map(({ page, label }) => (
              <a key={page} class="row row-link" href={merchantPath(id, page)} data-testid={`merchant-page-${page}`}>
                <span class="row-text">
                  <span class="row-title">{t(label)}</span>
                </span>
                <Icon name="chevron" class="row-chevron" />
              </a>
            ))}
          </Section>
        </>
      ) : null}
    </AppLayout>
  );
}
