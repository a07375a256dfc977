/** @module The "Mini-apps" section of Home: the apps I have used (`GET /v1/apps`), each opening the container. */
import type { JSX } from 'preact';
import { listApps } from '../api/apps.ts';
import { Avatar } from '../components/avatar.tsx';
import { Icon } from '../components/icons.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useResource } from '../lib/use-resource.ts';
import { containerPath } from './launch-link.ts';

/** My mini-apps. */
export function MiniAppList(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const apps = useResource((signal) => listApps(signal), []);
  return (
    <Section title={t('miniapp.list')} testId="miniapp-list" flush>
      {apps.data === undefined && !apps.error ? <Loading /> : null}
      {apps.error && !apps.data ? (
        <div class="card-pad">
          <Notice kind="error">{errorText(i18n, apps.error)}</Notice>
        </div>
      ) : null}
      {apps.data?.length === 0 ? <p class="muted card-pad">{t('miniapp.listEmpty')}</p> : null}
      {apps.data?.map((app) => (
        <a key={app.id} class="row row-link" href={containerPath({ appId: app.id, path: undefined, query: {} })} data-testid="miniapp-list-item" data-app-id={app.id}>
          <span class="row-leading">
            <Avatar id={app.id} name={app.name} />
          </span>
          <span class="row-text">
            <span class="row-title">{app.name}</span>
            <span class="row-subtitle mono">{app.id}</span>
          </span>
          <Icon name="chevron" class="row-chevron" />
        </a>
      ))}
    </Section>
  );
}
