/** @module Create an account: handle, display name, password and an optional phone number. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { signUp } from '../api/auth.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Notice } from '../components/notice.tsx';
import { useI18n } from '../i18n/index.ts';
import { explainFormError, type FieldMessages, type FormFields } from '../lib/form-errors.ts';
import { checkDisplayName, checkHandle, checkNewPassword, checkPhone } from '../lib/validate.ts';
import { ROUTES } from '../paths.ts';
import { adoptSession } from '../state/session.ts';

const FORM: FormFields = {
  hints: { handle: 'field.handle.rule', displayName: 'field.displayName.rule', password: 'field.password.rule', phone: 'field.phone.rule' },
  codes: { HANDLE_TAKEN: 'handle', PHONE_INVALID: 'phone', PHONE_TAKEN: 'phone' },
};

/** The sign-up screen; the new account is signed in on this browser at once. */
export function SignUp(): JSX.Element {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { query } = useLocation();
  const [form, setForm] = useState({ handle: '', displayName: '', password: '', phone: '' });
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldMessages>({});
  const [message, setMessage] = useState<string | undefined>(undefined);
  const edit = (key: keyof typeof form) => (value: string) => setForm((previous) => ({ ...previous, [key]: value }));

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const problems = {
      handle: checkHandle(form.handle.trim()),
      displayName: checkDisplayName(form.displayName),
      password: checkNewPassword(form.password),
      phone: checkPhone(form.phone),
    };
    const local: FieldMessages = Object.fromEntries(Object.entries(problems).map(([key, id]) => [key, id ? t(id) : undefined]));
    setFields(local);
    setMessage(undefined);
    if (Object.values(local).some(Boolean)) return;
    setBusy(true);
    try {
      const phone = form.phone.trim();
      const session = await signUp({
        handle: form.handle.trim(),
        displayName: form.displayName.trim(),
        password: form.password,
        locale,
        ...(phone ? { phone } : {}),
      });
      adoptSession(session);
    } catch (error) {
      const explained = explainFormError(i18n, error, FORM);
      setFields(explained.fields);
      setMessage(explained.message);
    } finally {
      setBusy(false);
    }
  };

  const keepNext = query.next ? `?next=${encodeURIComponent(query.next)}` : '';
  return (
    <AuthLayout
      title={t('signup.title')}
      subtitle={t('signup.subtitle')}
      footer={
        <span>
          {t('signup.haveAccount')} <a href={`${ROUTES.signIn}${keepNext}`}>{t('signup.toSignIn')}</a>
        </span>
      }
    >
      <form onSubmit={submit} noValidate>
        {message ? (
          <Notice kind="error" testId="signup-error">
            {message}
          </Notice>
        ) : null}
        <Field
          label={t('field.handle')}
          value={form.handle}
          onInput={edit('handle')}
          name="username"
          autocomplete="username"
          hint={t('field.handle.rule')}
          error={fields.handle}
          maxLength={32}
          testId="signup-handle"
          autoFocus
        />
        <Field
          label={t('field.displayName')}
          value={form.displayName}
          onInput={edit('displayName')}
          name="name"
          autocomplete="nickname"
          error={fields.displayName}
          maxLength={64}
          testId="signup-display-name"
        />
        <Field
          label={t('field.password')}
          type="password"
          value={form.password}
          onInput={edit('password')}
          name="new-password"
          autocomplete="new-password"
          hint={t('field.password.rule')}
          error={fields.password}
          testId="signup-password"
        />
        <Field
          label={t('field.phoneOptional')}
          type="tel"
          value={form.phone}
          onInput={edit('phone')}
          name="tel"
          autocomplete="tel"
          inputMode="tel"
          placeholder="+39 06 1234 5678"
          hint={t('field.phone.hint')}
          error={fields.phone}
          testId="signup-phone"
        />
        <Button type="submit" busy={busy} block testId="signup-submit">
          {t('signup.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
