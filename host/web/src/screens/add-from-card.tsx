/** @module Add from a scanned card (`/c/:cardCode`): who it belongs to, and a contact request to them. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { personByCard } from '../api/account.ts';
import { sendRequest } from '../api/contacts.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Avatar } from '../components/avatar.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';
import { useMe } from '../state/session.ts';

/** The add-from-card screen. */
export function AddFromCard(props: { cardCode?: string; params?: { cardCode?: string } }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const cardCode = props.params?.cardCode ?? props.cardCode ?? '';
  const person = useResource(() => personByCard(cardCode), [cardCode]);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);

  const send = async (): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    try {
      await sendRequest({ cardCode }, message.trim());
      setSent(true);
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  let body: JSX.Element;
  if (person.loading && !person.data) body = <Loading />;
  else if (!person.data) body = <Notice kind="error" testId="card-error">{errorText(i18n, person.error)}</Notice>;
  else {
    const own = person.data.id === me?.id;
    body = (
      <div class="person-card" data-testid="card-person" data-handle={person.data.handle}>
        <Avatar id={person.data.id} name={person.data.displayName} large />
        <h2>{person.data.displayName}</h2>
        <p class="muted">@{person.data.handle}</p>
        {own ? (
          <Notice kind="info">{t('addFromCard.own')}</Notice>
        ) : sent ? (
          <Notice kind="success" testId="card-request-sent">
            {t('addFromCard.sent', { name: person.data.displayName })}
          </Notice>
        ) : (
          <>
            <Field label={t('contacts.addMessage')} value={message} onInput={setMessage} maxLength={200} placeholder={t('contacts.addMessagePlaceholder')} multiline testId="card-message" />
            {failure ? <Notice kind="error">{errorText(i18n, failure)}</Notice> : null}
            <Button icon="person-add" onClick={() => void send()} busy={busy} block testId="send-contact-request">
              {t('addFromCard.send')}
            </Button>
          </>
        )}
        <a class="btn btn-ghost" href={ROUTES.contacts}>
          {t('addFromCard.toContacts')}
        </a>
      </div>
    );
  }

  return (
    <AppLayout title={t('addFromCard.title')} back={ROUTES.contacts}>
      {body}
    </AppLayout>
  );
}
