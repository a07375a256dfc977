/** @module The bottom tab bar of the signed-in shell: Home, Chats, Contacts, Scan, Me. */
import type { JSX } from 'preact';
import { useLocation } from 'preact-iso/router';
import { useI18n, type MessageId } from '../i18n/index.ts';
import { ROUTES } from '../paths.ts';
import { Icon, type IconName } from './icons.tsx';

const TABS: Array<{ path: string; icon: IconName; label: MessageId; also?: string[] }> = [
  { path: ROUTES.home, icon: 'home', label: 'tab.home' },
  { path: ROUTES.chats, icon: 'chat', label: 'tab.chats' },
  { path: ROUTES.contacts, icon: 'contacts', label: 'tab.contacts' },
  { path: ROUTES.scan, icon: 'scan', label: 'tab.scan' },
  { path: ROUTES.settings, icon: 'me', label: 'tab.me', also: [ROUTES.devices] },
];

/** The tab bar; the tab of the current screen is marked. */
export function TabBar(): JSX.Element {
  const { path } = useLocation();
  const { t } = useI18n();
  return (
    <nav class="tab-bar" aria-label={t('tab.label')}>
      {TABS.map((tab) => {
        const current = path === tab.path || (tab.also?.includes(path) ?? false);
        return (
          <a key={tab.path} href={tab.path} class={current ? 'tab tab-current' : 'tab'} aria-current={current ? 'page' : undefined} data-testid={`tab-${tab.icon}`}>
            <Icon name={tab.icon} />
            <span>{t(tab.label)}</span>
          </a>
        );
      })}
    </nav>
  );
}
