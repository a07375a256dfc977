/** @module Search the history of all my chats (server-side, any script); a result opens its chat. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { searchMessages, type ConversationView, type MessageView } from '../api/messaging.ts';
import { useI18n } from '../i18n/index.ts';
import { chatPath } from '../paths.ts';

/** Search over my chats; `conversations` names the results. */
export function ChatSearch(props: { conversations: ConversationView[] }): JSX.Element {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [results, setResults] = useState<MessageView[] | undefined>(undefined);
  useEffect(() => {
    const query = q.trim();
    if (!query) return setResults(undefined);
    const controller = new AbortController();
    // Wait for a pause in typing before asking.
    const timer = setTimeout(() => searchMessages(query, controller.signal).then(setResults, () => undefined), 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [q]);
  const names = new Map(props.conversations.map((c) => [c.id, c.name ?? c.peer?.displayName ?? '']));
  return (
    <div class="chat-search">
      <input
        class="chat-input"
        type="search"
        value={q}
        maxLength={100}
        placeholder={t('chats.search')}
        aria-label={t('chats.search')}
        onInput={(e) => setQ((e.target as HTMLInputElement).value)}
        data-testid="chat-search"
      />
      {results ? (
        <div class="chat-results" data-testid="chat-results">
          {results.length === 0 ? <p class="empty">{t('chats.noResults')}</p> : null}
          {results.map((m) => (
            <a key={m.id} href={chatPath(m.conversationId)} class="row chat-row" data-testid="chat-result">
              <div class="row-text">
                <div class="row-title">{names.get(m.conversationId) ?? ''}</div>
                <div class="row-subtitle">{m.text}</div>
              </div>
            </a>
          ))}
        </div>
      ) : null}
    </div>
  );
}
