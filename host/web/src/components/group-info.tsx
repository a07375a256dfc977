/** @module A group's details inside its chat: announcement, members and roles, invite link with its QR code, leave. */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { createInvite, removeMember, type ConversationView } from '../api/messaging.ts';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { ROUTES } from '../paths.ts';
import { Avatar } from './avatar.tsx';
import { Button } from './button.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { Notice } from './notice.tsx';
import { QrCode } from './qr-code.tsx';
import { Row, Section } from './section.tsx';

/** A member as the chat screen has loaded them. */
export interface GroupMember {
  person: { id: string; handle: string; displayName: string };
  role: string;
}

/** Props of {@link GroupInfo}. */
export interface GroupInfoProps {
  conversation: ConversationView;
  members: GroupMember[];
  me: string;
  onChange: () => void;
}

/** The group's details. */
export function GroupInfo(props: GroupInfoProps): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const { route } = useLocation();
  const [invite, setInvite] = useState<string | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const id = props.conversation.id;
  const admin = props.conversation.role === 'owner' || props.conversation.role === 'admin';
  const act = (task: () => Promise<unknown>) => async (): Promise<void> => {
    setError(undefined);
    try {
      await task();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section title={t('group.info')} testId="group-info">
      {error ? <Notice kind="error">{errorText(i18n, error)}</Notice> : null}
      {props.conversation.announcement ? <p class="group-announcement">{props.conversation.announcement}</p> : null}
      {props.members.map((m) => (
        <Row key={m.person.id} testId="group-member-row" data={{ handle: m.person.handle }} leading={<Avatar id={m.person.id} name={m.person.displayName} />} title={m.person.displayName} subtitle={t(`group.role.${m.role === 'owner' ? 'owner' : m.role === 'admin' ? 'admin' : 'member'}`)}>
          {admin && m.person.id !== props.me && m.role !== 'owner' ? (
            <ConfirmButton small variant="secondary" onConfirm={() => void act(async () => (await removeMember(id, m.person.id), props.onChange()))()} testId="group-remove">
              {t('group.remove')}
            </ConfirmButton>
          ) : null}
        </Row>
      ))}
      {invite ? (
        <div class="group-invite">
          <QrCode value={invite} label={t('group.inviteQr')} testId="group-invite-qr" />
          <a href={invite} data-testid="group-invite-link">
            {invite}
          </a>
        </div>
      ) : (
        <Button small variant="secondary" icon="link" onClick={() => void act(async () => setInvite((await createInvite(id)).url))()} testId="group-invite">
          {t('group.invite')}
        </Button>
      )}
      <ConfirmButton small variant="danger" onConfirm={() => void act(async () => (await removeMember(id, props.me), route(ROUTES.chats)))()} testId="group-leave">
        {t('group.leave')}
      </ConfirmButton>
    </Section>
  );
}
