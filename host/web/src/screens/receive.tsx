/**
 * @module Receive: my receive code as a QR code (the payer scans it and enters the amount), and replacing it.
 */
import type { JSX } from 'preact';
import { getReceiveCode, resetReceiveCode } from '../api/wallet.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';

/** The receive screen. */
export function Receive(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const code = useResource(() => getReceiveCode(), []);
  const action = useAction();
  return (
    <AppLayout title={t('receive.title')} back={ROUTES.wallet}>
      <Section testId="receive">
        {code.loading && !code.data ? <Loading /> : null}
        {code.error && !code.data ? <Notice kind="error">{errorText(i18n, code.error)}</Notice> : null}
        {code.data ? (
          <div class="center">
            <QrCode value={code.data.url} label={t('receive.qrLabel')} testId="receive-qr" />
            <p class="muted">{t('receive.note')}</p>
            <p class="mono small" data-testid="receive-link">
              {code.data.url}
            </p>
          </div>
        ) : null}
        {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
        <ConfirmButton
          onConfirm={() => void action.run('reset', async () => {
            await resetReceiveCode();
            await code.reload();
          })}
          busy={action.busy === 'reset'}
          testId="receive-reset"
        >
          {t('receive.reset')}
        </ConfirmButton>
      </Section>
    </AppLayout>
  );
}
