/** @module The frame of the signed-out screens: brand, language switch, one card of content. */
import type { ComponentChildren, JSX } from 'preact';
import { useI18n } from '../i18n/index.ts';
import { ROUTES } from '../paths.ts';
import { useSession } from '../state/session.ts';
import { LocaleSelect } from './locale-select.tsx';
import { Logo } from './logo.tsx';
import { Notice } from './notice.tsx';
import { useTitle } from './use-title.ts';

/** Props of {@link AuthLayout}. */
export interface AuthLayoutProps {
  title: string;
  subtitle?: string;
  children: ComponentChildren;
  /** Links under the card ("No account? Sign up"). */
  footer?: ComponentChildren;
}

/** A centred card under the Atrium brand, with the language switch in the corner. */
export function AuthLayout(props: AuthLayoutProps): JSX.Element {
  useTitle(props.title);
  const session = useSession();
  const { t } = useI18n();
  const revoked = session.status === 'signed-out' && session.reason === 'revoked';
  return (
    <div class="auth">
      <header class="auth-top">
        <a class="brand" href={ROUTES.loginQr}>
          <Logo size={32} />
          <span>Atrium</span>
        </a>
        <LocaleSelect />
      </header>
      <main class="auth-card">
        {revoked ? (
          <Notice kind="info" testId="signed-out-notice">
            {t('session.revoked')}
          </Notice>
        ) : null}
        <h1>{props.title}</h1>
        {props.subtitle ? <p class="subtitle">{props.subtitle}</p> : null}
        {props.children}
      </main>
      {props.footer ? <footer class="auth-foot">{props.footer}</footer> : null}
    </div>
  );
}
