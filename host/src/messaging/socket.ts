/**
 * @module Chat over the device's WebSocket. Client → host: `chat.sync {cursor}`, `chat.send {conversationId,
 * clientId, text, ...}`, `chat.read {conversationId, order}`, `chat.typing {conversationId}`; each is answered
 * by an `ack` with the same result as its HTTP twin. Host → client: `chat.update {seq, update}` for every inbox
 * update, `chat.typing {conversationId, userId}` (ephemeral, members only, never stored).
 */
import { z } from '@hono/zod-openapi';
import type { SocketHub } from '../realtime/hub.ts';
import { IdSchema } from '../identity/api-schemas.ts';
import { hasContent, OutgoingMessageFields } from './api-schemas.ts';
import type { ConversationService } from './conversations.ts';
import type { MessageService } from './messages.ts';
import type { SyncService } from './sync.ts';

const Id = z.union([z.string().max(64), z.number()]).optional();
export const ChatSyncMessage = z.strictObject({ t: z.literal('chat.sync'), id: Id, cursor: z.number().int().min(0), limit: z.number().int().min(1).max(1000).optional() });
export const ChatSendMessage = z.strictObject({ t: z.literal('chat.send'), id: Id, conversationId: IdSchema, ...OutgoingMessageFields }).refine(hasContent, { message: 'Send text, an image, or both', path: ['text'] });
export const ChatReadMessage = z.strictObject({ t: z.literal('chat.read'), id: Id, conversationId: IdSchema, order: z.number().int().min(0) });
export const ChatTypingMessage = z.strictObject({ t: z.literal('chat.typing'), id: Id, conversationId: IdSchema });

/** How often one person's typing in one conversation is passed on. */
const TYPING_EVERY_MS = 2000;
const TYPING_MEMORY = 50_000;

/** Registers the chat socket messages on the hub. */
export function registerChatSocket(hub: SocketHub, services: { conversations: ConversationService; messages: MessageService; sync: SyncService }): void {
  const { conversations, messages, sync } = services;
  const lastTyping = new Map<string, number>();
  hub.on('chat.sync', ChatSyncMessage, (m, caller) => sync.sync(caller.userId, m.cursor, m.limit));
  hub.on('chat.send', ChatSendMessage, async (m, caller) => {
    const { conversationId, clientId, text, imageId, mentions, replyToId } = m;
    return messages.send(caller.userId, conversationId, { clientId, text, imageId, mentions, replyToId });
  });
  hub.on('chat.read', ChatReadMessage, (m, caller) => messages.markRead(caller.userId, m.conversationId, m.order));
  hub.on('chat.typing', ChatTypingMessage, async (m, caller) => {
    // Membership first: a non-member gets CONVERSATION_NOT_FOUND like everywhere else.
    await conversations.assertMember(caller.userId, m.conversationId);
    const key = `${caller.userId}:${m.conversationId}`;
    const now = Date.now();
    if (now - (lastTyping.get(key) ?? 0) < TYPING_EVERY_MS) return { sent: false };
    if (lastTyping.size >= TYPING_MEMORY) lastTyping.clear();
    lastTyping.set(key, now);
    const others = (await conversations.memberIds(m.conversationId)).filter((id) => id !== caller.userId);
    sync.sendEphemeral(others, { t: 'chat.typing', conversationId: m.conversationId, userId: caller.userId });
    return { sent: true };
  });
}
