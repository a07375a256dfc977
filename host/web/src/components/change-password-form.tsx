/** @module Change the password; the answer says how many other devices were signed out. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { changePassword } from '../api/auth.ts';
import { useI18n } from '../i18n/index.ts';
import { explainFormError, type FieldMessages, type FormFields } from '../lib/form-errors.ts';
import { checkNewPassword } from '../lib/validate.ts';
import { Button } from './button.tsx';
import { Field } from './field.tsx';
import { Notice } from './notice.tsx';

const FORM: FormFields = {
  hints: { currentPassword: 'field.password.required', newPassword: 'field.password.rule' },
  codes: { AUTH_PASSWORD_WRONG: 'currentPassword' },
};

/** The change-password form; `onChanged` runs after success (the devices list changed). */
export function ChangePasswordForm(props: { onChanged: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldMessages>({});
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [revoked, setRevoked] = useState<number | undefined>(undefined);

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const problem = checkNewPassword(next);
    const local: FieldMessages = { currentPassword: current ? undefined : t('field.password.required'), newPassword: problem ? t(problem) : undefined };
    setFields(local);
    setMessage(undefined);
    setRevoked(undefined);
    if (local.currentPassword || local.newPassword) return;
    setBusy(true);
    try {
      const result = await changePassword(current, next);
      setRevoked(result.revokedDevices);
      setCurrent('');
      setNext('');
      props.onChanged();
    } catch (error) {
      const explained = explainFormError(i18n, error, FORM);
      setFields(explained.fields);
      setMessage(explained.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate data-testid="change-password">
      {revoked !== undefined ? (
        <Notice kind="success" testId="password-changed">
          {t('password.changed', { count: revoked })}
        </Notice>
      ) : null}
      {message ? <Notice kind="error">{message}</Notice> : null}
      <Field label={t('password.current')} type="password" value={current} onInput={setCurrent} autocomplete="current-password" error={fields.currentPassword} testId="password-current" />
      <Field label={t('password.new')} type="password" value={next} onInput={setNext} autocomplete="new-password" hint={t('field.password.rule')} error={fields.newPassword} testId="password-new" />
      <Button type="submit" variant="secondary" busy={busy} testId="password-submit">
        {t('password.submit')}
      </Button>
    </form>
  );
}
