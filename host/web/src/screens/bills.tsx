/**
 * @module Bills: my transactions newest first, filtered by currency, direction, kind and dates, page by page;
 * exported as CSV or JSON with the same filters; and one transaction's detail page.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { CURRENCIES, exportBills, getBill, listBills, type BillFilter, type Currency, type WalletTransaction } from '../api/wallet.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Icon } from '../components/icons.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n, type I18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { saveBlob } from '../lib/download.ts';
import { formatMoney } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { billPath, ROUTES } from '../paths.ts';

/** Who was on the other side, in words. */
function counterpartyName(i18n: I18n, transaction: WalletTransaction): string {
  const c = transaction.counterparty;
  if (c.type === 'person') return `${c.displayName} (@${c.handle})`;
  if (c.type === 'merchant') return c.name;
  if (transaction.card) return i18n.t('bills.card', { last4: transaction.card.last4 });
  // Escrows of money sent in chats (a group's red packet, what came back of one) have no single person.
  if (c.name.startsWith('redpacket.')) return i18n.t('bills.redPacket');
  if (c.name.startsWith('transfer.')) return i18n.t('bills.chatTransfer');
  return c.name;
}

/** `2026-11-23` (a date input's value) → ms at local midnight; `''` → undefined. */
function dayStart(value: string, plusDays = 0): number | undefined {
  if (!value) return undefined;
  const [y, m, d] = value.split('-').map(Number);
  if (!y || !m || !d) return undefined;
  return new Date(y, m - 1, d + plusDays).getTime();
}

/** The bills screen. */
export function Bills(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const [currency, setCurrency] = useState<Currency | ''>('');
  const [direction, setDirection] = useState<'' | 'in' | 'out'>('');
  const [kind, setKind] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [more, setMore] = useState<WalletTransaction[]>([]);
  const [cursor, setCursor] = useState<number | null>(null);
  const filter: BillFilter = { currency: currency || undefined, direction: direction || undefined, kind: kind || undefined, from: dayStart(from), to: dayStart(to, 1) };
  const page = useResource(
    async (signal) => {
      const result = await listBills(filter, undefined, signal);
      setMore([]);
      setCursor(result.nextCursor);
      return result.transactions;
    },
    [currency, direction, kind, from, to],
  );
  const action = useAction();
  const all = [...(page.data ?? []), ...more];
  const download = (format: 'csv' | 'json'): void => {
    void action.run(`export-${format}`, async () => saveBlob(await exportBills(filter, format), `atrium-bills.${format}`));
  };
  const loadMore = (): void => {
    if (cursor === null) return;
    void action.run('more', async () => {
      const result = await listBills(filter, cursor);
      setMore((previous) => [...previous, ...result.transactions]);
      setCursor(result.nextCursor);
    });
  };

  return (
    <AppLayout title={t('bills.title')} back={ROUTES.wallet}>
      <Section title={t('bills.filters')} testId="bills-filters">
        <div class="filter-grid">
          <label class="field">
            {t('wallet.currency')}
            <select value={currency} onChange={(e) => setCurrency(e.currentTarget.value as Currency | '')} data-testid="bills-currency">
              <option value="">{t('bills.all')}</option>
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {t('bills.direction')}
            <select value={direction} onChange={(e) => setDirection(e.currentTarget.value as '' | 'in' | 'out')} data-testid="bills-direction">
              <option value="">{t('bills.all')}</option>
              <option value="in">{t('bills.in')}</option>
              <option value="out">{t('bills.out')}</option>
            </select>
          </label>
          <label class="field">
            {t('bills.kind')}
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value)} data-testid="bills-kind">
              <option value="">{t('bills.all')}</option>
              {['topup', 'withdraw', 'p2p', 'payment', 'refund'].map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {t('bills.from')}
            <input type="date" value={from} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="bills-from" />
          </label>
          <label class="field">
            {t('bills.to')}
            <input type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="bills-to" />
          </label>
        </div>
        <div class="button-row">
          <Button small variant="secondary" busy={action.busy === 'export-csv'} onClick={() => download('csv')} testId="bills-export-csv">
            {t('bills.exportCsv')}
          </Button>
          <Button small variant="secondary" busy={action.busy === 'export-json'} onClick={() => download('json')} testId="bills-export-json">
            {t('bills.exportJson')}
          </Button>
        </div>
      </Section>
      {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
      <Section flush testId="bills">
        {page.loading && !page.data ? <Loading /> : null}
        {page.error && !page.data ? <Notice kind="error">{errorText(i18n, page.error)}</Notice> : null}
        {page.data && all.length === 0 ? <p class="empty">{t('bills.empty')}</p> : null}
        {all.map((tx) => (
          <a key={tx.id} class="row row-link" href={billPath(tx.id)} data-testid="bill" data-kind={tx.kind} data-id={tx.id}>
            <span class="row-text">
              <span class="row-title">{counterpartyName(i18n, tx)}</span>
              <span class="row-subtitle">
                {tx.kind} · {formatDateTime(intl, tx.createdAt)}
                {tx.status !== 'succeeded' ? ` · ${tx.status}` : ''}
              </span>
            </span>
            <span class={`bill-amount bill-${tx.direction}`} data-testid="bill-amount">
              {formatMoney(intl, tx.direction === 'out' ? -tx.amount : tx.amount, tx.currency, { signed: true })}
            </span>
            <Icon name="chevron" class="row-chevron" />
          </a>
        ))}
      </Section>
      {cursor !== null ? (
        <Button block variant="secondary" busy={action.busy === 'more'} onClick={loadMore} testId="bills-more">
          {t('bills.more')}
        </Button>
      ) : null}
    </AppLayout>
  );
}

/** One transaction's detail page. */
export function Bill(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { params } = useRoute();
  const id = params.transactionId ?? '';
  const bill = useResource((signal) => getBill(id, signal), [id]);
  const tx = bill.data;
  return (
    <AppLayout title={t('bills.detail')} back={ROUTES.bills}>
      {bill.loading && !tx ? <Loading /> : null}
      {bill.error && !tx ? <Notice kind="error">{errorText(i18n, bill.error)}</Notice> : null}
      {tx ? (
        <Section testId="bill-detail">
          <p class={`pay-amount bill-${tx.direction}`} data-testid="bill-detail-amount">
            {formatMoney(intl, tx.direction === 'out' ? -tx.amount : tx.amount, tx.currency, { signed: true })}
          </p>
          <dl class="details">
            <dt>{tx.direction === 'out' ? t('bills.paidTo') : t('bills.receivedFrom')}</dt>
            <dd data-testid="bill-detail-counterparty">{counterpartyName(i18n, tx)}</dd>
            <dt>{t('bills.kind')}</dt>
            <dd>{tx.kind}</dd>
            <dt>{t('bills.status')}</dt>
            <dd data-testid="bill-detail-status">{tx.status}</dd>
            <dt>{t('bills.time')}</dt>
            <dd>{formatDateTime(intl, tx.createdAt)}</dd>
            {tx.note ? (
              <>
                <dt>{t('pay.note')}</dt>
                <dd>{tx.note}</dd>
              </>
            ) : null}
            {tx.card ? (
              <>
                <dt>{t('bills.cardLabel')}</dt>
                <dd>{[tx.card.brand, `•••• ${tx.card.last4}`].filter(Boolean).join(' ')}</dd>
              </>
            ) : null}
            <dt>{t('bills.id')}</dt>
            <dd class="mono small">{tx.id}</dd>
          </dl>
        </Section>
      ) : null}
    </AppLayout>
  );
}
