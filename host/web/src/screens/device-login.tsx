/**
 * @module On a signed-in device: allow or decline a CLI sign-in (`atrium login`, RFC 8628 device flow). The CLI
 * shows a code and this page's link; the person checks that the code matches, then allows it.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { decideDeviceAuthorization, viewDeviceAuthorization, type DeviceAuthorizationView } from '../api/developer.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Icon } from '../components/icons.tsx';
import { Notice } from '../components/notice.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText, formatDateTime } from '../i18n/format.ts';
import { ROUTES } from '../paths.ts';

/** Letters only, `XXXX-XXXX`, as the CLI prints it. */
function normalize(input: string): string {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '').slice(0, 8);
  return letters.length > 4 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : letters;
}

/** The `/device` screen: enter (or follow a link with) the code, see which client asks, allow or decline. */
export function DeviceLogin(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { query } = useLocation();
  const [code, setCode] = useState(normalize(query.code ?? ''));
  const [view, setView] = useState<DeviceAuthorizationView | undefined>(undefined);
  const [done, setDone] = useState<'allowed' | 'declined' | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(undefined);

  const run = async (step: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setFailure(undefined);
    try {
      await step();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  const look = (): Promise<void> => run(async () => setView(await viewDeviceAuthorization(code)));
  const decide = (allow: boolean): Promise<void> =>
    run(async () => {
      await decideDeviceAuthorization(view?.userCode ?? code, allow);
      setDone(allow ? 'allowed' : 'declined');
    });

  let body: JSX.Element;
  if (done) {
    body = (
      <div class="result" data-testid="device-login-result" data-outcome={done}>
        <div class={`result-icon${done === 'allowed' ? ' result-ok' : ''}`}>
          <Icon name={done === 'allowed' ? 'check' : 'close'} />
        </div>
        <p>{t(done === 'allowed' ? 'deviceLogin.allowed' : 'deviceLogin.declined')}</p>
        <a class="btn btn-secondary" href={ROUTES.home}>
          {t('common.backHome')}
        </a>
      </div>
    );
  } else if (view) {
    body = (
      <div class="confirm-login">
        <h2 data-testid="device-login-client">{t('deviceLogin.question', { client: view.clientName })}</h2>
        <p class="mono" data-testid="device-login-code">
          {view.userCode}
        </p>
        <p class="muted">{t('deviceLogin.expires', { time: formatDateTime(intl, view.expiresAt) })}</p>
        <Notice kind="info">{t('deviceLogin.warning')}</Notice>
        {failure ? <Notice kind="error">{errorText(i18n, failure)}</Notice> : null}
        <div class="button-stack">
          <Button onClick={() => void decide(true)} busy={busy} disabled={busy} block testId="device-login-allow">
            {t('deviceLogin.allow')}
          </Button>
          <Button variant="secondary" onClick={() => void decide(false)} disabled={busy} block testId="device-login-decline">
            {t('deviceLogin.decline')}
          </Button>
        </div>
      </div>
    );
  } else {
    body = (
      <form
        class="confirm-login"
        onSubmit={(event) => {
          event.preventDefault();
          void look();
        }}
      >
        <p>{t('deviceLogin.enterCode')}</p>
        <Field label={t('deviceLogin.codeLabel')} value={code} onInput={(value) => setCode(normalize(value))} autocomplete="off" placeholder="BCDF-GHJK" maxLength={9} testId="device-login-input" />
        {failure ? <Notice kind="error">{errorText(i18n, failure)}</Notice> : null}
        <Button type="submit" busy={busy} disabled={busy || code.length !== 9} block testId="device-login-continue">
          {t('deviceLogin.continue')}
        </Button>
      </form>
    );
  }

  return (
    <AppLayout title={t('deviceLogin.title')} back={ROUTES.home} tabs={false}>
      {body}
    </AppLayout>
  );
}
