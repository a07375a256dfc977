/** @module Sign in with handle and password. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { signIn } from '../api/auth.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Notice } from '../components/notice.tsx';
import { useI18n } from '../i18n/index.ts';
import { explainFormError, type FieldMessages } from '../lib/form-errors.ts';
import { checkHandle } from '../lib/validate.ts';
import { ROUTES } from '../paths.ts';
import { adoptSession } from '../state/session.ts';

const FORM = { hints: { handle: 'field.handle.rule', password: 'field.password.required' } } as const;

/** The sign-in screen; afterwards the router continues to `?next=` or home. */
export function SignIn(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { query } = useLocation();
  const [handle, setHandle] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState<FieldMessages>({});
  const [message, setMessage] = useState<string | undefined>(undefined);
  const keepNext = query.next ? `?next=${encodeURIComponent(query.next)}` : '';

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    const handleProblem = checkHandle(handle.trim());
    const local: FieldMessages = {
      handle: handleProblem ? t(handleProblem) : undefined,
      password: password ? undefined : t('field.password.required'),
    };
    setFields(local);
    setMessage(undefined);
    if (local.handle || local.password) return;
    setBusy(true);
    try {
      adoptSession(await signIn(handle.trim(), password));
    } catch (error) {
      const explained = explainFormError(i18n, error, FORM);
      setFields(explained.fields);
      setMessage(explained.message);
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthLayout
      title={t('signin.title')}
      subtitle={t('signin.subtitle')}
      footer={
        <>
          <a href={`${ROUTES.loginQr}${keepNext}`} data-testid="signin-qr-link">
            {t('signin.withQr')}
          </a>
          <span>
            {t('signin.noAccount')} <a href={`${ROUTES.signUp}${keepNext}`}>{t('signin.toSignUp')}</a>
          </span>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        {message ? (
          <Notice kind="error" testId="signin-error">
            {message}
          </Notice>
        ) : null}
        <Field label={t('field.handle')} value={handle} onInput={setHandle} name="username" autocomplete="username" error={fields.handle} testId="signin-handle" autoFocus />
        <Field
          label={t('field.password')}
          type="password"
          value={password}
          onInput={setPassword}
          name="password"
          autocomplete="current-password"
          error={fields.password}
          testId="signin-password"
        />
        <Button type="submit" busy={busy} block testId="signin-submit">
          {t('signin.submit')}
        </Button>
      </form>
    </AuthLayout>
  );
}
