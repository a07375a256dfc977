/** @module Ask someone to be a contact by their handle, with an optional message. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { sendRequest } from '../api/contacts.ts';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { checkHandle } from '../lib/validate.ts';
import { Button } from './button.tsx';
import { Field } from './field.tsx';
import { Notice } from './notice.tsx';

/** The add-by-handle form; `onSent` runs after the server accepted the request. */
export function AddContactForm(props: { onSent: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const [handle, setHandle] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [sentTo, setSentTo] = useState<string | undefined>(undefined);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const wanted = handle.trim().replace(/^@/, '');
    const invalid = checkHandle(wanted);
    setSentTo(undefined);
    if (invalid) return setProblem(t(invalid));
    setBusy(true);
    setProblem(undefined);
    try {
      await sendRequest({ handle: wanted }, message.trim());
      setSentTo(wanted);
      setHandle('');
      setMessage('');
      props.onSent();
    } catch (error) {
      setProblem(errorText(i18n, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="add-contact" onSubmit={submit} noValidate>
      <Field label={t('contacts.addHandle')} value={handle} onInput={setHandle} placeholder={t('contacts.addHandlePlaceholder')} error={problem} testId="add-contact-handle" />
      <Field label={t('contacts.addMessage')} value={message} onInput={setMessage} maxLength={200} placeholder={t('contacts.addMessagePlaceholder')} testId="add-contact-message" multiline />
      {sentTo ? (
        <Notice kind="success" testId="add-contact-sent">
          {t('contacts.sent', { handle: sentTo })}
        </Notice>
      ) : null}
      <Button type="submit" icon="person-add" busy={busy} testId="add-contact-submit">
        {t('contacts.send')}
      </Button>
    </form>
  );
}
