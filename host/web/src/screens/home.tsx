/** @module Home: who I am, my "add me" QR card, my mini-apps, and the way to everything else. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { getCard, resetCard } from '../api/account.ts';
import type { Card } from '../api/types.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Avatar } from '../components/avatar.tsx';
import { Button } from '../components/button.tsx';
import { Icon, type IconName } from '../components/icons.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { Section } from '../components/section.tsx';
import { useI18n, type MessageId } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { MiniAppList } from '../miniapp/app-list.tsx';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';
import { useMe } from '../state/session.ts';

const SHORTCUTS: Array<{ href: string; icon: IconName; label: MessageId }> = [
  { href: ROUTES.wallet, icon: 'wallet', label: 'home.wallet' },
  { href: ROUTES.scan, icon: 'scan', label: 'home.scan' },
  { href: ROUTES.contacts, icon: 'contacts', label: 'home.contacts' },
  { href: ROUTES.devices, icon: 'devices', label: 'home.devices' },
];

/** The home screen. */
export function Home(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const me = useMe();
  const card = useResource(() => getCard(), []);
  const [fresh, setFresh] = useState<Card | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const [resetting, setResetting] = useState(false);
  const [resetError, setResetError] = useState<unknown>(undefined);
  const shown = fresh ?? card.data;

  const reset = async (): Promise<void> => {
    setResetting(true);
    setResetError(undefined);
    try {
      setFresh(await resetCard());
      setConfirming(false);
    } catch (error) {
      setResetError(error);
    } finally {
      setResetting(false);
    }
  };

  return (
    <AppLayout title={t('home.title')}>
      {me ? (
        <div class="profile">
          <Avatar id={me.id} name={me.displayName} large />
          <div>
            <h2 data-testid="home-display-name">{me.displayName}</h2>
            <p class="muted" data-testid="home-handle">
              @{me.handle}
            </p>
          </div>
        </div>
      ) : null}

      <Section title={t('home.card')} testId="my-card">
        <div class="my-card">
          {shown ? <QrCode value={shown.url} label={t('home.cardLabel')} testId="my-card-qr" /> : card.error ? null : <Loading />}
          {card.error && !shown ? <Notice kind="error">{errorText(i18n, card.error)}</Notice> : null}
          <p class="muted center">{t('home.cardHint')}</p>
          {shown ? (
            <p class="mono small center" data-testid="my-card-link">
              {shown.url}
            </p>
          ) : null}
          {resetError ? <Notice kind="error">{errorText(i18n, resetError)}</Notice> : null}
          {confirming ? (
            <div class="confirm-inline">
              <p>{t('home.resetConfirm')}</p>
              <div class="button-row">
                <Button variant="secondary" small onClick={() => setConfirming(false)} disabled={resetting}>
                  {t('common.cancel')}
                </Button>
                <Button variant="danger" small onClick={() => void reset()} busy={resetting} testId="reset-card-confirm">
                  {t('home.resetCard')}
                </Button>
              </div>
            </div>
          ) : (
            <Button variant="ghost" small icon="refresh" onClick={() => setConfirming(true)} disabled={!shown} testId="reset-card">
              {t('home.resetCard')}
            </Button>
          )}
        </div>
      </Section>

      <MiniAppList />

      <Section flush>
        {SHORTCUTS.map((item) => (
          <a key={item.href} class="row row-link" href={item.href}>
            <span class="row-leading row-icon">
              <Icon name={item.icon} />
            </span>
            <span class="row-text row-title">{t(item.label)}</span>
            <Icon name="chevron" class="row-chevron" />
          </a>
        ))}
      </Section>
    </AppLayout>
  );
}
