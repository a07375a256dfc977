/** @module One signed-in device: its name (renamable in place), how and when it was last used, and revoke. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Device } from '../api/types.ts';
import { useI18n, type MessageId } from '../i18n/index.ts';
import { formatDateTime, formatSince } from '../i18n/format.ts';
import { Button } from './button.tsx';
import { Icon } from './icons.tsx';

const METHODS: Partial<Record<string, MessageId>> = { signup: 'devices.method.signup', password: 'devices.method.password', qr: 'devices.method.qr' };

/** Props of {@link DeviceRow}. */
export interface DeviceRowProps {
  device: Device;
  busy: string | undefined;
  onRename: (name: string) => Promise<boolean>;
  onRevoke: () => void;
}

/** A device in the devices list. */
export function DeviceRow(props: DeviceRowProps): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { device } = props;
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState(false);
  const method = METHODS[device.method];

  const save = async (event: Event): Promise<void> => {
    event.preventDefault();
    const name = editing?.trim();
    if (!name || name === device.name) return setEditing(undefined);
    if (await props.onRename(name)) setEditing(undefined);
  };

  return (
    <div class={`row row-stacked device-row${device.current ? ' device-current' : ''}`} data-testid="device-row" data-device-id={device.id} data-current={device.current ? 'true' : undefined}>
      <div class="row-leading row-icon">
        <Icon name="devices" />
      </div>
      {editing !== undefined ? (
        <form class="rename-form" onSubmit={save}>
          <input value={editing} maxLength={64} aria-label={t('devices.name')} onInput={(event) => setEditing(event.currentTarget.value)} data-testid="rename-device-input" autoFocus />
          <Button type="submit" small busy={props.busy === `rename:${device.id}`} testId="rename-device-save">
            {t('common.save')}
          </Button>
          <Button small variant="ghost" onClick={() => setEditing(undefined)}>
            {t('common.cancel')}
          </Button>
        </form>
      ) : (
        <>
          <div class="row-text">
            <div class="row-title">
              <span class="row-name" data-testid="device-name">{device.name}</span>
              {device.current ? <span class="tag">{t('devices.current')}</span> : null}
            </div>
            <div class="row-subtitle">
              {method ? `${t(method)} · ` : ''}
              <time dateTime={new Date(device.lastSeenAt).toISOString()} title={formatDateTime(intl, device.lastSeenAt)}>
                {device.current ? t('devices.activeNow') : t('devices.lastSeen', { when: formatSince(i18n, device.lastSeenAt) })}
              </time>
            </div>
          </div>
          {confirming ? (
            <div class="row-actions row-confirm" role="group">
              <span>{t('devices.revokeConfirm')}</span>
              <Button small variant="danger" onClick={props.onRevoke} busy={props.busy === `revoke:${device.id}`} testId="confirm-revoke">
                {t('devices.revoke')}
              </Button>
              <Button small variant="ghost" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
            </div>
          ) : (
            <div class="row-actions">
              <Button small variant="ghost" onClick={() => setEditing(device.name)} testId={`rename-device-${device.id}`}>
                {t('devices.rename')}
              </Button>
              {device.current ? null : (
                <Button small variant="secondary" onClick={() => setConfirming(true)} testId={`revoke-device-${device.id}`}>
                  {t('devices.revoke')}
                </Button>
              )}
            </div>
          )}
        </>
      )}
    </div>
  );
}
