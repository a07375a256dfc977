/**
 * @module The container's menu ("…" in the top bar): about the app, its permissions, its access log, its
 * launch QR code, reload and close; each entry opens its own sheet or acts at once.
 */
import type { JSX } from 'preact';
import { Icon, type IconName } from '../../components/icons.tsx';
import { QrCode } from '../../components/qr-code.tsx';
import { useI18n, type MessageId } from '../../i18n/index.ts';
import type { LaunchResult } from '../../../../src/sessions/protocol.ts';
import { Sheet } from '../sheet.tsx';
import { AccessLogSheet } from './access-log-sheet.tsx';
import { PermissionsSheet } from './permissions-sheet.tsx';

/** Which sheet of the menu is open. */
export type MenuView = 'menu' | 'about' | 'permissions' | 'accessLog' | 'qr';

const ITEMS: Array<{ id: MenuView | 'reload' | 'close'; icon: IconName; label: MessageId }> = [
  { id: 'about', icon: 'globe', label: 'miniapp.about' },
  { id: 'permissions', icon: 'lock', label: 'miniapp.permissions' },
  { id: 'accessLog', icon: 'devices', label: 'miniapp.accessLog' },
  { id: 'qr', icon: 'scan', label: 'miniapp.launchQr' },
  { id: 'reload', icon: 'refresh', label: 'miniapp.reload' },
  { id: 'close', icon: 'close', label: 'miniapp.close' },
];

/** Props of {@link AppMenu}. */
export interface AppMenuProps {
  view: MenuView;
  appId: string;
  app: LaunchResult['app'] | undefined;
  launchUrl: string;
  onView: (view: MenuView | undefined) => void;
  onReload: () => void;
  onClose: () => void;
}

/** The open menu sheet. */
export function AppMenu(props: AppMenuProps): JSX.Element {
  const { t } = useI18n();
  const dismiss = (): void => props.onView(undefined);
  const name = props.app?.name ?? props.appId;
  switch (props.view) {
    case 'permissions':
      return <PermissionsSheet appId={props.appId} onClose={dismiss} />;
    case 'accessLog':
      return <AccessLogSheet appId={props.appId} onClose={dismiss} />;
    case 'qr':
      return <LaunchQrSheet url={props.launchUrl} appName={name} onClose={dismiss} />;
    case 'about':
      return (
        <Sheet title={t('miniapp.about')} onClose={dismiss} testId="about-sheet">
          <dl class="about-list">
            <dt>{t('miniapp.aboutName')}</dt>
            <dd data-testid="about-name">{name}</dd>
            <dt>{t('miniapp.aboutId')}</dt>
            <dd class="mono">{props.appId}</dd>
            {props.app?.version ? (
              <>
                <dt>{t('miniapp.aboutVersion')}</dt>
                <dd>{props.app.version}</dd>
              </>
            ) : null}
          </dl>
          <p class="muted small sheet-note">{t('miniapp.aboutNote')}</p>
        </Sheet>
      );
    case 'menu':
      return (
        <Sheet title={name} onClose={dismiss} testId="miniapp-menu-sheet">
          <ul class="sheet-rows" role="menu">
            {ITEMS.map((item) => (
              <li key={item.id} role="none">
                <button
                  type="button"
                  role="menuitem"
                  class="row row-link sheet-menu-item"
                  data-testid={`miniapp-menu-${item.id}`}
                  onClick={() => {
                    if (item.id === 'reload') {
                      dismiss();
                      props.onReload();
                    } else if (item.id === 'close') {
                      dismiss();
                      props.onClose();
                    } else props.onView(item.id);
                  }}
                >
                  <span class="row-leading row-icon">
                    <Icon name={item.icon} />
                  </span>
                  <span class="row-text row-title">{t(item.label)}</span>
                </button>
              </li>
            ))}
          </ul>
        </Sheet>
      );
  }
}

/** "Show launch QR code": the https launch link of the page on screen, as a QR code any phone camera opens. */
function LaunchQrSheet(props: { url: string; appName: string; onClose: () => void }): JSX.Element {
  const { t } = useI18n();
  return (
    <Sheet title={t('miniapp.launchQr')} onClose={props.onClose} testId="launch-qr-sheet">
      <div class="my-card">
        <QrCode value={props.url} label={t('miniapp.launchQrLabel', { name: props.appName })} testId="launch-qr" />
        <p class="muted center">{t('miniapp.launchQrHint')}</p>
        <p class="mono small center" data-testid="launch-qr-link">
          {props.url}
        </p>
      </div>
    </Sheet>
  );
}
