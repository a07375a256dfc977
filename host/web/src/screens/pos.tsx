/**
 * @module POS: a simple till for one of my merchants. This tab becomes a terminal with its own API key (orders
 * only; kept in this tab's memory, never stored), then charges an amount by showing a dynamic QR code for the
 * customer to scan, or by charging the customer's payment code — and shows each sale's status as it changes.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { closeOrder, createOrder, createTerminalKey, listMerchants, micropay, newTradeNo, orderQr, queryOrder, type Merchant, type MerchantOrder } from '../api/merchant.ts';
import type { Currency } from '../api/wallet.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { formatMoney, parseAmount } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';
import { CurrencySelect } from './wallet.tsx';

/** The POS screen. */
export function Pos(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const merchants = useResource((signal) => listMerchants(signal), []);
  const [merchant, setMerchant] = useState<Merchant | undefined>(undefined);
  const [key, setKey] = useState<string | undefined>(undefined);
  const action = useAction();
  return (
    <AppLayout title={t('pos.title')} back={ROUTES.merchants}>
      {merchants.loading && !merchants.data ? <Loading /> : null}
      {merchants.error && !merchants.data ? <Notice kind="error">{errorText(i18n, merchants.error)}</Notice> : null}
      {merchants.data && merchants.data.length === 0 ? <p class="empty">{t('pos.noMerchants')}</p> : null}
      {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
      {!key ? (
        <Section title={t('pos.pick')} flush testId="pos-merchants">
          {(merchants.data ?? []).map((m) => (
            <div key={m.id} class="row" data-testid="pos-merchant" data-id={m.id}>
              <span class="row-text">
                <span class="row-title">{m.name}</span>
                <span class="row-subtitle">{m.city}</span>
              </span>
              <div class="row-actions">
                <Button
                  small
                  busy={action.busy === m.id}
                  onClick={() => void action.run(m.id, async () => {
                    const created = await createTerminalKey(m.id, `POS ${new Date().toISOString().slice(0, 16)}`);
                    setMerchant(m);
                    setKey(created.secret);
                  })}
                  testId="pos-connect"
                >
                  {t('pos.connect')}
                </Button>
              </div>
            </div>
          ))}
        </Section>
      ) : null}
      {key && merchant ? <Till merchant={merchant} terminalKey={key} /> : null}
      <p class="section-note">{t('pos.keyNote')}</p>
    </AppLayout>
  );
}

function Till(props: { merchant: Merchant; terminalKey: string }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const [amountText, setAmountText] = useState('');
  const [currency, setCurrency] = useState<Currency>('CNY');
  const [description, setDescription] = useState('');
  const [authCode, setAuthCode] = useState('');
  const [sale, setSale] = useState<{ order: MerchantOrder; payload?: string } | undefined>(undefined);
  const action = useAction();
  const amount = parseAmount(amountText, currency);
  const what = description.trim() || t('pos.defaultDescription', { name: props.merchant.name });

  // Follow the sale until it is settled.
  const outTradeNo = sale?.order.outTradeNo;
  const open = sale !== undefined && (sale.order.status === 'NOTPAY' || sale.order.status === 'USERPAYING');
  useEffect(() => {
    if (!outTradeNo || !open) return;
    const controller = new AbortController();
    const timer = setInterval(() => {
      queryOrder(props.terminalKey, outTradeNo, controller.signal).then(
        (order) => setSale((previous) => (previous && previous.order.outTradeNo === order.outTradeNo ? { ...previous, order } : previous)),
        () => undefined, // a missed poll is retried on the next tick
      );
    }, 1_500);
    return () => {
      clearInterval(timer);
      controller.abort();
    };
  }, [outTradeNo, open]);

  const showQr = (): void => {
    if (amount === undefined) return;
    void action.run('qr', async () => {
      const order = await createOrder(props.terminalKey, { outTradeNo: newTradeNo(), amount, currency, description: what });
      const qr = await orderQr(props.terminalKey, order.outTradeNo);
      setSale({ order, payload: qr.payload });
    });
  };
  const charge = (): void => {
    if (amount === undefined || !/^\d{18}$/.test(authCode)) return;
    void action.run('charge', async () => {
      const order = await micropay(props.terminalKey, { outTradeNo: newTradeNo(), authCode, amount, currency, description: what });
      setAuthCode('');
      setSale({ order });
    });
  };

  return (
    <>
      <Section title={props.merchant.name} testId="pos-till">
        {action.error ? <Notice kind="error" testId="pos-error">{errorText(i18n, action.error)}</Notice> : null}
        <div class="amount-row">
          <Field label={t('wallet.amount')} value={amountText} onInput={setAmountText} placeholder="0.00" testId="pos-amount" error={amountText && amount === undefined ? t('wallet.amount.invalid') : undefined} />
          <CurrencySelect value={currency} onChange={setCurrency} testId="pos-currency" />
        </div>
        <Field label={t('pos.description')} value={description} onInput={setDescription} maxLength={127} testId="pos-description" />
        <Button block disabled={amount === undefined} busy={action.busy === 'qr'} onClick={showQr} testId="pos-show-qr">
          {t('pos.showQr')}
        </Button>
        <Field label={t('pos.authCode')} value={authCode} onInput={(v) => setAuthCode(v.replace(/\D/g, '').slice(0, 18))} inputMode="tel" testId="pos-auth-code" />
        <Button block variant="secondary" disabled={amount === undefined || authCode.length !== 18} busy={action.busy === 'charge'} onClick={charge} testId="pos-charge">
          {t('pos.charge')}
        </Button>
      </Section>
      {sale ? (
        <Section title={t('pos.sale')} testId="pos-sale">
          <div class="center">
            <p class="pay-amount">{formatMoney(intl, sale.order.amount, sale.order.currency)}</p>
            {sale.payload && open ? <QrCode value={sale.payload} label={t('pos.qrLabel')} testId="pos-qr" /> : null}
            <p data-testid="pos-status" data-status={sale.order.status}>
              <strong>{t(`pos.status.${sale.order.status}` as const)}</strong>
            </p>
            <p class="muted small mono">{sale.order.outTradeNo}</p>
            {sale.order.paidAt ? <p class="muted small">{formatDateTime(intl, sale.order.paidAt)}</p> : null}
          </div>
          {sale.order.status === 'NOTPAY' ? (
            <Button
              block
              variant="secondary"
              busy={action.busy === 'close'}
              onClick={() => void action.run('close', async () => {
                const order = await closeOrder(props.terminalKey, sale.order.outTradeNo);
                setSale({ order });
              })}
              testId="pos-close"
            >
              {t('pos.cancel')}
            </Button>
          ) : null}
        </Section>
      ) : null}
    </>
  );
}
