/** @module Join a group from its invite link or QR code: what the group is, then join (or open it if I am in). */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { joinByInvite, previewInvite } from '../api/messaging.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useResource } from '../lib/use-resource.ts';
import { chatPath, ROUTES } from '../paths.ts';

/** The join-group screen. */
export function JoinGroup(props: { token?: string; params?: { token?: string } }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { route } = useLocation();
  const token = props.params?.token ?? props.token ?? '';
  const invite = useResource((signal) => previewInvite(token, signal), [token]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const join = async (): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      route(chatPath((await joinByInvite(token)).id), true);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <AppLayout title={t('join.title')} back={ROUTES.chats}>
      {invite.error || error ? (
        <Notice kind="error" testId="join-error">
          {errorText(i18n, error ?? invite.error)}
        </Notice>
      ) : null}
      {invite.data ? (
        <Section title={invite.data.name ?? t('chats.untitled')} testId="join-group">
          <p>{t('join.members', { count: invite.data.memberCount })}</p>
          <Button onClick={() => void join()} busy={busy} testId="join-submit">
            {invite.data.member ? t('join.open') : t('join.join')}
          </Button>
        </Section>
      ) : invite.loading ? (
        <Loading />
      ) : null}
    </AppLayout>
  );
}
