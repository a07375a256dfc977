/**
 * @module The pay sheet an app asks for (`atrium.requestPayment()`): the merchant, amount, currency and
 * description of the order the host checked, the balance that pays (with the operator's conversion shown before
 * confirming, as on the scan-to-pay sheet), and the payment PIN. The shell pays the order itself, with the
 * person's own token, through the wallet's order payment (`payOrder`, idempotent); the app never sees the PIN and
 * learns the outcome from the host, which reads it from the order.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { AppPrompt } from '../../../../src/sessions/protocol.ts';
import { getWallet, newIdempotencyKey, payOrder, quoteOrder, type Currency, type Quote } from '../../api/wallet.ts';
import { hasCode, NETWORK_ERROR } from '../../api/problem.ts';
import { Button } from '../../components/button.tsx';
import { Notice } from '../../components/notice.tsx';
import { PinField } from '../../components/pin-field.tsx';
import { useI18n } from '../../i18n/index.ts';
import { errorText, formatDateTime } from '../../i18n/format.ts';
import { formatMoney, payErrorText } from '../../lib/money.ts';
import { useAction } from '../../lib/use-action.ts';
import { useResource } from '../../lib/use-resource.ts';
import { CurrencySelect } from '../../screens/wallet.tsx';
import { Sheet } from '../sheet.tsx';

/** Props of {@link PayPrompt}. */
export interface PayPromptProps {
  prompt: Extract<AppPrompt, { kind: 'pay' }>;
  /** The order is paid (the host checks it). */
  onPaid: () => void;
  onCancel: () => void;
}

/** The in-app pay sheet. */
export function PayPrompt(props: PayPromptProps): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { prompt } = props;
  const order = { ...prompt.order, currency: prompt.order.currency as Currency };
  const wallet = useResource((signal) => getWallet(signal), []);
  const [payFrom, setPayFrom] = useState<Currency>(order.currency);
  const [pin, setPin] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [quote, setQuote] = useState<Quote | undefined>(undefined);
  const [quoteError, setQuoteError] = useState<unknown>(undefined);
  const action = useAction();

  // keep in sync with host/web/src/screens/pay.tsx: the balance that pays defaults to the order's currency,
  // else one with money in it; another currency is quoted before the person confirms.
  useEffect(() => {
    if (!wallet.data) return;
    const own = wallet.data.balances.find((b) => b.currency === order.currency);
    if (own && own.available >= order.amount) return;
    const other = wallet.data.balances.find((b) => b.available > 0);
    if (other) setPayFrom(other.currency);
  }, [wallet.data === undefined]);

  useEffect(() => {
    setQuote(undefined);
    setQuoteError(undefined);
    if (payFrom === order.currency) return;
    const controller = new AbortController();
    quoteOrder(order.id, payFrom, controller.signal).then(setQuote, (error: unknown) => {
      if (!controller.signal.aborted) setQuoteError(error);
    });
    setKey(newIdempotencyKey());
    return () => controller.abort();
  }, [payFrom]);

  const needsQuote = payFrom !== order.currency;
  const ready = wallet.data !== undefined && pin.length === 6 && (!needsQuote || quote !== undefined);

  const submit = (event: Event): void => {
    event.preventDefault();
    if (!ready) return;
    const fx = needsQuote && quote ? { payCurrency: quote.payCurrency, quotedAmount: quote.payAmount } : {};
    void action
      .run('pay', () =>
        payOrder(order.id, { pin, ...fx }, key).catch((error: unknown) => {
          // A retry after a lost answer reuses the key (the server replays it); after an answer, a new attempt.
          if (!hasCode(error, NETWORK_ERROR)) setKey(newIdempotencyKey());
          throw error;
        }),
      )
      .then((ok) => {
        setPin('');
        if (ok) props.onPaid();
      });
  };

  const balances = wallet.data?.balances ?? [];
  const fromOptions = [...new Set([order.currency, ...balances.filter((b) => b.available > 0).map((b) => b.currency)])] as Currency[];
  const amount = formatMoney(intl, order.amount, order.currency);
  return (
    <Sheet title={t('pay.title')} onClose={action.busy ? undefined : props.onCancel} testId="pay-prompt">
      <form onSubmit={submit}>
        <p class="muted small" data-testid="pay-prompt-app">
          {t('miniapp.payAsks', { name: prompt.app.name })}
        </p>
        <p class="pay-payee">
          <strong data-testid="pay-prompt-merchant">{order.merchantName}</strong>
        </p>
        <p class="pay-amount" data-testid="pay-prompt-amount" data-minor={order.amount} data-currency={order.currency}>
          {amount}
        </p>
        {order.description ? (
          <p class="muted" data-testid="pay-prompt-description">
            {order.description}
          </p>
        ) : null}
        <p class="muted small">{t('pay.expires', { time: formatDateTime(intl, order.expiresAt) })}</p>
        {fromOptions.length > 1 ? <CurrencySelect label={t('pay.from')} value={payFrom} options={fromOptions} onChange={setPayFrom} testId="pay-prompt-from" /> : null}
        {needsQuote && quote ? (
          <Notice kind="info" testId="pay-prompt-quote">
            {t('pay.quote', { pay: formatMoney(intl, quote.payAmount, quote.payCurrency), amount: formatMoney(intl, quote.amount, quote.currency), rate: quote.rate })}
          </Notice>
        ) : null}
        {needsQuote && quoteError ? <Notice kind="error">{errorText(i18n, quoteError)}</Notice> : null}
        {wallet.error ? <Notice kind="error">{errorText(i18n, wallet.error)}</Notice> : null}
        {wallet.data && !wallet.data.pinSet ? (
          <Notice kind="error" testId="pay-prompt-no-pin">
            {t('errors.WALLET_PIN_NOT_SET')} {t('pay.setPin')}
          </Notice>
        ) : null}
        {action.error ? (
          <Notice kind="error" testId="pay-prompt-error">
            {payErrorText(i18n, action.error)}
          </Notice>
        ) : null}
        <PinField label={t('pay.pin')} value={pin} onInput={setPin} autoFocus testId="pay-prompt-pin" />
        <div class="button-row sheet-actions">
          <Button variant="secondary" onClick={props.onCancel} disabled={action.busy !== undefined} testId="pay-prompt-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="submit" disabled={!ready} busy={action.busy === 'pay'} testId="pay-prompt-submit">
            {t('pay.submitAmount', { amount: needsQuote && quote ? formatMoney(intl, quote.payAmount, quote.payCurrency) : amount })}
          </Button>
        </div>
      </form>
    </Sheet>
  );
}
