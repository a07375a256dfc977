/**
 * @module Messages: send (idempotent on the client's message id, durable before it is acknowledged), recall
 * within a window, delete for me, read positions and receipts, and history paging.
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, ne, notExists, sql } from 'drizzle-orm';
import type { Bus } from '../bus/bus.ts';
import type { HostConfig } from '../config.ts';
import type { ContactsService } from '../contacts/service.ts';
import type { Clock } from '../core/clock.ts';
import { DURABLE } from '../db/database.ts';
import { AtriumError } from '../core/errors.ts';
import type { Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import { assertUnderLimit, type RateLimiter } from '../http/rate-limiter.ts';
import { appendConversationEvent, appendPersonalEvents, Fanout } from './inbox.ts';
import { moneyStates } from './money-views.ts';
import { prepared } from './prepared.ts';
import { activeMemberIds, appendMessage, requireMember, type Membership } from './log.ts';
import { conversationMembers, hiddenMessages, images, messages, type ImageRow, type MessageRow } from './schema.ts';
import { toMessageView, type Mentions, type MessageView, type MiniAppCard } from './views.ts';

/** Options of {@link MessageService}. */
export interface MessageServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  config: HostConfig;
  bus: Bus;
  contacts: ContactsService;
  limiter: RateLimiter;
}

/** A message to send: text, or an uploaded image with an optional caption. */
export interface OutgoingText {
  /** The sender's idempotency key (e.g. a UUID made when the person pressed send). */
  clientId: string;
  text?: string | undefined;
  /** An image I uploaded to this conversation (`POST …/images`). */
  imageId?: string | undefined;
  mentions?: { userIds?: string[] | undefined; all?: boolean | undefined } | undefined;
  replyToId?: string | undefined;
}

/** A mini-app card to send (`atrium.shareToChat()`), already checked against the app's manifest by the caller. */
export interface OutgoingCard {
  /** The idempotency key: a retry with the same one returns the first message. */
  clientId: string;
  card: MiniAppCard;
}

/** A page of history, oldest first. */
export interface HistoryPage {
  messages: MessageView[];
  /** True when there are older (paging back) or newer (paging forward) messages beyond this page. */
  hasMore: boolean;
}

/** Who has read one of my messages. */
export interface Receipts {
  readCount: number;
  unreadCount: number;
  /** In a 1:1 chat: whether the other person has read it. */
  read: boolean;
}

/** Sending and reading messages. Every call acts for `userId` and only in conversations they are in. */
export class MessageService {
  readonly #o: MessageServiceOptions;

  constructor(options: MessageServiceOptions) {
    this.#o = options;
  }

  /**
   * Sends a text message. The answer comes after the commit, so an acknowledged message is stored. A retry with
   * the same `clientId` returns the first message (`created: false`) and never makes a second one.
   */
  async send(userId: string, conversationId: string, input: OutgoingText & { card?: MiniAppCard | undefined }): Promise<{ message: MessageView; created: boolean }> {
    const { database, clock, random, config, limiter, bus } = this.#o;
    if (!input.text && !input.imageId && !input.card) throw new AtriumError({ code: 'VALIDATION_FAILED', detail: 'Send text, an image, or both.' });
    if ((input.text ?? '').length > config.messaging.maxTextChars) {
      throw new AtriumError({ code: 'MESSAGE_TOO_LONG', detail: `Messages are limited to ${config.messaging.maxTextChars} characters.` });
    }
    const earlier = await this.#bySenderClientId(database.db, conversationId, userId, input.clientId);
    if (earlier) {
      await requireMember(database.db, conversationId, userId);
      const message = await this.#sameOrThrow(database.db, earlier, input);
      // This answer acknowledges the first send, whose commit a read can see before its fsync has ended.
      await database.flushed();
      return { message, created: false };
    }
    const key = `messaging:send:${userId}`;
    assertUnderLimit(limiter, clock, key, config.messaging.sendsPerWindow);
    const fanout = new Fanout();
    const result = await database.write(async (tx) => {
      const membership = await requireMember(tx, conversationId, userId);
      const again = await this.#bySenderClientId(tx, conversationId, userId, input.clientId);
      if (again) return { message: await this.#sameOrThrow(tx, again, input), created: false };
      await this.#assertCanSend(membership, userId);
      const mentions = await this.#mentions(tx, membership, input.mentions);
      const reply = input.replyToId ? await this.#visible(tx, membership, input.replyToId) : undefined;
      const image = input.imageId ? await this.#myImage(tx, conversationId, userId, input.imageId) : undefined;
      const now = clock.now();
      const kind = input.card ? 'miniapp' : image ? 'image' : 'text';
      const text = input.card ? input.card.title : (input.text ?? null);
      const { view } = await appendMessage(tx, fanout, random, now, { conversationId, senderId: userId, clientId: input.clientId, kind, text, mentions, reply, image, card: input.card ?? null });
      const read = prepared(tx, 'senderRead', (d) =>
        d
          .update(conversationMembers)
          .set({ readOrder: sql`${sql.placeholder('order')}` })
          .where(and(eq(conversationMembers.conversationId, sql.placeholder('conversationId')), eq(conversationMembers.userId, sql.placeholder('userId'))))
          .prepare(),
      );
      await read.run({ order: view.order, conversationId, userId });
      return { message: view, created: true };
    }, DURABLE);
    if (result.created) limiter.hit(key, config.messaging.sendWindowMs);
    fanout.publish(bus);
    return result;
  }

  /**
   * Sends a mini-app card for the person (never for the app: the shell's sheet chose the conversation). Same
   * rules as {@link send}: members only, idempotent on `clientId`, rate-limited, durable before the answer.
   */
  async sendCard(userId: string, conversationId: string, input: OutgoingCard): Promise<{ message: MessageView; created: boolean }> {
    return this.send(userId, conversationId, { clientId: input.clientId, card: input.card });
  }

  /** Recalls my message for everyone, within the recall window; it becomes a `recalled` system message. */
  async recall(userId: string, conversationId: string, messageId: string): Promise<MessageView> {
    const { database, clock, config, bus } = this.#o;
    const fanout = new Fanout();
    const view = await database.write(async (tx) => {
      const membership = await requireMember(tx, conversationId, userId);
      const row = await this.#visible(tx, membership, messageId);
      if (row.senderId !== userId) throw new AtriumError({ code: 'MESSAGE_NOT_SENDER', detail: 'Only the sender can recall a message.' });
      if (row.recalledAt !== null) return toMessageView(row);
      if (row.kind === 'transfer' || row.kind === 'redpacket') throw new AtriumError({ code: 'MESSAGE_NOT_RECALLABLE', detail: 'Money in chat stays: a transfer can be left to return after 24 h, a red packet returns what is unopened.' });
      const now = clock.now();
      if (now - row.createdAt > config.messaging.recallWindowMs) {
        throw new AtriumError({ code: 'MESSAGE_RECALL_EXPIRED', detail: `Messages can be recalled within ${Math.round(config.messaging.recallWindowMs / 1000)} seconds of sending.` });
      }
      const recalled: MessageRow = { ...row, kind: 'system', text: null, mentions: null, imageId: null, card: null, system: JSON.stringify({ event: 'recalled', by: userId }), recalledAt: now };
      await tx.update(messages).set({ kind: recalled.kind, text: null, mentions: null, imageId: null, card: null, system: recalled.system, recalledAt: now }).where(eq(messages.id, row.id));
      const view = toMessageView(recalled);
      await appendConversationEvent(tx, fanout, await activeMemberIds(tx, conversationId), { type: 'recall', conversationId, at: now, message: view }, { messageId: row.id }, now);
      return view;
    }, DURABLE);
    fanout.publish(bus);
    return view;
  }

  /** Deletes a message for me only (my other devices are told). */
  async hide(userId: string, conversationId: string, messageId: string): Promise<void> {
    const fanout = new Fanout();
    await this.#o.database.write(async (tx) => {
      const membership = await requireMember(tx, conversationId, userId);
      await this.#visible(tx, membership, messageId);
      const now = this.#o.clock.now();
      const inserted = await tx.insert(hiddenMessages).values({ userId, messageId, conversationId, createdAt: now }).onConflictDoNothing().returning();
      if (inserted.length > 0) await appendPersonalEvents(tx, fanout, [userId], { type: 'hidden', conversationId, at: now, data: { messageId } }, { messageId, data: { messageId } }, now);
    }, DURABLE);
    fanout.publish(this.#o.bus);
  }

  /**
   * Moves my read position forward to `order` (never back). My devices are told; in a 1:1 chat so is the
   * other person (read receipts per message). Group receipts are counts, asked for by the sender.
   */
  async markRead(userId: string, conversationId: string, order: number): Promise<{ readOrder: number }> {
    const fanout = new Fanout();
    const result = await this.#o.database.write(async (tx) => {
      const { conversation, member } = await requireMember(tx, conversationId, userId);
      const target = Math.min(order, conversation.lastOrder);
      if (target <= member.readOrder) return { readOrder: member.readOrder };
      const now = this.#o.clock.now();
      await tx.update(conversationMembers).set({ readOrder: target }).where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
      const to = conversation.kind === 'direct' ? await activeMemberIds(tx, conversationId) : [userId];
      const data = { userId, order: target };
      await appendPersonalEvents(tx, fanout, to, { type: 'read', conversationId, at: now, data }, { data }, now);
      return { readOrder: target };
    }, DURABLE);
    fanout.publish(this.#o.bus);
    return result;
  }

  /** Read receipts of one of my messages: how many members have read it. */
  async receipts(userId: string, conversationId: string, messageId: string): Promise<Receipts> {
    const db = this.#o.database.db;
    const membership = await requireMember(db, conversationId, userId);
    const row = await this.#visible(db, membership, messageId);
    if (row.senderId !== userId) throw new AtriumError({ code: 'MESSAGE_NOT_SENDER', detail: 'Only the sender sees who read a message.' });
    const [counts] = await db
      .select({ read: sql<number>`coalesce(sum(case when ${conversationMembers.readOrder} >= ${row.order} then 1 else 0 end), 0)`, all: sql<number>`count(*)` })
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.status, 'active'), ne(conversationMembers.userId, userId), sql`${conversationMembers.visibleFrom} <= ${row.order}`));
    const readCount = Number(counts?.read ?? 0);
    const all = Number(counts?.all ?? 0);
    return { readCount, unreadCount: all - readCount, read: all > 0 && readCount === all };
  }

  /** A page of history: before `before` (paging back, the default from the newest) or after `after`. */
  async history(userId: string, conversationId: string, options: { before?: number | undefined; after?: number | undefined; limit: number }): Promise<HistoryPage> {
    const db = this.#o.database.db;
    const { member } = await requireMember(db, conversationId, userId);
    const conditions = [eq(messages.conversationId, conversationId), gte(messages.order, member.visibleFrom), this.#notHidden(db, userId)];
    const forward = options.after !== undefined && options.before === undefined;
    if (options.before !== undefined) conditions.push(lt(messages.order, options.before));
    if (options.after !== undefined) conditions.push(gt(messages.order, options.after));
    const rows = await db
      .select()
      .from(messages)
      .where(and(...conditions))
      .orderBy(forward ? asc(messages.order) : desc(messages.order))
      .limit(options.limit + 1);
    const hasMore = rows.length > options.limit;
    const page = rows.slice(0, options.limit);
    if (!forward) page.reverse();
    return { messages: await this.views(db, page), hasMore };
  }

  /** Views of message rows, with their quoted messages and images. */
  async views(db: Db, rows: readonly MessageRow[]): Promise<MessageView[]> {
    const replyIds = [...new Set(rows.flatMap((r) => (r.replyToId ? [r.replyToId] : [])))];
    const replies = replyIds.length === 0 ? [] : await db.select().from(messages).where(inArray(messages.id, replyIds));
    const byId = new Map(replies.map((r) => [r.id, r]));
    const imageIds = [...new Set(rows.flatMap((r) => (r.imageId ? [r.imageId] : [])))];
    const imageRows = imageIds.length === 0 ? [] : await db.select().from(images).where(inArray(images.id, imageIds));
    const imageById = new Map(imageRows.map((r) => [r.id, r]));
    const money = moneyStates(db, rows);
    return rows.map((r) => toMessageView(r, r.replyToId ? byId.get(r.replyToId) : undefined, r.imageId ? imageById.get(r.imageId) : undefined, money.get(r.id)));
  }

  async #myImage(tx: Db, conversationId: string, userId: string, imageId: string): Promise<ImageRow> {
    const [row] = await tx.select().from(images).where(and(eq(images.id, imageId), eq(images.conversationId, conversationId), eq(images.uploaderId, userId))).limit(1);
    if (!row) throw new AtriumError({ code: 'IMAGE_NOT_FOUND', detail: 'Upload the image to this conversation first.' });
    return row;
  }

  #notHidden(db: Db, userId: string): ReturnType<typeof notExists> {
    return notExists(
      db
        .select({ one: sql`1` })
        .from(hiddenMessages)
        .where(and(eq(hiddenMessages.userId, userId), eq(hiddenMessages.messageId, messages.id))),
    );
  }

  /** A message of the conversation that the member may see (sent since they joined). */
  async #visible(db: Db, membership: Membership, messageId: string): Promise<MessageRow> {
    const [row] = await db
      .select()
      .from(messages)
      .where(and(eq(messages.id, messageId), eq(messages.conversationId, membership.conversation.id), gte(messages.order, membership.member.visibleFrom)))
      .limit(1);
    if (!row) throw new AtriumError({ code: 'MESSAGE_NOT_FOUND' });
    return row;
  }

  async #bySenderClientId(db: Db, conversationId: string, userId: string, clientId: string): Promise<MessageRow | undefined> {
    const query = prepared(db, 'bySenderClientId', (d) =>
      d
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, sql.placeholder('conversationId')), eq(messages.senderId, sql.placeholder('userId')), eq(messages.clientId, sql.placeholder('clientId'))))
        .limit(1)
        .prepare(),
    );
    return query.get({ conversationId, userId, clientId });
  }

  /** The earlier message for a retried client id, unless the id was reused for different content. */
  async #sameOrThrow(db: Db, earlier: MessageRow, input: OutgoingText & { card?: MiniAppCard | undefined }): Promise<MessageView> {
    const text = input.card ? input.card.title : (input.text ?? null);
    const card = input.card ? JSON.stringify(input.card) : null;
    if (earlier.recalledAt === null && (earlier.text !== text || earlier.imageId !== (input.imageId ?? null) || earlier.card !== card)) throw new AtriumError({ code: 'MESSAGE_CLIENT_ID_REUSED' });
    const [view] = await this.views(db, [earlier]);
    if (!view) throw new AtriumError({ code: 'MESSAGE_NOT_FOUND' });
    return view;
  }

  /** In a 1:1 chat, both must still be contacts and neither may block the other. */
  async #assertCanSend({ conversation }: Membership, userId: string): Promise<void> {
    if (conversation.kind !== 'direct') return;
    const peerId = (conversation.directKey ?? '').split(':').find((id) => id !== userId) ?? '';
    const { contacts } = this.#o;
    if (await contacts.isBlockedEitherWay(userId, peerId)) throw new AtriumError({ code: 'CONVERSATION_BLOCKED' });
    if (!(await contacts.areContacts(userId, peerId))) throw new AtriumError({ code: 'CONVERSATION_NOT_CONTACTS', detail: 'You are no longer contacts; send a contact request first.' });
  }

  async #mentions(tx: Db, { conversation, member }: Membership, input: OutgoingText['mentions']): Promise<Mentions | null> {
    const userIds = [...new Set(input?.userIds ?? [])];
    const all = input?.all ?? false;
    if (userIds.length === 0 && !all) return null;
    if (all && (conversation.kind !== 'group' || (member.role !== 'owner' && member.role !== 'admin'))) {
      throw new AtriumError({ code: 'MESSAGE_MENTION_INVALID', detail: 'Only the group owner and admins can mention everyone.' });
    }
    if (userIds.length > 0) {
      const found = await tx
        .select({ userId: conversationMembers.userId })
        .from(conversationMembers)
        .where(and(eq(conversationMembers.conversationId, conversation.id), eq(conversationMembers.status, 'active'), inArray(conversationMembers.userId, userIds)));
      if (found.length !== userIds.length) throw new AtriumError({ code: 'MESSAGE_MENTION_INVALID' });
    }
    return { userIds, all };
  }
}
