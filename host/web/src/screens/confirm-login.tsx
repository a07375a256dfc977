/** @module On a signed-in device: confirm or refuse a sign-in that another browser asked for by QR code. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { answerLoginTicket, viewLoginTicket } from '../api/auth.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Icon } from '../components/icons.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { useI18n, type MessageId } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { ApiError } from '../api/problem.ts';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';

/** Ticket states and failures, as the person should read them. */
const OUTCOMES: Partial<Record<string, MessageId>> = {
  confirmed: 'confirmLogin.done',
  cancelled: 'confirmLogin.refused',
  expired: 'errors.TICKET_EXPIRED',
  TICKET_EXPIRED: 'errors.TICKET_EXPIRED',
  TICKET_USED: 'errors.TICKET_USED',
  TICKET_CANCELLED: 'errors.TICKET_CANCELLED',
  TICKET_NOT_FOUND: 'errors.TICKET_NOT_FOUND',
  VALIDATION_FAILED: 'errors.TICKET_NOT_FOUND',
};

/** The confirm-login screen for `/l/:ticketId`. */
export function ConfirmLogin(props: { ticketId?: string; params?: { ticketId?: string } }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const ticketId = props.params?.ticketId ?? props.ticketId ?? '';
  const ticket = useResource(() => viewLoginTicket(ticketId), [ticketId]);
  const [answered, setAnswered] = useState<'confirmed' | 'cancelled' | undefined>(undefined);
  const [busy, setBusy] = useState<'confirm' | 'cancel' | undefined>(undefined);
  const [failure, setFailure] = useState<unknown>(undefined);

  const answer = async (verb: 'confirm' | 'cancel'): Promise<void> => {
    setBusy(verb);
    setFailure(undefined);
    try {
      await answerLoginTicket(ticketId, verb);
      setAnswered(verb === 'confirm' ? 'confirmed' : 'cancelled');
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(undefined);
    }
  };

  const loadCode = ticket.error instanceof ApiError ? ticket.error.code : undefined;
  const failureCode = failure instanceof ApiError ? failure.code : undefined;
  const finalState = answered ?? (ticket.data && ['confirmed', 'cancelled', 'expired'].includes(ticket.data.status) ? ticket.data.status : undefined);
  const outcome = OUTCOMES[finalState ?? failureCode ?? loadCode ?? ''];

  let body: JSX.Element;
  if (ticket.loading && !ticket.data) body = <Loading />;
  else if (outcome || (ticket.error && !ticket.data)) {
    const done = finalState === 'confirmed';
    body = (
      <div class="result" data-testid="confirm-login-result" data-outcome={finalState ?? failureCode ?? loadCode}>
        <div class={`result-icon${done ? ' result-ok' : ''}`}>
          <Icon name={done ? 'check' : 'close'} />
        </div>
        <p>{outcome ? t(outcome) : errorText(i18n, ticket.error)}</p>
        <a class="btn btn-secondary" href={ROUTES.home}>
          {t('common.backHome')}
        </a>
      </div>
    );
  } else {
    const view = ticket.data;
    body = (
      <div class="confirm-login">
        <div class="confirm-device">
          <Icon name="devices" />
        </div>
        <h2 data-testid="confirm-login-device">{t('confirmLogin.question', { device: view?.requester.deviceName ?? '' })}</h2>
        {view ? <p class="muted">{t('confirmLogin.requestedAt', { time: formatDateTime(intl, view.createdAt) })}</p> : null}
        <Notice kind="info">{t('confirmLogin.warning')}</Notice>
        {failure ? <Notice kind="error">{errorText(i18n, failure)}</Notice> : null}
        <div class="button-stack">
          <Button onClick={() => void answer('confirm')} busy={busy === 'confirm'} disabled={busy !== undefined} block testId="confirm-login">
            {t('confirmLogin.confirm')}
          </Button>
          <Button variant="secondary" onClick={() => void answer('cancel')} busy={busy === 'cancel'} disabled={busy !== undefined} block testId="cancel-login">
            {t('confirmLogin.cancel')}
          </Button>
        </div>
      </div>
    );
  }

  return (
    <AppLayout title={t('confirmLogin.title')} back={ROUTES.home} tabs={false}>
      {body}
    </AppLayout>
  );
}
