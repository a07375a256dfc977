/** @module Edit my display name and phone number. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { updateMe as patchMe } from '../api/account.ts';
import type { Me, MeUpdate } from '../api/types.ts';
import { useI18n } from '../i18n/index.ts';
import { explainFormError, type FieldMessages, type FormFields } from '../lib/form-errors.ts';
import { checkDisplayName, checkPhone } from '../lib/validate.ts';
import { updateMe } from '../state/session.ts';
import { Button } from './button.tsx';
import { Field } from './field.tsx';
import { Notice } from './notice.tsx';

const FORM: FormFields = {
  hints: { displayName: 'field.displayName.rule', phone: 'field.phone.rule' },
  codes: { PHONE_INVALID: 'phone', PHONE_TAKEN: 'phone' },
};

/** The profile form, sending only what changed; an empty phone removes it. */
export function ProfileForm(props: { me: Me }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const [displayName, setDisplayName] = useState(props.me.displayName);
  const [phone, setPhone] = useState(props.me.phone ?? '');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldMessages>({});
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [saved, setSaved] = useState(false);

  const changes: MeUpdate = {};
  if (displayName.trim() !== props.me.displayName) changes.displayName = displayName.trim();
  if (phone.trim() !== (props.me.phone ?? '')) changes.phone = phone.trim() === '' ? null : phone.trim();
  const dirty = Object.keys(changes).length > 0;

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const nameProblem = checkDisplayName(displayName);
    const phoneProblem = checkPhone(phone);
    const local: FieldMessages = { displayName: nameProblem ? t(nameProblem) : undefined, phone: phoneProblem ? t(phoneProblem) : undefined };
    setFields(local);
    setMessage(undefined);
    setSaved(false);
    if (local.displayName || local.phone || !dirty) return;
    setBusy(true);
    try {
      const me = await patchMe(changes);
      updateMe(me);
      setPhone(me.phone ?? ''); // shown as the server normalized it (E.164)
      setDisplayName(me.displayName);
      setSaved(true);
    } catch (error) {
      const explained = explainFormError(i18n, error, FORM);
      setFields(explained.fields);
      setMessage(explained.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="profile-form">
      {saved ? (
        <Notice kind="success" testId="profile-saved">
          {t('settings.saved')}
        </Notice>
      ) : null}
      {message ? <Notice kind="error">{message}</Notice> : null}
      <Field label={t('field.displayName')} value={displayName} onInput={setDisplayName} maxLength={64} autocomplete="nickname" error={fields.displayName} testId="settings-display-name" />
      <Field
        label={t('field.phoneOptional')}
        type="tel"
        inputMode="tel"
        value={phone}
        onInput={setPhone}
        autocomplete="tel"
        placeholder="+39 06 1234 5678"
        hint={t('settings.phoneHint')}
        error={fields.phone}
        testId="settings-phone"
      />
      <Button type="submit" busy={busy} disabled={!dirty} testId="settings-save">
        {t('common.save')}
      </Button>
    </form>
  );
}
