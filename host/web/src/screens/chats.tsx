/** @module Chats: my conversations, most recent first, with unread counts and the last message. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { listConversations, type ConversationView } from '../api/messaging.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Avatar } from '../components/avatar.tsx';
import { Button } from '../components/button.tsx';
import { Loading } from '../components/loading.tsx';
import { ChatSearch } from '../components/chat-search.tsx';
import { NewGroupForm } from '../components/new-group-form.tsx';
import { Notice } from '../components/notice.tsx';
import { Section } from '../components/section.tsx';
import { useI18n, type I18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useResource } from '../lib/use-resource.ts';
import { chatPath } from '../paths.ts';
import { realtime } from '../realtime/connection.ts';
import { messagePreview } from './chat.tsx';

/** While the socket is down, the list refreshes this often. */
const REFRESH_MS = 30_000;

/** The name a conversation is shown by: the group's, or the other person's. */
export function conversationTitle(c: ConversationView, t: I18n['t']): string {
  return c.name ?? c.peer?.displayName ?? t('chats.untitled');
}

/** The chats screen. */
export function Chats(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const data = useResource((signal) => listConversations(signal), [], { refreshMs: REFRESH_MS });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Any update may reorder the list or change a count: reload once per burst.
    const off = realtime.subscribe('chat.update', () => {
      clearTimeout(timer);
      timer = setTimeout(() => void data.reload(), 150);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, []);
  const conversations = data.data ?? [];
  const [creating, setCreating] = useState(false);
  return (
    <AppLayout title={t('chats.title')}>
      {data.error && !data.data ? <Notice kind="error">{errorText(i18n, data.error)}</Notice> : null}
      <ChatSearch conversations={conversations} />
      {creating ? (
        <Section title={t('chats.newGroup')} testId="new-group-section">
          <NewGroupForm />
        </Section>
      ) : (
        <Button small variant="secondary" icon="person-add" onClick={() => setCreating(true)} testId="new-group-open">
          {t('chats.newGroup')}
        </Button>
      )}
      {data.data ? (
        <Section title={t('chats.title')} count={conversations.length} flush testId="chat-list">
          {conversations.length === 0 ? <p class="empty">{t('chats.empty')}</p> : null}
          {conversations.map((c) => (
            <a key={c.id} href={chatPath(c.id)} class="row chat-row" data-testid="chat-row" data-conversation-id={c.id}>
              <div class="row-leading">
                <Avatar id={c.peer?.id ?? c.id} name={conversationTitle(c, t)} />
              </div>
              <div class="row-text">
                <div class="row-title">{conversationTitle(c, t)}</div>
                <div class="row-subtitle" data-testid="chat-last">
                  {c.lastMessage ? messagePreview(c.lastMessage, t) : ''}
                </div>
              </div>
              {c.unread > 0 ? (
                // A muted chat still counts, in grey (as WeChat shows it), and says why for screen readers.
                <span class={c.muted ? 'badge badge-muted' : 'badge'} data-testid="chat-unread" data-muted={c.muted ? 'true' : undefined} title={c.muted ? t('chats.muted') : undefined}>
                  {c.unread}
                </span>
              ) : c.muted ? (
                <span class="muted small" data-testid="chat-muted">
                  {t('chats.muted')}
                </span>
              ) : null}
            </a>
          ))}
        </Section>
      ) : data.loading ? (
        <Loading />
      ) : null}
    </AppLayout>
  );
}
