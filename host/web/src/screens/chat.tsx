/**
 * @module One conversation: its history (older pages on demand), live updates from the device socket, a
 * composer whose sends are idempotent (a retry after a dropped connection reuses the same client id), and
 * the read position moved forward as messages are shown.
 */
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { getConversation, history, imageBlob, listMembers, markRead, recallMessage, receipts, sendText, type ImageView, type MessageView } from '../api/messaging.ts';
import { GroupInfo } from '../components/group-info.tsx';
import { Icon } from '../components/icons.tsx';
import { AppLayout } from '../components/app-layout.tsx';
import { Button } from '../components/button.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { useI18n, type I18n } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { useResource } from '../lib/use-resource.ts';
import { ROUTES } from '../paths.ts';
import { realtime } from '../realtime/connection.ts';
import { useSession } from '../state/session.ts';
import { CardFace } from '../components/miniapp-card.tsx';
import { MuteSwitch } from '../components/mute-switch.tsx';
import { PhotoPreview } from '../components/photo-preview.tsx';
import { containerPath } from '../miniapp/launch-link.ts';
import { conversationTitle } from './chats.tsx';
import { RedPacketBubble, RedPacketDetail, SendMoneySheet, TransferBubble } from '../components/chat-money.tsx';

/** One line for a message in lists and notices. */
export function messagePreview(m: MessageView, t: I18n['t']): string {
  if (m.system) return m.system['event'] === 'recalled' ? t('chat.recalled') : t('chat.notice');
  if (m.kind === 'image') return m.text ? `${t('chat.image')} ${m.text}` : t('chat.image');
  if (m.kind === 'miniapp') return `${t('chat.miniapp')} ${m.text ?? ''}`.trim();
  if (m.kind === 'transfer') return `${t('chat.transfer')} ${m.text ?? ''}`.trim();
  if (m.kind === 'redpacket') return `${t('chat.redPacket')} ${m.text ?? ''}`.trim();
  return m.text ?? '';
}

/** How long after sending the shell offers to recall (the host's default window; it has the last word). */
const RECALL_MS = 2 * 60_000;

/** Merges messages by id (a later copy wins: a recall replaces the original) and sorts by order. */
function merge(current: MessageView[], incoming: MessageView[]): MessageView[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.order - b.order);
}

/** An image's thumbnail, fetched with the session's token and shown through an object URL. */
function ChatImage(props: { conversationId: string; image: ImageView }): JSX.Element {
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | undefined;
    imageBlob(props.conversationId, props.image.id, 'thumbnail', controller.signal).then(
      (blob) => setUrl((objectUrl = URL.createObjectURL(blob))),
      () => undefined,
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [props.image.id]);
  const { thumbWidth: width, thumbHeight: height } = props.image;
  return url ? <img class="chat-image" src={url} width={width} height={height} alt="" data-testid="chat-image" /> : <div class="chat-image" style={{ width: `${width}px`, height: `${height}px` }} />;
}

/** The chat screen. */
export function Chat(props: { conversationId?: string; params?: { conversationId?: string } }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const me = session.status === 'signed-in' ? session.me.id : '';
  const conversationId = props.params?.conversationId ?? props.conversationId ?? '';
  const conversation = useResource((signal) => getConversation(conversationId, signal), [conversationId]);
  const members = useResource((signal) => listMembers(conversationId, signal), [conversationId]);
  const names = new Map((members.data ?? []).map((m) => [m.person.id, m.person.displayName]));
  const group = conversation.data?.kind === 'group';
  const [showInfo, setShowInfo] = useState(false);
  const [messages, setMessages] = useState<MessageView[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const pendingClientId = useRef<string | undefined>(undefined);
  const end = useRef<HTMLDivElement>(null);
  const readUpTo = useRef(0);
  const typedAt = useRef(0);
  const [typing, setTyping] = useState<string | undefined>(undefined);
  /** In a 1:1 chat: the newest of my messages the other person has read. */
  const [peerRead, setPeerRead] = useState(0);
  const [, setTick] = useState(0);
  const file = useRef<HTMLInputElement>(null);
  const [picked, setPicked] = useState<File | undefined>(undefined);
  /** The "+" menu, the send-money sheet it opens, and the red packet whose details are shown. */
  const [actions, setActions] = useState(false);
  const [moneyKind, setMoneyKind] = useState<'transfer' | 'redpacket' | undefined>(undefined);
  const [packetDetail, setPacketDetail] = useState<string | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    setMessages([]);
    setLoaded(false);
    history(conversationId, undefined, controller.signal).then(
      (page) => {
        setMessages(page.messages);
        setHasMore(page.hasMore);
        setLoaded(true);
      },
      (e: unknown) => setError(e),
    );
    const off = realtime.subscribe('chat.update', (frame) => {
      const m = frame.update.message;
      if (frame.update.conversationId === conversationId && m) {
        setMessages((current) => merge(current, [m]));
        if (m.senderId) setTyping((who) => (who === m.senderId ? undefined : who));
      }
    });
    const offRead = realtime.subscribe('chat.update', (frame) => {
      const data = frame.update.data as { userId?: string; order?: number } | undefined;
      if (frame.update.type === 'read' && frame.update.conversationId === conversationId && data?.userId !== me && typeof data?.order === 'number') {
        const order = data.order;
        setPeerRead((current) => Math.max(current, order));
      }
    });
    // Recall buttons disappear as their window closes.
    const ticker = setInterval(() => setTick((n) => n + 1), 15_000);
    let quiet: ReturnType<typeof setTimeout> | undefined;
    const offTyping = realtime.subscribe('chat.typing', (frame) => {
      if (frame.conversationId !== conversationId) return;
      setTyping(frame.userId);
      clearTimeout(quiet);
      quiet = setTimeout(() => setTyping(undefined), 4000);
    });
    return () => {
      controller.abort();
      off();
      offRead();
      clearInterval(ticker);
      offTyping();
      clearTimeout(quiet);
    };
  }, [conversationId]);

  // Shown means read: move the read position to the newest message on screen.
  const newest = messages.at(-1)?.order ?? 0;
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
    if (newest > readUpTo.current) {
      readUpTo.current = newest;
      void markRead(conversationId, newest).catch(() => undefined);
    }
  }, [newest]);

  // A 1:1 chat shows "Read" under my newest message the other person has read; start from the host's receipts.
  const myNewest = [...messages].reverse().find((m) => m.senderId === me && !m.system);
  const direct = conversation.data?.kind === 'direct';
  useEffect(() => {
    if (!direct || !myNewest || myNewest.order <= peerRead) return;
    const controller = new AbortController();
    receipts(conversationId, myNewest.id, controller.signal).then(
      (r) => r.read && setPeerRead((current) => Math.max(current, myNewest.order)),
      () => undefined,
    );
    return () => controller.abort();
  }, [direct, myNewest?.id]);

  const recall = async (m: MessageView): Promise<void> => {
    setError(undefined);
    try {
      const recalled = await recallMessage(conversationId, m.id);
      setMessages((current) => merge(current, [recalled]));
    } catch (e) {
      setError(e);
    }
  };

  const older = async (): Promise<void> => {
    const page = await history(conversationId, messages[0]?.order);
    setMessages((current) => merge(current, page.messages));
    setHasMore(page.hasMore);
  };

  const send = async (event: Event): Promise<void> => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || sending) return;
    pendingClientId.current ??= crypto.randomUUID();
    setSending(true);
    setError(undefined);
    try {
      const sent = await sendText(conversationId, pendingClientId.current, text);
      pendingClientId.current = undefined;
      setDraft('');
      setMessages((current) => merge(current, [sent]));
    } catch (e) {
      setError(e); // the draft and its client id stay: sending again cannot duplicate it
    } finally {
      setSending(false);
    }
  };

  /** A picked photo opens its preview; the input is cleared so picking the same file again works. */
  const pick = (): void => {
    const chosen = file.current?.files?.[0];
    if (file.current) file.current.value = '';
    if (chosen) setPicked(chosen);
  };

  const title = conversation.data ? conversationTitle(conversation.data, t) : t('chats.title');
  return (
    <AppLayout title={title} back={ROUTES.chats} tabs={false}>
      {error ? (
        <Notice kind="error" testId="chat-error">
          {errorText(i18n, error)}
        </Notice>
      ) : null}
      {group && conversation.data ? (
        showInfo ? (
          <GroupInfo conversation={conversation.data} members={members.data ?? []} me={me} onChange={() => void (members.reload(), conversation.reload())} />
        ) : (
          <Button small variant="secondary" onClick={() => setShowInfo(true)} testId="group-info-open">
            {t('group.info')}
          </Button>
        )
      ) : direct && conversation.data ? (
        <MuteSwitch conversationId={conversationId} muted={conversation.data.muted} onChange={() => void conversation.reload()} />
      ) : null}
      {!loaded && !error ? <Loading /> : null}
      <div class="chat-messages" data-testid="chat-messages">
        {hasMore ? (
          <Button small variant="secondary" onClick={() => void older()} testId="chat-older">
            {t('chat.older')}
          </Button>
        ) : null}
        {messages.map((m) =>
          m.system ? (
            <p key={m.id} class="chat-notice" data-testid="chat-notice">
              {messagePreview(m, t)}
            </p>
          ) : (
            <div key={m.id} class={m.senderId === me ? 'chat-bubble chat-mine' : 'chat-bubble'} data-testid="chat-message" data-order={m.order}>
              {group && m.senderId !== me ? (
                <div class="chat-sender" data-testid="chat-sender">
                  {names.get(m.senderId ?? '') ?? ''}
                </div>
              ) : null}
              {m.image ? <ChatImage conversationId={conversationId} image={m.image} /> : null}
              {m.transfer ? (
                <TransferBubble conversationId={conversationId} message={m} transfer={m.transfer} me={me} names={names} onChange={(next) => setMessages((current) => merge(current, [next]))} onError={setError} />
              ) : m.redPacket ? (
                <RedPacketBubble
                  conversationId={conversationId}
                  message={m}
                  redPacket={m.redPacket}
                  me={me}
                  names={names}
                  direct={direct}
                  onChange={(next) => setMessages((current) => merge(current, [next]))}
                  onError={setError}
                  onDetail={() => setPacketDetail(m.redPacket?.id)}
                />
              ) : m.card ? (
                // Opens the app at the shared page, in this shell's container (the app gets only the page and query).
                <a class="chat-card" href={containerPath({ appId: m.card.appId, path: m.card.path, query: m.card.query })} data-testid="chat-card">
                  <CardFace appName={m.card.appName} title={m.card.title} imageUrl={m.card.imageUrl} />
                </a>
              ) : m.image ? (
                (m.text ?? '')
              ) : (
                messagePreview(m, t)
              )}
              {m.senderId === me && !m.transfer && !m.redPacket && m.kind !== 'transfer' && m.kind !== 'redpacket' && Date.now() - m.createdAt < RECALL_MS ? (
                <button type="button" class="chat-recall" onClick={() => void recall(m)} data-testid="chat-recall">
                  {t('chat.recall')}
                </button>
              ) : null}
              {direct && m.id === myNewest?.id && peerRead >= m.order ? (
                <div class="chat-read" data-testid="chat-read">
                  {t('chat.read')}
                </div>
              ) : null}
            </div>
          ),
        )}
        {typing ? (
          <p class="chat-notice" data-testid="chat-typing">
            {t('chat.typing')}
          </p>
        ) : null}
        <div ref={end} />
      </div>
      {picked ? (
        <PhotoPreview
          conversationId={conversationId}
          file={picked}
          onCancel={() => setPicked(undefined)}
          onSent={(sent) => {
            setPicked(undefined);
            setMessages((current) => merge(current, [sent]));
          }}
        />
      ) : null}
      {moneyKind ? (
        <SendMoneySheet
          conversationId={conversationId}
          kind={moneyKind}
          maxShares={direct ? 1 : Math.min(100, conversation.data?.memberCount ?? 1)}
          onCancel={() => setMoneyKind(undefined)}
          onSent={(sent) => {
            setMoneyKind(undefined);
            setMessages((current) => merge(current, [sent]));
          }}
        />
      ) : null}
      {packetDetail ? <RedPacketDetail conversationId={conversationId} packetId={packetDetail} me={me} onClose={() => setPacketDetail(undefined)} /> : null}
      {actions ? (
        <div class="chat-actions" data-testid="chat-actions">
          {direct ? (
            <Button small variant="secondary" onClick={() => {
                setActions(false);
                setMoneyKind('transfer');
              }} testId="chat-action-transfer">
              {t('money.transfer')}
            </Button>
          ) : null}
          <Button small variant="secondary" onClick={() => {
              setActions(false);
              setMoneyKind('redpacket');
            }} testId="chat-action-redpacket">
            {t('money.redPacket')}
          </Button>
        </div>
      ) : null}
      <form class="chat-composer" onSubmit={(e) => void send(e)}>
        <button type="button" class="icon-button chat-attach" aria-label={t('chat.more')} aria-expanded={actions} onClick={() => setActions((open) => !open)} data-testid="chat-more">
          <Icon name="more" />
        </button>
        <label class="icon-button chat-attach" aria-label={t('chat.attach')}>
          <Icon name="image" />
          <input ref={file} type="file" accept="image/jpeg,image/png,image/webp,image/gif" hidden onChange={pick} data-testid="chat-file" />
        </label>
        <input
          class="chat-input"
          value={draft}
          maxLength={4000}
          placeholder={t('chat.placeholder')}
          aria-label={t('chat.placeholder')}
          onInput={(e) => {
            setDraft((e.target as HTMLInputElement).value);
            pendingClientId.current = undefined;
            if (Date.now() - typedAt.current > 2000) {
              typedAt.current = Date.now();
              realtime.send({ t: 'chat.typing', conversationId });
            }
          }}
          data-testid="chat-input"
        />
        <Button type="submit" busy={sending} testId="chat-send">
          {t('chat.send')}
        </Button>
      </form>
    </AppLayout>
  );
}
