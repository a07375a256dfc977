/**
 * @module A group's details inside its chat: announcement (owner and admins edit it), mute, members and roles
 * (the owner makes admins and hands the group over), invite link with its QR code, leave.
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { createInvite, removeMember, setAnnouncement, setRole, type ConversationView } from '../api/messaging.ts';
import { useI18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { ROUTES } from '../paths.ts';
import { Avatar } from './avatar.tsx';
import { Button } from './button.tsx';
import { ConfirmButton } from './confirm-button.tsx';
import { MuteSwitch } from './mute-switch.tsx';
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
  const [draft, setDraft] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const id = props.conversation.id;
  const owner = props.conversation.role === 'owner';
  const admin = owner || props.conversation.role === 'admin';
  const act = (task: () => Promise<unknown>) => async (): Promise<void> => {
    setError(undefined);
    setBusy(true);
    try {
      await task();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const changed = (): void => props.onChange();
  return (
    <Section title={t('group.info')} testId="group-info">
      {error ? <Notice kind="error">{errorText(i18n, error)}</Notice> : null}
      {draft !== undefined ? (
        <form
          class="group-announcement-form"
          onSubmit={(event) => {
            event.preventDefault();
            void act(async () => (await setAnnouncement(id, draft.trim()), setDraft(undefined), changed()))();
          }}
        >
          <textarea class="input" rows={3} maxLength={2000} value={draft} aria-label={t('group.announcement')} onInput={(event) => setDraft(event.currentTarget.value)} data-testid="group-announcement-input" />
          <div class="button-row">
            <Button small variant="secondary" onClick={() => setDraft(undefined)} testId="group-announcement-cancel">
              {t('common.cancel')}
            </Button>
            <Button small type="submit" busy={busy} testId="group-announcement-save">
              {t('group.announcementSave')}
            </Button>
          </div>
        </form>
      ) : (
        <div class="group-announcement-row">
          {props.conversation.announcement ? (
            <p class="group-announcement" data-testid="group-announcement">
              {props.conversation.announcement}
            </p>
          ) : null}
          {admin ? (
            <Button small variant="secondary" onClick={() => setDraft(props.conversation.announcement ?? '')} testId="group-announcement-edit">
              {t('group.announcementEdit')}
            </Button>
          ) : null}
        </div>
      )}
      <MuteSwitch conversationId={id} muted={props.conversation.muted} onChange={changed} testId="group-mute" />
      {props.members.map((m) => (
        <Row key={m.person.id} testId="group-member-row" data={{ handle: m.person.handle }} leading={<Avatar id={m.person.id} name={m.person.displayName} />} title={m.person.displayName} subtitle={t(`group.role.${m.role === 'owner' ? 'owner' : m.role === 'admin' ? 'admin' : 'member'}`)}>
          {owner && m.person.id !== props.me ? (
            <>
              <Button small variant="secondary" disabled={busy} onClick={() => void act(async () => (await setRole(id, m.person.id, m.role === 'admin' ? 'member' : 'admin'), changed()))()} testId="group-role">
                {m.role === 'admin' ? t('group.unmakeAdmin') : t('group.makeAdmin')}
              </Button>
              <ConfirmButton small variant="secondary" onConfirm={() => void act(async () => (await setRole(id, m.person.id, 'owner'), changed()))()} testId="group-make-owner">
                {t('group.makeOwner')}
              </ConfirmButton>
            </>
          ) : null}
          {admin && m.person.id !== props.me && m.role !== 'owner' && (owner || m.role === 'member') ? (
            <ConfirmButton small variant="secondary" onConfirm={() => void act(async () => (await removeMember(id, m.person.id), changed()))()} testId="group-remove">
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
