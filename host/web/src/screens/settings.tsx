/** @module Me: profile, language, devices, and signing out. */
import type { JSX } from 'preact';
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
      </Section>

      <div class="signout-area">
        <Button variant="danger" icon="signout" block busy={action.busy === 'signout'} onClick={() => void action.run('signout', signOut)} testId="signout">
          {t('common.signOut')}
        </Button>
      </div>
    </AppLayout>
  );
}
