/** @module Me: profile, language, devices, the review queue for platform reviewers, and signing out. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listReviewQueue } from '../api/developer.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Avatar } from '../components/avatar.tsx';
import { Button } from '../components/button.tsx';
import { Icon } from '../components/icons.tsx';
import { LocaleSelect } from '../components/locale-select.tsx';
import { ProfileForm } from '../components/profile-form.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { useAction } from '../lib/use-action.ts';
import { ROUTES } from '../paths.ts';
import { signOut, useMe } from '../state/session.ts';

/** The settings ("Me") screen. */
export function Settings(): JSX.Element {
  const { t } = useI18n();
  const me = useMe();
  const action = useAction();
  // Platform reviewers get a link to the review queue (others are refused it: no link).
  const [waiting, setWaiting] = useState<number | undefined>(undefined);
  useEffect(() => {
    let live = true;
    listReviewQueue().then(
      (items) => live && setWaiting(items.length),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, []);
  if (!me) return <AppLayout title={t('settings.title')}>{null}</AppLayout>;

  return (
    <AppLayout title={t('settings.title')}>
      <div class="profile">
        <Avatar id={me.id} name={me.displayName} large />
        <div>
          <h2 data-testid="settings-name">{me.displayName}</h2>
          <p class="muted">@{me.handle}</p>
        </div>
      </div>

      <Section title={t('settings.profile')}>
        <ProfileForm key={me.id} me={me} />
      </Section>

      <Section title={t('settings.language')}>
        <div class="setting-line">
          <Icon name="globe" />
          <span>{t('settings.languageHint')}</span>
          <LocaleSelect inline />
        </div>
      </Section>

      <Section flush>
        <a class="row row-link" href={ROUTES.devices} data-testid="settings-devices">
          <span class="row-leading row-icon">
            <Icon name="devices" />
          </span>
          <span class="row-text row-title">{t('settings.devices')}</span>
          <Icon name="chevron" class="row-chevron" />
        </a>
        <a class="row row-link" href={ROUTES.devices}>
          <span class="row-leading row-icon">
            <Icon name="lock" />
          </span>
          <span class="row-text row-title">{t('settings.password')}</span>
          <Icon name="chevron" class="row-chevron" />
        </a>
        {waiting !== undefined ? (
          <a class="row row-link" href={ROUTES.review} data-testid="settings-review">
            <span class="row-leading row-icon">
              <Icon name="check" />
            </span>
            <span class="row-text row-title">{t('settings.review')}</span>
            {waiting > 0 ? <span class="badge">{waiting}</span> : null}
            <Icon name="chevron" class="row-chevron" />
          </a>
        ) : null}
      </Section>

      <div class="signout-area">
        <Button variant="danger" icon="signout" block busy={action.busy === 'signout'} onClick={() => void action.run('signout', signOut)} testId="signout">
          {t('common.signOut')}
        </Button>
      </div>
    </AppLayout>
  );
}
