/**
 * @module Calls of the messaging API: conversations, history, sending (idempotent on a client id), reading.
 * Types come from the host's own views (type-only imports: nothing of the server is bundled).
 */
import type { ConversationView, ImageView, MessageView } from '../../../src/messaging/views.ts';
import { request } from './client.ts';

export type { ConversationView, ImageView, MessageView, UpdateView } from '../../../src/messaging/views.ts';

/** My conversations, the most recently active first. */
export async function listConversations(signal?: AbortSignal): Promise<ConversationView[]> {
  return (await request<{ conversations: ConversationView[] }>('GET', '/v1/conversations', { signal })).conversations;
}

/** One of my conversations. */
export function getConversation(conversationId: string, signal?: AbortSignal): Promise<ConversationView> {
  return request('GET', `/v1/conversations/${encodeURIComponent(conversationId)}`, { signal });
}

/** The 1:1 chat with a contact (made on first use). */
export function openDirect(userId: string): Promise<ConversationView> {
  return request('POST', '/v1/conversations/direct', { body: { userId } });
}

/** Makes a group with some of my contacts; I am its owner. */
export function createGroup(name: string, memberIds: string[]): Promise<ConversationView> {
  return request('POST', '/v1/conversations', { body: { name, memberIds } });
}

/** The members of a conversation. */
export async function listMembers(conversationId: string, signal?: AbortSignal): Promise<Array<{ person: { id: string; handle: string; displayName: string }; role: string }>> {
  return (await request<{ members: Array<{ person: { id: string; handle: string; displayName: string }; role: string }> }>('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/members`, { signal })).members;
}

/** What an invite link leads to. */
export function previewInvite(token: string, signal?: AbortSignal): Promise<{ name: string | null; memberCount: number; expiresAt: number; member: boolean }> {
  return request('GET', `/v1/invites/${encodeURIComponent(token)}`, { signal });
}

/** Joins the group an invite link leads to. */
export function joinByInvite(token: string): Promise<ConversationView> {
  return request('POST', `/v1/invites/${encodeURIComponent(token)}/join`);
}

/** A page of history, oldest first; `before` pages back from an order. */
export function history(conversationId: string, before?: number, signal?: AbortSignal): Promise<{ messages: MessageView[]; hasMore: boolean }> {
  const query = before === undefined ? '' : `?before=${before}`;
  return request('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/messages${query}`, { signal });
}

/** Sends text; a retry with the same `clientId` never makes a second message. */
export async function sendText(conversationId: string, clientId: string, text: string): Promise<MessageView> {
  return (await request<{ message: MessageView }>('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/messages`, { body: { clientId, text } })).message;
}

/** Uploads an image (the host checks and re-encodes it); send it next with {@link sendImage}. */
export function uploadImage(conversationId: string, file: Blob): Promise<ImageView> {
  return request('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/images`, { raw: file });
}

/** Sends an uploaded image with an optional caption, idempotent on `clientId` like text. */
export async function sendImage(conversationId: string, clientId: string, imageId: string, text?: string): Promise<MessageView> {
  return (await request<{ message: MessageView }>('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/messages`, { body: { clientId, imageId, ...(text ? { text } : {}) } })).message;
}

/** An image's bytes (the API needs the bearer token, so the page shows them through an object URL). */
export function imageBlob(conversationId: string, imageId: string, variant: 'original' | 'thumbnail', signal?: AbortSignal): Promise<Blob> {
  return request('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/images/${encodeURIComponent(imageId)}?variant=${variant}`, { signal, as: 'blob' });
}

/** Recalls my message for everyone (within the host's recall window, 2 minutes by default). */
export async function recallMessage(conversationId: string, messageId: string): Promise<MessageView> {
  return (await request<{ message: MessageView }>('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/recall`)).message;
}

/** Whether the others have read my message (counts; `read` when all have). */
export function receipts(conversationId: string, messageId: string, signal?: AbortSignal): Promise<{ readCount: number; unreadCount: number; read: boolean }> {
  return request('GET', `/v1/conversations/${encodeURIComponent(conversationId)}/messages/${encodeURIComponent(messageId)}/receipts`, { signal });
}

/** Messages of my conversations containing `q`, newest first. */
export async function searchMessages(q: string, signal?: AbortSignal): Promise<MessageView[]> {
  return (await request<{ messages: MessageView[] }>('GET', `/v1/messages/search?q=${encodeURIComponent(q)}`, { signal })).messages;
}

/** Makes an invite link (and QR code) to a group I am in. */
export function createInvite(conversationId: string): Promise<{ id: string; url: string; expiresAt: number }> {
  return request('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/invites`, { body: {} });
}

/** Leaves a group (my own id) or, as its owner or an admin, removes someone. */
export function removeMember(conversationId: string, userId: string): Promise<void> {
  return request('DELETE', `/v1/conversations/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(userId)}`);
}

/** Moves my read position forward. */
export function markRead(conversationId: string, order: number): Promise<unknown> {
  return request('POST', `/v1/conversations/${encodeURIComponent(conversationId)}/read`, { body: { order } });
}

/** Sets a group's announcement (owner and admins; empty clears it). */
export function setAnnouncement(conversationId: string, announcement: string): Promise<ConversationView> {
  return request('PATCH', `/v1/conversations/${encodeURIComponent(conversationId)}`, { body: { announcement } });
}

/** Mutes or unmutes a conversation for me (all my devices). */
export function setMuted(conversationId: string, muted: boolean): Promise<ConversationView> {
  return request('PUT', `/v1/conversations/${encodeURIComponent(conversationId)}/settings`, { body: { muted } });
}

/** Makes a member an admin or a plain member, or hands the group over (`owner`; owner only). */
export function setRole(conversationId: string, userId: string, role: 'owner' | 'admin' | 'member'): Promise<unknown> {
  return request('PATCH', `/v1/conversations/${encodeURIComponent(conversationId)}/members/${encodeURIComponent(userId)}`, { body: { role } });
}

export type { RedPacketView, TransferView } from '../../../src/messaging/views.ts';

function keyed(key: string): { headers: Record<string, string> } {
  return { headers: { 'idempotency-key': key } };
}
const conv = (conversationId: string): string => `/v1/conversations/${encodeURIComponent(conversationId)}`;

/** Sends money to the other person of a 1:1 chat (needs the PIN); `key` is kept across retries of one send. */
export async function sendTransfer(conversationId: string, input: { amount: number; currency: string; note: string; pin: string }, key: string): Promise<MessageView> {
  return (await request<{ message: MessageView }>('POST', `${conv(conversationId)}/transfers`, { body: input, ...keyed(key) })).message;
}

/** Accepts (the money comes to me) or declines (it returns to the sender) a transfer sent to me. */
export async function resolveTransfer(conversationId: string, transferId: string, action: 'accept' | 'decline', key: string): Promise<MessageView> {
  return (await request<{ message: MessageView }>('POST', `${conv(conversationId)}/transfers/${encodeURIComponent(transferId)}/${action}`, keyed(key))).message;
}

/** Sends a red packet: `total` minor units in `shares` (random or equal); needs the PIN. */
export async function sendRedPacket(conversationId: string, input: { mode: 'random' | 'equal'; total: number; shares: number; currency: string; note: string; pin: string }, key: string): Promise<MessageView> {
  return (await request<{ message: MessageView }>('POST', `${conv(conversationId)}/red-packets`, { body: input, ...keyed(key) })).message;
}

/** Opens my share of a red packet. */
export function openRedPacket(conversationId: string, packetId: string, key: string): Promise<{ message: MessageView; amount: number }> {
  return request('POST', `${conv(conversationId)}/red-packets/${encodeURIComponent(packetId)}/open`, keyed(key));
}

/** A red packet, who got how much, and those people. */
export function getRedPacket(conversationId: string, packetId: string, signal?: AbortSignal): Promise<{ redPacket: import('../../../src/messaging/views.ts').RedPacketView; people: Array<{ id: string; handle: string; displayName: string }> }> {
  return request('GET', `${conv(conversationId)}/red-packets/${encodeURIComponent(packetId)}`, { signal });
}
