/** @module Devices: where I am signed in (rename, sign out others), my password, and signing out here. */
import type { JSX } from 'preact';
import { listDevices, renameDevice, revokeDevice } from '../api/account.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { ChangePasswordForm } from '../components/change-password-form.tsx';
import { DeviceRow } from '../components/device-row.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';
import { signOut } from '../state/session.ts';

/** The devices screen; this device first, then the most recently seen. */
export function Devices(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const devices = useResource(() => listDevices(), [], { refreshMs: 15_000 });
  const action = useAction();
  const sorted = [...(devices.data ?? [])].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt);

  return (
    <AppLayout title={t('devices.title')} back={ROUTES.settings}>
      {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
      <Section title={t('devices.list')} count={sorted.length} flush testId="devices">
        {devices.loading && !devices.data ? <Loading /> : null}
        {devices.error && !devices.data ? <Notice kind="error">{errorText(i18n, devices.error)}</Notice> : null}
        {sorted.map((device) => (
          <DeviceRow
            key={device.id}
            device={device}
            busy={action.busy}
            onRename={async (name) => {
              const ok = await action.run(`rename:${device.id}`, () => renameDevice(device.id, name));
              if (ok) await devices.reload();
              return ok;
            }}
            onRevoke={() => void action.run(`revoke:${device.id}`, () => revokeDevice(device.id)).then(async (ok) => {
              if (ok) await devices.reload();
            })}
          />
        ))}
      </Section>
      <p class="section-note">{t('devices.note')}</p>

      <Section title={t('password.title')}>
        <ChangePasswordForm onChanged={() => void devices.reload()} />
      </Section>

      <div class="signout-area">
        <Button variant="danger" icon="signout" block busy={action.busy === 'signout'} onClick={() => void action.run('signout', signOut)} testId="signout">
          {t('common.signOut')}
        </Button>
      </div>
    </AppLayout>
  );
}
