/**
 * @module My merchant's orders: newest first, filtered by state and UTC day, page by page; and one order's
 * detail with its refunds and a refund form (partial amount, reason; a fresh `out_refund_no` per refund, kept
 * across retries so a double tap refunds once).
 */
import { Fragment, type JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useRoute } from 'preact-iso/router';
import { getOrder, listOrders, newRefundNo, ORDER_STATUSES, refundOrder, type OrderFilter, type OrderStatus, type OwnerOrder } from '../api/merchant.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Icon } from '../components/icons.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { formatMoney, parseAmount } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { merchantOrderPath, merchantPath } from '../paths.ts';

/** The orders list. */
export function MerchantOrders(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { params } = useRoute();
  const id = params.merchantId ?? '';
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [day, setDay] = useState('');
  const [more, setMore] = useState<OwnerOrder[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const filter: OrderFilter = { status: status || undefined, from: day || undefined, to: day || undefined };
  const page = useResource(
    async (signal) => {
      const result = await listOrders(id, filter, undefined, signal);
      setMore([]);
      setCursor(result.nextCursor);
      return result.orders;
    },
    [id, status, day],
    { refreshMs: 10_000 },
  );
  const action = useAction();
  const all = [...(page.data ?? []), ...more];
  const loadMore = (): void => {
    if (cursor === null) return;
    void action.run('more', async () => {
      const result = await listOrders(id, filter, cursor);
      setMore((previous) => [...previous, ...result.orders]);
      setCursor(result.nextCursor);
    });
  };
  return (
    <AppLayout title={t('merchant.orders.title')} back={merchantPath(id)}>
      <Section title={t('bills.filters')} testId="orders-filters">
        <div class="filter-grid">
          <label class="field">
            {t('merchant.orders.status')}
            <select value={status} onChange={(e) => setStatus(e.currentTarget.value as OrderStatus | '')} data-testid="orders-status">
              <option value="">{t('bills.all')}</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`merchant.status.${s}` as const)}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            {t('merchant.orders.day')}
            <input type="date" value={day} onChange={(e) => setDay(e.currentTarget.value)} data-testid="orders-day" />
          </label>
        </div>
        <p class="section-note">{t('merchant.orders.utc')}</p>
      </Section>
      {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
      <Section flush testId="orders">
        {page.loading && !page.data ? <Loading /> : null}
        {page.error && !page.data ? <Notice kind="error">{errorText(i18n, page.error)}</Notice> : null}
        {page.data && all.length === 0 ? <p class="empty">{t('merchant.orders.empty')}</p> : null}
        {all.map((o) => (
          <a key={o.id} class="row row-link" href={merchantOrderPath(id, o.id)} data-testid="order-row" data-id={o.id} data-status={o.status} data-trade-no={o.outTradeNo}>
            <span class="row-text">
              <span class="row-title">{o.description}</span>
              <span class="row-subtitle">
                {t(`merchant.status.${o.status}` as const)} · {formatDateTime(intl, o.createdAt)} · <span class="mono">{o.outTradeNo}</span>
              </span>
            </span>
            <span class="bill-amount">
              {formatMoney(intl, o.amount, o.currency)}
              {o.refundedAmount > 0 ? <span class="muted small"> −{formatMoney(intl, o.refundedAmount, o.currency)}</span> : null}
            </span>
            <Icon name="chevron" class="row-chevron" />
          </a>
        ))}
      </Section>
      {cursor !== null ? (
        <Button block variant="secondary" busy={action.busy === 'more'} onClick={loadMore} testId="orders-more">
          {t('bills.more')}
        </Button>
      ) : null}
    </AppLayout>
  );
}

/** One order, its refunds, and the refund form. */
export function MerchantOrder(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { params } = useRoute();
  const merchantId = params.merchantId ?? '';
  const orderId = params.orderId ?? '';
  const detail = useResource((signal) => getOrder(merchantId, orderId, signal), [merchantId, orderId]);
  const order = detail.data?.order;
  const refunds = detail.data?.refunds ?? [];
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  // One number per refund the owner means: kept while retrying, replaced after a success.
  const [refundNo, setRefundNo] = useState(newRefundNo);
  const action = useAction();
  const refundable = order ? order.amount - order.refundedAmount : 0;
  const amount = order ? parseAmount(amountText, order.currency) : undefined;
  const tooMuch = amount !== undefined && amount > refundable;
  const submit = (): void => {
    if (!order || amount === undefined || tooMuch) return;
    void action
      .run('refund', () => refundOrder(merchantId, orderId, { outRefundNo: refundNo, amount, reason: reason.trim() }))
      .then((ok) => {
        if (!ok) return;
        setRefundNo(newRefundNo());
        setAmountText('');
        setReason('');
        void detail.reload();
      });
  };
  return (
    <AppLayout title={t('merchant.order.title')} back={merchantPath(merchantId, 'orders')}>
      {detail.loading && !order ? <Loading /> : null}
      {detail.error && !order ? <Notice kind="error">{errorText(i18n, detail.error)}</Notice> : null}
      {order ? (
        <>
          <Section testId="order-detail">
            <p class="pay-amount" data-testid="order-amount">
              {formatMoney(intl, order.amount, order.currency)}
            </p>
            <dl class="details">
              <dt>{t('merchant.orders.status')}</dt>
              <dd data-testid="order-status" data-status={order.status}>
                {t(`merchant.status.${order.status}` as const)}
              </dd>
              <dt>{t('pos.description')}</dt>
              <dd>{order.description}</dd>
              <dt>{t('merchant.order.tradeNo')}</dt>
              <dd class="mono small" data-testid="order-trade-no">
                {order.outTradeNo}
              </dd>
              <dt>{t('merchant.order.created')}</dt>
              <dd>{formatDateTime(intl, order.createdAt)}</dd>
              {order.paidAt ? (
                <>
                  <dt>{t('merchant.order.paid')}</dt>
                  <dd>{formatDateTime(intl, order.paidAt)}</dd>
                </>
              ) : null}
              <dt>{t('merchant.order.refunded')}</dt>
              <dd data-testid="order-refunded" data-amount={order.refundedAmount}>
                {formatMoney(intl, order.refundedAmount, order.currency)}
              </dd>
              {order.metadata
                ? Object.entries(order.metadata).map(([k, v]) => (
                    <Fragment key={k}>
                      <dt class="mono small">{k}</dt>
                      <dd>{v}</dd>
                    </Fragment>
                  ))
                : null}
            </dl>
          </Section>
          {order.status === 'SUCCESS' && refundable > 0 ? (
            <Section title={t('merchant.refund.title')} testId="refund-form">
              {action.error ? <Notice kind="error" testId="refund-error">{errorText(i18n, action.error)}</Notice> : null}
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  submit();
                }}
              >
                <Field
                  label={t('merchant.refund.amount', { max: formatMoney(intl, refundable, order.currency) })}
                  value={amountText}
                  onInput={setAmountText}
                  placeholder="0.00"
                  testId="refund-amount"
                  error={tooMuch ? t('merchant.refund.tooMuch') : amountText && amount === undefined ? t('wallet.amount.invalid') : undefined}
                />
                <Field label={t('merchant.refund.reason')} value={reason} onInput={setReason} maxLength={80} testId="refund-reason" />
                <p class="muted small mono" data-testid="refund-no">
                  {t('merchant.refund.number', { number: refundNo })}
                </p>
                <Button type="submit" block variant="danger" disabled={amount === undefined || tooMuch} busy={action.busy === 'refund'} testId="refund-submit">
                  {t('merchant.refund.submit')}
                </Button>
              </form>
            </Section>
          ) : null}
          <Section title={t('merchant.refund.list')} flush testId="refunds">
            {refunds.length === 0 ? <p class="empty">{t('merchant.refund.none')}</p> : null}
            {refunds.map((r) => (
              <div key={r.id} class="row" data-testid="refund-row" data-refund-no={r.outRefundNo} data-amount={r.amount}>
                <span class="row-text">
                  <span class="row-title">{r.reason || t('merchant.refund.noReason')}</span>
                  <span class="row-subtitle">
                    {formatDateTime(intl, r.createdAt)} · <span class="mono">{r.outRefundNo}</span>
                  </span>
                </span>
                <span class="bill-amount bill-out">{formatMoney(intl, -r.amount, r.currency, { signed: true })}</span>
              </div>
            ))}
          </Section>
        </>
      ) : null}
    </AppLayout>
  );
}
