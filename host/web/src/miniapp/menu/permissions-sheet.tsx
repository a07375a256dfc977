/** @module "Permissions" of the app menu: what I allowed or denied this app, each answer revocable; and the names of scopes. */
import type { JSX } from 'preact';
import { listGrants, revokeGrant } from '../../api/apps.ts';
import { Button } from '../../components/button.tsx';
import { Loading } from '../../components/loading.tsx';
import { Notice } from '../../components/notice.tsx';
import { useI18n, type I18n, type MessageId } from '../../i18n/index.ts';
import { errorText, formatSince } from '../../i18n/format.ts';
import { useAction } from '../../lib/use-action.ts';
import { useResource } from '../../lib/use-resource.ts';
import { Sheet } from '../sheet.tsx';

// keep in sync with BRIDGE_SCOPES in sdk/src/bridge/define-api.ts
const SCOPES: Record<string, MessageId> = {
  userInfo: 'miniapp.scope.userInfo',
  camera: 'miniapp.scope.camera',
  location: 'miniapp.scope.location',
};

/** "Your profile (name and picture)" for `userInfo`; unknown scopes as they are. */
export function scopeName(i18n: I18n, scope: string): string {
  const id = Object.hasOwn(SCOPES, scope) ? SCOPES[scope] : undefined;
  return id ? i18n.t(id) : scope;
}

/** The app's grants. */
export function PermissionsSheet(props: { appId: string; onClose: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const grants = useResource((signal) => listGrants(props.appId, signal), [props.appId]);
  const action = useAction();
  const revoke = async (scope: string): Promise<void> => {
    if (await action.run(scope, () => revokeGrant(props.appId, scope))) await grants.reload();
  };
  return (
    <Sheet title={t('miniapp.permissions')} onClose={props.onClose} testId="permissions-sheet">
      {grants.data === undefined && !grants.error ? <Loading /> : null}
      {grants.error ? <Notice kind="error">{errorText(i18n, grants.error)}</Notice> : null}
      {action.error ? <Notice kind="error">{errorText(i18n, action.error)}</Notice> : null}
      {grants.data?.length === 0 ? <p class="muted sheet-empty">{t('miniapp.permissionsEmpty')}</p> : null}
      {grants.data && grants.data.length > 0 ? (
        <ul class="sheet-rows">
          {grants.data.map((grant) => (
            <li key={grant.scope} class="row" data-testid="permission-row" data-scope={grant.scope} data-state={grant.state}>
              <div class="row-text">
                <div class="row-title">{scopeName(i18n, grant.scope)}</div>
                <div class="row-subtitle">
                  {grant.state === 'allow' ? t('miniapp.permissionAllowed') : t('miniapp.permissionDenied')} · {formatSince(i18n, grant.updatedAt)}
                </div>
              </div>
              <div class="row-actions">
                <Button variant="secondary" small busy={action.busy === grant.scope} disabled={action.busy !== undefined} onClick={() => void revoke(grant.scope)} testId={`revoke-permission-${grant.scope}`}>
                  {t('miniapp.revoke')}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <p class="muted small sheet-note">{t('miniapp.permissionsNote')}</p>
    </Sheet>
  );
}
