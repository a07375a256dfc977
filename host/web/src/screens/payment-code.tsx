/**
 * @module Payment code: the one-use code a merchant's scanner reads (digits and QR code), replaced every
 * minute and at once after it is used; payments above the confirmation limit wait here for my PIN.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { hasCode } from '../api/problem.ts';
import { confirmPending, enablePaymentCode, getPaymentCode, pendingConfirmations, type PayerOrder } from '../api/wallet.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PinField } from '../components/pin-field.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { formatMoney, payErrorText } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';

/** `181234567890123456` → `18 1234 5678 9012 3456`, easier to read out. */
function grouped(code: string): string {
  return `${code.slice(0, 2)} ${code.slice(2).replace(/(\d{4})(?=\d)/g, '$1 ')}`;
}

/** The payment code screen. */
export function PaymentCode(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const code = useResource((signal) => getPaymentCode(signal), [], { refreshMs: 60_000 });
  const pending = useResource((signal) => pendingConfirmations(signal), [], { refreshMs: 3_000 });
  const action = useAction();
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  // A new code as soon as this one expires (not only on the minute timer).
  const expiresAt = code.data?.expiresAt;
  useEffect(() => {
    if (expiresAt === undefined) return;
    const timer = setTimeout(() => void code.reload(), Math.max(500, expiresAt - Date.now() + 250));
    return () => clearTimeout(timer);
  }, [expiresAt]);

  const off = hasCode(code.error, 'PAYMENT_CODE_NO_SECRET');
  const seconds = expiresAt === undefined ? 0 : Math.max(0, Math.ceil((expiresAt - now) / 1000));
  return (
    <AppLayout title={t('paycode.title')} back={ROUTES.wallet}>
      {(pending.data ?? []).map((order) => (
        <PendingPayment key={order.id} order={order} onDone={() => void Promise.all([pending.reload(), code.reload()])} />
      ))}
      <Section testId="payment-code">
        {code.loading && !code.data && !code.error ? <Loading /> : null}
        {off ? (
          <>
            <p class="muted">{t('paycode.off')}</p>
            {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
            <Button
              block
              busy={action.busy === 'enable'}
              onClick={() => void action.run('enable', async () => {
                await enablePaymentCode();
                await code.reload();
              })}
              testId="paycode-enable"
            >
              {t('paycode.enable')}
            </Button>
          </>
        ) : null}
        {code.error && !off && !code.data ? <Notice kind="error">{errorText(i18n, code.error)}</Notice> : null}
        {code.data && !off ? (
          <div class="center">
            <p class="paycode-digits mono" data-testid="paycode-digits" data-code={code.data.code}>
              {grouped(code.data.code)}
            </p>
            <QrCode value={code.data.code} label={t('paycode.qrLabel')} testId="paycode-qr" />
            <p class="muted small" data-testid="paycode-countdown">
              {t('paycode.refreshes', { seconds })}
            </p>
            <p class="muted small">{t('paycode.note')}</p>
          </div>
        ) : null}
      </Section>
    </AppLayout>
  );
}

function PendingPayment(props: { order: PayerOrder; onDone: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const [pin, setPin] = useState('');
  const action = useAction();
  const { order } = props;
  return (
    <Section title={t('paycode.confirmTitle')} testId="paycode-pending">
      <p>
        <strong>{order.merchantName}</strong> · <span data-testid="paycode-pending-amount">{formatMoney(intl, order.amount, order.currency)}</span>
      </p>
      {action.error ? <Notice kind="error">{payErrorText(i18n, action.error)}</Notice> : null}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void action.run('confirm', () => confirmPending(order.id, pin)).then((ok) => {
            setPin('');
            if (ok) props.onDone();
          });
        }}
      >
        <PinField label={t('pay.pin')} value={pin} onInput={setPin} testId="paycode-pin" />
        <Button type="submit" block disabled={pin.length !== 6} busy={action.busy === 'confirm'} testId="paycode-confirm">
          {t('paycode.confirm')}
        </Button>
      </form>
    </Section>
  );
}
