/**
 * @module The pay sheet: whom I pay and how much (fixed for an order; entered for a merchant's static code, a
 * person's receive code or a contact), which balance pays (with the operator's conversion shown before I
 * confirm), and the payment PIN. Reached from the scanner, a receive link (`/r/<code>`) or the wallet.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useLocation, useRoute } from 'preact-iso/router';
import { listContacts } from '../api/contacts.ts';
import {
  getOrder,
  getWallet,
  newIdempotencyKey,
  payMerchant,
  payOrder,
  payReceiveCode,
  quoteOrder,
  resolvePayload,
  resolveReceiveCode,
  sendToContact,
  type Currency,
  type PayerOrder,
  type Quote,
} from '../api/wallet.ts';
import { hasCode, NETWORK_ERROR } from '../api/problem.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PinField } from '../components/pin-field.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { formatMoney, parseAmount, payErrorText } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { billPath, ROUTES } from '../paths.ts';
import { CurrencySelect } from './wallet.tsx';

/** Whom the sheet pays. */
type Payee =
  | { kind: 'order'; order: PayerOrder }
  | { kind: 'merchant'; id: string; name: string; city: string; currency: Currency | null }
  | { kind: 'receive'; code: string; name: string; handle: string }
  | { kind: 'contact'; id: string; name: string; handle: string };

async function loadPayee(query: Record<string, string>, code: string | undefined, signal: AbortSignal): Promise<Payee> {
  if (code) {
    const person = await resolveReceiveCode(code, signal);
    return { kind: 'receive', code, name: person.displayName, handle: person.handle };
  }
  if (query.order) return { kind: 'order', order: await getOrder(query.order, signal) };
  if (query.qr) {
    const found = await resolvePayload(query.qr, signal);
    if (found.kind === 'order') return { kind: 'order', order: found.order };
    return { kind: 'merchant', id: found.merchant.id, name: found.merchant.name, city: found.merchant.city, currency: found.currency };
  }
  if (query.to) {
    const contact = (await listContacts()).find((c) => c.person.id === query.to);
    if (contact) return { kind: 'contact', id: contact.person.id, name: contact.person.displayName, handle: contact.person.handle };
  }
  throw new Error('nothing to pay');
}

/** The pay sheet. */
export function Pay(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { query } = useLocation();
  const { params } = useRoute();
  const payee = useResource((signal) => loadPayee(query, params.code, signal), [query.qr, query.order, query.to, params.code]);
  return (
    <AppLayout title={t('pay.title')} back={ROUTES.wallet}>
      {payee.loading && !payee.data ? <Loading /> : null}
      {payee.error && !payee.data ? (
        <Notice kind="error" testId="pay-unavailable">
          {payee.error instanceof Error && payee.error.message === 'nothing to pay' ? t('pay.nothing') : errorText(i18n, payee.error)}
        </Notice>
      ) : null}
      {payee.data ? <PaySheet payee={payee.data} /> : null}
    </AppLayout>
  );
}

function PaySheet(props: { payee: Payee }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { payee } = props;
  const order = payee.kind === 'order' ? payee.order : undefined;
  const wallet = useResource((signal) => getWallet(signal), []);
  const fixedCurrency = order?.currency ?? (payee.kind === 'merchant' ? payee.currency : null);
  const [currency, setCurrency] = useState<Currency>(fixedCurrency ?? 'CNY');
  const [payFrom, setPayFrom] = useState<Currency>(order?.currency ?? 'CNY');
  const [amountText, setAmountText] = useState('');
  const [note, setNote] = useState('');
  const [pin, setPin] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [paid, setPaid] = useState<{ amount: string; billId: string | null } | undefined>(undefined);
  const [quote, setQuote] = useState<Quote | undefined>(undefined);
  const [quoteError, setQuoteError] = useState<unknown>(undefined);
  const action = useAction();

  // The balance an order is paid from defaults to the order's currency, else the one with money in it.
  useEffect(() => {
    if (!order || !wallet.data) return;
    const own = wallet.data.balances.find((b) => b.currency === order.currency);
    if (own && own.available >= order.amount) return;
    const other = wallet.data.balances.find((b) => b.available > 0);
    if (other) setPayFrom(other.currency);
  }, [order?.id, wallet.data === undefined]);

  // A quote whenever the order is paid from another currency: the person sees what leaves their wallet.
  useEffect(() => {
    setQuote(undefined);
    setQuoteError(undefined);
    if (!order || payFrom === order.currency) return;
    const controller = new AbortController();
    quoteOrder(order.id, payFrom, controller.signal).then(setQuote, (error: unknown) => {
      if (!controller.signal.aborted) setQuoteError(error);
    });
    setKey(newIdempotencyKey());
    return () => controller.abort();
  }, [order?.id, payFrom]);

  const amount = order ? order.amount : parseAmount(amountText, currency);
  const needsQuote = order !== undefined && payFrom !== order.currency;
  // Not before the wallet is known: the balance to pay from (and its quote) depends on it.
  const ready = wallet.data !== undefined && amount !== undefined && pin.length === 6 && (!needsQuote || quote !== undefined) && order?.status !== 'SUCCESS' && order?.status !== 'CLOSED';
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    setKey(newIdempotencyKey());
  };

  const submit = (event: Event): void => {
    event.preventDefault();
    if (!ready || amount === undefined) return;
    void action.run('pay', () => attempt().catch((error: unknown) => {
      // A retry after a lost answer must reuse the key (the server replays the outcome); after any answer, the
      // next try is a new attempt (a decline or "not enough money" is stored and would be replayed otherwise).
      if (!hasCode(error, NETWORK_ERROR)) setKey(newIdempotencyKey());
      throw error;
    })).then((ok) => {
      if (!ok) setPin('');
    });
  };

  const attempt = async (): Promise<void> => {
    if (amount === undefined) return;
    let billId: string | null = null;
    let shown = formatMoney(intl, amount, order?.currency ?? currency);
    if (payee.kind === 'order') {
      const fx = needsQuote && quote ? { payCurrency: quote.payCurrency, quotedAmount: quote.payAmount } : {};
      const result = (await payOrder(payee.order.id, { pin, ...fx }, key)) as PayerOrder & { transferId?: string | null };
      // Across currencies the order records the merchant's leg (`<id>x`); my bill is the first leg, `<id>`.
      billId = result.transferId ? (needsQuote ? result.transferId.replace(/x$/, '') : result.transferId) : null;
      if (needsQuote && quote) shown = `${shown} (${formatMoney(intl, quote.payAmount, quote.payCurrency)})`;
    } else if (payee.kind === 'merchant') {
      const result = (await payMerchant({ merchantId: payee.id, amount, currency, note, pin }, key)) as PayerOrder & { transferId?: string | null };
      billId = result.transferId ?? null;
    } else if (payee.kind === 'receive') {
      billId = (await payReceiveCode({ code: payee.code, amount, currency, note, pin }, key)).id;
    } else {
      billId = (await sendToContact({ to: payee.id, amount, currency, note, pin }, key)).id;
    }
    setPin('');
    setPaid({ amount: shown, billId });
  };

  const payeeName = payee.kind === 'order' ? payee.order.merchantName : payee.name;
  if (paid) {
    return (
      <Section testId="pay-done">
        <Notice kind="success">{t('pay.done', { amount: paid.amount, name: payeeName })}</Notice>
        <div class="button-stack">
          {paid.billId ? (
            <a class="btn btn-primary btn-block" href={billPath(paid.billId)} data-testid="pay-done-bill">
              <span>{t('pay.seeBill')}</span>
            </a>
          ) : null}
          <a class="btn btn-secondary btn-block" href={ROUTES.wallet} data-testid="pay-done-wallet">
            <span>{t('pay.backToWallet')}</span>
          </a>
        </div>
      </Section>
    );
  }

  const balances = wallet.data?.balances ?? [];
  const fromOptions = order ? ([...new Set([order.currency, ...balances.filter((b) => b.available > 0).map((b) => b.currency)])] as Currency[]) : [];
  const pinNotSet = wallet.data && !wallet.data.pinSet;
  return (
    <form onSubmit={submit}>
      <Section testId="pay-sheet">
        <p class="pay-payee" data-testid="pay-payee">
          <strong>{payeeName}</strong>
          {payee.kind === 'receive' || payee.kind === 'contact' ? <span class="muted"> @{payee.handle}</span> : null}
          {payee.kind === 'merchant' && payee.city ? <span class="muted"> · {payee.city}</span> : null}
        </p>
        {order ? (
          <>
            <p class="pay-amount" data-testid="pay-amount">
              {formatMoney(intl, order.amount, order.currency)}
            </p>
            {order.description ? <p class="muted">{order.description}</p> : null}
            {order.status === 'SUCCESS' ? <Notice kind="info">{t('pay.alreadyPaid')}</Notice> : null}
            {order.status === 'CLOSED' ? <Notice kind="error">{t('pay.closed')}</Notice> : null}
            {order.status === 'NOTPAY' ? <p class="muted small">{t('pay.expires', { time: formatDateTime(intl, order.expiresAt) })}</p> : null}
            {fromOptions.length > 1 ? <CurrencySelect label={t('pay.from')} value={payFrom} options={fromOptions} onChange={setPayFrom} testId="pay-from" /> : null}
            {needsQuote && quote ? (
              <Notice kind="info" testId="pay-quote">
                {t('pay.quote', { pay: formatMoney(intl, quote.payAmount, quote.payCurrency), amount: formatMoney(intl, quote.amount, quote.currency), rate: quote.rate })}
              </Notice>
            ) : null}
            {needsQuote && quoteError ? <Notice kind="error">{errorText(i18n, quoteError)}</Notice> : null}
          </>
        ) : (
          <>
            <div class="amount-row">
              <Field label={t('wallet.amount')} value={amountText} onInput={edit(setAmountText)} placeholder="0.00" autoFocus testId="pay-amount-input" error={amountText && amount === undefined ? t('wallet.amount.invalid') : undefined} />
              {fixedCurrency ? <p class="pay-currency">{fixedCurrency}</p> : <CurrencySelect value={currency} onChange={(c) => { setCurrency(c); setKey(newIdempotencyKey()); }} testId="pay-currency" />}
            </div>
            <Field label={t('pay.note')} value={note} onInput={edit(setNote)} maxLength={payee.kind === 'merchant' ? 127 : 200} testId="pay-note" />
          </>
        )}
        {pinNotSet ? (
          <Notice kind="error" testId="pay-no-pin">
            {t('errors.WALLET_PIN_NOT_SET')} <a href={ROUTES.wallet}>{t('pay.setPin')}</a>
          </Notice>
        ) : null}
        {action.error ? (
          <Notice kind="error" testId="pay-error">
            {payErrorText(i18n, action.error)}
            {hasCode(action.error, 'WALLET_INSUFFICIENT_FUNDS') ? (
              <>
                {' '}
                <a href={ROUTES.wallet}>{t('wallet.topup')}</a>
              </>
            ) : null}
          </Notice>
        ) : null}
        <PinField label={t('pay.pin')} value={pin} onInput={setPin} testId="pay-pin" />
        <Button type="submit" block disabled={!ready} busy={action.busy === 'pay'} testId="pay-submit">
          {amount !== undefined ? t('pay.submitAmount', { amount: needsQuote && quote ? formatMoney(intl, quote.payAmount, quote.payCurrency) : formatMoney(intl, amount, order?.currency ?? currency) }) : t('pay.submit')}
        </Button>
      </Section>
    </form>
  );
}
