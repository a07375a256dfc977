/**
 * @module Writing a conversation's log: who is in it, and appending a message (next order, one row, and an
 * inbox update for every member) inside the caller's write transaction.
 */
import { and, eq, sql } from 'drizzle-orm';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Db } from '../db/database.ts';
import { insertConversationEventSync, type Fanout } from './inbox.ts';
import { prepared } from './prepared.ts';
import { conversationMembers, conversations, messages, type ConversationRow, type ImageRow, type MemberRow, type MessageRow } from './schema.ts';
import { toMessageView, type Mentions, type MessageView, type MiniAppCard, type MoneyState, type SystemEvent } from './views.ts';

/** A conversation and the caller's active membership of it. */
export interface Membership {
  conversation: ConversationRow;
  member: MemberRow;
}

/**
 * The conversation and the caller's membership, or `CONVERSATION_NOT_FOUND`: the same answer whether it does not
 * exist or the caller is not (or no longer) in it, so a non-member learns nothing.
 */
export async function requireMember(db: Db, conversationId: string, userId: string): Promise<Membership> {
  const query = prepared(db, 'requireMember', (d) =>
    d
      .select({ conversation: conversations, member: conversationMembers })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
      .where(and(eq(conversationMembers.conversationId, sql.placeholder('conversationId')), eq(conversationMembers.userId, sql.placeholder('userId')), eq(conversationMembers.status, 'active')))
      .limit(1)
      .prepare(),
  );
  const row = await query.get({ conversationId, userId });
  if (!row) throw new AtriumError({ code: 'CONVERSATION_NOT_FOUND' });
  return row;
}

/** Like {@link requireMember}, for group-only actions. */
export async function requireGroupMember(db: Db, conversationId: string, userId: string): Promise<Membership> {
  const found = await requireMember(db, conversationId, userId);
  if (found.conversation.kind !== 'group') throw new AtriumError({ code: 'CONVERSATION_NOT_GROUP' });
  return found;
}

/** Throws `CONVERSATION_FORBIDDEN` unless the member is the owner or an admin. */
export function requireAdmin(member: MemberRow): void {
  if (member.role !== 'owner' && member.role !== 'admin') throw new AtriumError({ code: 'CONVERSATION_FORBIDDEN' });
}

/** The ids of the active members. */
export async function activeMemberIds(db: Db, conversationId: string): Promise<string[]> {
  return activeMemberIdsSync(db, conversationId);
}

/** {@link activeMemberIds}, synchronously (for writers inside a ledger batch). */
export function activeMemberIdsSync(db: Db, conversationId: string): string[] {
  const query = prepared(db, 'activeMemberIds', (d) =>
    d
      .select({ userId: conversationMembers.userId })
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, sql.placeholder('conversationId')), eq(conversationMembers.status, 'active')))
      .prepare(),
  );
  const rows = query.all({ conversationId });
  return rows.map((r) => r.userId);
}

/** What a new message is made of. */
export interface NewMessage {
  conversationId: string;
  senderId: string | null;
  clientId?: string | null;
  kind: 'text' | 'image' | 'miniapp' | 'system' | 'transfer' | 'redpacket';
  text?: string | null;
  /** For `transfer` and `redpacket` messages: the money's state as the message shows it. */
  money?: MoneyState | undefined;
  image?: ImageRow | undefined;
  card?: MiniAppCard | null;
  mentions?: Mentions | null;
  reply?: MessageRow | undefined;
  system?: SystemEvent | null;
}

/**
 * Appends a message: takes the conversation's next order, inserts the row and puts a `message` update in every
 * conversation's event log. `recipients` are the members to push it to (defaults to the active members).
 */
export async function appendMessage(
  tx: Db,
  fanout: Fanout,
  random: Random,
  now: number,
  input: NewMessage,
  recipients?: readonly string[],
): Promise<{ row: MessageRow; view: MessageView }> {
  return appendMessageSync(tx, fanout, random, now, input, recipients);
}

/**
 * {@link appendMessage} without awaiting: every statement is a prepared one run synchronously, so a transfer or
 * red packet can append its message inside the ledger operation's savepoint (one transaction with the money).
 */
export function appendMessageSync(
  tx: Db,
  fanout: Fanout,
  random: Random,
  now: number,
  input: NewMessage,
  recipients?: readonly string[],
): { row: MessageRow; view: MessageView } {
  // One statement takes both the message's order and its event's count.
  const bump = prepared(tx, 'bumpConversation', (d) =>
    d
      .update(conversations)
      .set({ lastOrder: sql`${conversations.lastOrder} + 1`, lastEvent: sql`${conversations.lastEvent} + 1`, updatedAt: sql`${sql.placeholder('now')}` })
      .where(eq(conversations.id, sql.placeholder('id')))
      .returning({ lastOrder: conversations.lastOrder, lastEvent: conversations.lastEvent })
      .prepare(),
  );
  const bumped = bump.get({ id: input.conversationId, now });
  if (!bumped) throw new AtriumError({ code: 'CONVERSATION_NOT_FOUND' });
  const row: MessageRow = {
    id: newId(random, 'msg'),
    conversationId: input.conversationId,
    order: bumped.lastOrder,
    senderId: input.senderId,
    clientId: input.clientId ?? null,
    kind: input.kind,
    text: input.text ?? null,
    mentions: input.mentions ? JSON.stringify(input.mentions) : null,
    replyToId: input.reply?.id ?? null,
    imageId: input.image?.id ?? null,
    card: input.card ? JSON.stringify(input.card) : null,
    system: input.system ? JSON.stringify(input.system) : null,
    recalledAt: null,
    createdAt: now,
  };
  const insert = prepared(tx, 'insertMessage', (d) =>
    d
      .insert(messages)
      .values(Object.fromEntries(Object.keys(row).map((key) => [key, sql.placeholder(key)])) as never)
      .prepare(),
  );
  insert.run(row);
  const view = toMessageView(row, input.reply, input.image, input.money);
  const to = recipients ?? activeMemberIdsSync(tx, input.conversationId);
  insertConversationEventSync(tx, fanout, to, { type: 'message', conversationId: input.conversationId, at: now, message: view }, { messageId: row.id }, now, bumped.lastEvent);
  return { row, view };
}
