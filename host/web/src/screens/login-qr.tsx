/** @module Log in by scanning: a QR code that Atrium on a signed-in phone scans and confirms. */
import type { JSX } from 'preact';
import { useLocation } from 'preact-iso/router';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Icon } from '../components/icons.tsx';
import { Notice } from '../components/notice.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { ROUTES } from '../paths.ts';
import { useLoginTicket } from '../state/login-ticket.ts';

/** The scan-to-login screen (also the signed-out start page). */
export function LoginQr(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { query } = useLocation();
  const { ticket, status, notice, error } = useLoginTicket();
  const keepNext = query.next ? `?next=${encodeURIComponent(query.next)}` : '';

  return (
    <AuthLayout
      title={t('loginQr.title')}
      subtitle={t('loginQr.subtitle')}
      footer={
        <>
          <a href={`${ROUTES.signIn}${keepNext}`} data-testid="login-qr-password">
            {t('loginQr.withPassword')}
          </a>
          <span>
            {t('signin.noAccount')} <a href={`${ROUTES.signUp}${keepNext}`}>{t('signin.toSignUp')}</a>
          </span>
        </>
      }
    >
      {notice === 'cancelled' ? <Notice kind="info">{t('loginQr.cancelled')}</Notice> : null}
      {error ? <Notice kind="error">{status === 'failing' ? errorText(i18n, error) : t('loginQr.reconnecting')}</Notice> : null}
      <div class="login-qr">
        {ticket ? (
          <QrCode
            value={ticket.url}
            label={t('loginQr.codeLabel')}
            testId="login-qr"
            overlay={
              status === 'scanned' ? (
                <span class="qr-check">
                  <Icon name="check" />
                </span>
              ) : undefined
            }
          />
        ) : (
          <div class="qr">
            <div class="qr-placeholder" aria-busy="true" />
          </div>
        )}
        <p class="login-qr-status" role="status" aria-live="polite" data-testid="login-qr-status" data-status={status}>
          {status === 'scanned' ? t('loginQr.scanned') : t('loginQr.refreshes')}
        </p>
      </div>
      <ol class="steps">
        <li>{t('loginQr.step1')}</li>
        <li>{t('loginQr.step2')}</li>
        <li>{t('loginQr.step3')}</li>
      </ol>
      {ticket ? (
        <p class="login-qr-link">
          {t('loginQr.orOpen')}{' '}
          <a href={ticket.url} data-testid="login-qr-link" class="mono" target="_blank" rel="noopener noreferrer">
            {ticket.url}
          </a>
        </p>
      ) : null}
    </AuthLayout>
  );
}
