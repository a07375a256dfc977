/**
 * @module Payment code: the one-use code a merchant's scanner reads (digits, barcode and QR code), computed on
 * this device from its enrolled secret — so it works offline — and replaced every minute, at once after it is
 * used (when online), or on request. Payments above the confirmation limit wait here for my PIN.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, NETWORK_ERROR } from '../api/problem.ts';
import { confirmPending, paymentCodeStatus, pendingConfirmations, type PayerOrder } from '../api/wallet.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Barcode } from '../components/barcode.tsx';
import { Button } from '../components/button.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PinField } from '../components/pin-field.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { CODE_PERIOD_MS, CODES_PER_PERIOD, computeCode, enroll, loadEnrollment, unenroll, type PaymentCodeEnrollment } from '../lib/payment-code.ts';
import { formatMoney, payErrorText } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';
import { realtimeLive, useWalletUpdates } from '../realtime/connection.ts';
import { useSession } from '../state/session.ts';

/** `131234567890123456` → `13 1234 5678 9012 3456`, easier to read out. */
function grouped(code: string): string {
  return `${code.slice(0, 2)} ${code.slice(2).replace(/(\d{4})(?=\d)/g, '$1 ')}`;
}

const offline = (error: unknown): boolean => error instanceof ApiError && error.code === NETWORK_ERROR;

/** The payment code screen. */
export function PaymentCode(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const who = session.status === 'signed-in' ? { userId: session.me.id, deviceId: session.device.id } : undefined;
  // undefined: still reading this device's storage; null: not enrolled here.
  const [enrollment, setEnrollment] = useState<PaymentCodeEnrollment | null | undefined>(undefined);
  const [storageError, setStorageError] = useState<unknown>(undefined);
  useEffect(() => {
    if (!who) return;
    loadEnrollment(who.userId, who.deviceId).then((found) => setEnrollment(found ?? null), (error: unknown) => setStorageError(error));
  }, [who?.userId, who?.deviceId]);

  // A charge of this code (and a payment waiting for my confirmation) arrives as wallet.update on the socket;
  // the 3 s poll is the fallback while the socket is down (or the network, which also shows the offline note).
  const status = useResource((signal) => paymentCodeStatus(signal), [], { refreshMs: 3_000, pauseWhile: realtimeLive });
  const pending = useResource((signal) => pendingConfirmations(signal), [], { refreshMs: 3_000, pauseWhile: realtimeLive });
  useWalletUpdates(() => {
    void status.reload();
    void pending.reload();
  });
  // Turned off on the host (another enrollment of this device, or revoked): this device's key is dead.
  const stale = enrollment && status.data && (!status.data.enabled || status.data.deviceNumber !== enrollment.deviceNumber);
  const action = useAction();

  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  const step = Math.floor(now / CODE_PERIOD_MS);
  // The counter digit: past every code of this minute that the host saw used, or that I skipped.
  const [skipped, setSkipped] = useState<{ step: number; counter: number }>({ step, counter: 0 });
  const usedHere = (status.data?.used ?? []).filter((u) => u.step === step).map((u) => u.counter + 1);
  const counter = Math.min(CODES_PER_PERIOD - 1, Math.max(skipped.step === step ? skipped.counter : 0, ...usedHere));
  const exhausted = usedHere.some((c) => c >= CODES_PER_PERIOD);

  const [code, setCode] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!enrollment || stale) return setCode(undefined);
    let live = true;
    computeCode(enrollment, step, counter).then((c) => live && setCode(c), (error: unknown) => live && setStorageError(error));
    return () => {
      live = false;
    };
  }, [enrollment, stale, step, counter]);

  const seconds = Math.max(0, Math.ceil(((step + 1) * CODE_PERIOD_MS - now) / 1000));
  const enable = (): void => {
    if (!who) return;
    void action.run('enable', async () => {
      setEnrollment(await enroll(who.userId, who.deviceId));
      await status.reload();
    });
  };
  return (
    <AppLayout title={t('paycode.title')} back={ROUTES.wallet}>
      {(pending.data ?? []).map((order) => (
        <PendingPayment key={order.id} order={order} onDone={() => void Promise.all([pending.reload(), status.reload()])} />
      ))}
      <Section testId="payment-code">
        {enrollment === undefined && !storageError ? <Loading /> : null}
        {storageError ? <Notice kind="error">{t('paycode.storage')}</Notice> : null}
        {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
        {enrollment === null || stale ? (
          <>
            <p class="muted">{t('paycode.off')}</p>
            <Button block busy={action.busy === 'enable'} onClick={enable} testId="paycode-enable">
              {t('paycode.enable')}
            </Button>
          </>
        ) : null}
        {enrollment && !stale && code ? (
          <div class="center">
            <p class="paycode-digits mono" data-testid="paycode-digits" data-code={code}>
              {grouped(code)}
            </p>
            <Barcode value={code} label={t('paycode.barcodeLabel')} testId="paycode-barcode" />
            <QrCode value={code} label={t('paycode.qrLabel')} testId="paycode-qr" />
            <p class="muted small" data-testid="paycode-countdown">
              {t('paycode.refreshes', { seconds })}
            </p>
            {offline(status.error) ? (
              <p class="muted small" data-testid="paycode-offline">
                {t('paycode.offline')}
              </p>
            ) : null}
            {exhausted ? <p class="muted small">{t('paycode.exhausted')}</p> : null}
            <p class="muted small">{t('paycode.note')}</p>
            <div class="row-actions">
              <Button small variant="secondary" disabled={counter >= CODES_PER_PERIOD - 1} onClick={() => setSkipped({ step, counter: counter + 1 })} testId="paycode-new">
                {t('paycode.newCode')}
              </Button>
              <Button
                small
                variant="secondary"
                busy={action.busy === 'off'}
                onClick={() => void action.run('off', async () => {
                  await unenroll(enrollment.deviceId);
                  setEnrollment(null);
                  await status.reload();
                })}
                testId="paycode-turn-off"
              >
                {t('paycode.turnOff')}
              </Button>
            </div>
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
