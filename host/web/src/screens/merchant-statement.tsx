/**
 * @module My merchant's statement of one UTC day: per-currency opening, payments, refunds and closing balance
 * (they reconcile with the ledger to the fen), every line, and the day as a CSV or JSON download.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { getStatement, statementFile } from '../api/merchant.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { saveBlob } from '../lib/download.ts';
import { formatMoney } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { merchantOrderPath, merchantPath } from '../paths.ts';

/** The statement screen. */
export function MerchantStatement(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { params } = useRoute();
  const id = params.merchantId ?? '';
  const [date, setDate] = useState(() => new Date().toISOString().slice(0, 10));
  const statement = useResource((signal) => getStatement(id, date, signal), [id, date]);
  const action = useAction();
  const s = statement.data;
  const download = (format: 'csv' | 'json'): void => {
    void action.run(`download-${format}`, async () => saveBlob(await statementFile(id, date, format), `statement-${date}.${format}`));
  };
  return (
    <AppLayout title={t('merchant.statement.title')} back={merchantPath(id)}>
      <Section testId="statement-day">
        <label class="field">
          {t('merchant.statement.day')}
          <input type="date" value={date} required onChange={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} data-testid="statement-date" />
        </label>
        <p class="section-note">{t('merchant.orders.utc')}</p>
        <div class="button-row">
          <Button small variant="secondary" busy={action.busy === 'download-csv'} onClick={() => download('csv')} testId="statement-csv">
            {t('bills.exportCsv')}
          </Button>
          <Button small variant="secondary" busy={action.busy === 'download-json'} onClick={() => download('json')} testId="statement-json">
            {t('bills.exportJson')}
          </Button>
        </div>
      </Section>
      {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
      {statement.loading && !s ? <Loading /> : null}
      {statement.error ? <Notice kind="error">{errorText(i18n, statement.error)}</Notice> : null}
      {s ? (
        <>
          <Section title={t('merchant.statement.totals')} testId="statement-totals">
            {s.totals.length === 0 ? <p class="empty">{t('merchant.statement.empty')}</p> : null}
            {s.totals.map((x) => (
              <dl key={x.currency} class="details" data-testid="statement-total" data-currency={x.currency} data-closing={x.closing} data-credits={x.credits} data-debits={x.debits}>
                <dt>{x.currency}</dt>
                <dd>{t('merchant.statement.count', { count: x.count })}</dd>
                <dt>{t('merchant.statement.opening')}</dt>
                <dd>{formatMoney(intl, x.opening, x.currency)}</dd>
                <dt>{t('merchant.statement.credits')}</dt>
                <dd>{formatMoney(intl, x.credits, x.currency)}</dd>
                <dt>{t('merchant.statement.debits')}</dt>
                <dd>{formatMoney(intl, -x.debits, x.currency, { signed: true })}</dd>
                <dt>{t('merchant.statement.closing')}</dt>
                <dd>
                  <strong>{formatMoney(intl, x.closing, x.currency)}</strong>
                </dd>
              </dl>
            ))}
          </Section>
          <Section title={t('merchant.statement.lines')} flush testId="statement-lines">
            {s.lines.map((l) => {
              const body = (
                <>
                  <span class="row-text">
                    <span class="row-title">{l.kind === 'refund' ? t('merchant.statement.refund') : l.kind === 'payment' ? t('merchant.statement.payment') : l.kind}</span>
                    <span class="row-subtitle">
                      {formatDateTime(intl, l.at)} · <span class="mono">{l.outRefundNo ?? l.outTradeNo ?? l.transferId}</span>
                    </span>
                  </span>
                  <span class={`bill-amount bill-${l.amount < 0 ? 'out' : 'in'}`}>{formatMoney(intl, l.amount, l.currency, { signed: true })}</span>
                </>
              );
              const data = { 'data-testid': 'statement-line', 'data-kind': l.kind, 'data-amount': String(l.amount) };
              return l.orderId ? (
                <a key={l.transferId} class="row row-link" href={merchantOrderPath(id, l.orderId)} {...data}>
                  {body}
                </a>
              ) : (
                <div key={l.transferId} class="row" {...data}>
                  {body}
                </div>
              );
            })}
          </Section>
        </>
      ) : null}
    </AppLayout>
  );
}
