/**
 * @module Conversations: 1:1 chats between contacts (blocking respected) and groups of up to 500 (name,
 * avatar, announcement, owner and admins, add, remove, leave, mute). Every change that others should see is a
 * system message in the log; every change only I should see is an inbox update on my devices.
 */
import { and, asc, desc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import type { Bus } from '../bus/bus.ts';
import type { HostConfig } from '../config.ts';
import type { ContactsService } from '../contacts/service.ts';
import type { Clock } from '../core/clock.ts';
import { DURABLE } from '../db/database.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import { assertUnderLimit, type RateLimiter } from '../http/rate-limiter.ts';
import type { IdentityService, Person } from '../identity/service.ts';
import { appendPersonalEvents, ensureInboxes, Fanout, logHead } from './inbox.ts';
import { activeMemberIds, appendMessage, requireAdmin, requireGroupMember, requireMember } from './log.ts';
import { conversationMembers, conversations, hiddenMessages, messages, type ConversationRow, type MemberRow } from './schema.ts';
import { toMessageView, type ConversationView } from './views.ts';

/** Options of {@link ConversationService}. */
export interface ConversationServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  config: HostConfig;
  bus: Bus;
  identity: IdentityService;
  contacts: ContactsService;
  limiter: RateLimiter;
}

/** A member as listed to the other members. */
export interface MemberView {
  person: Person;
  role: 'owner' | 'admin' | 'member';
  joinedAt: number;
}

/** What a group can be changed to. */
export interface GroupChanges {
  name?: string | undefined;
  avatarUrl?: string | null | undefined;
  announcement?: string | undefined;
}

/** Conversations and their members. Every call acts for `userId` and only on conversations they are in. */
export class ConversationService {
  readonly #o: ConversationServiceOptions;

  constructor(options: ConversationServiceOptions) {
    this.#o = options;
  }

  /** My conversations, the most recently active first. */
  async list(userId: string): Promise<ConversationView[]> {
    const db = this.#o.database.db;
    const rows = await db
      .select({ conversation: conversations, member: conversationMembers })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
      .where(and(eq(conversationMembers.userId, userId), eq(conversationMembers.status, 'active')))
      .orderBy(desc(conversations.updatedAt));
    return this.summarize(db, userId, rows);
  }

  /** One of my conversations. */
  async get(userId: string, conversationId: string): Promise<ConversationView> {
    const db = this.#o.database.db;
    const [view] = await this.summarize(db, userId, [await requireMember(db, conversationId, userId)]);
    if (!view) throw new AtriumError({ code: 'CONVERSATION_NOT_FOUND' });
    return view;
  }

  /** The 1:1 chat with a contact, created on first use. */
  async openDirect(userId: string, otherId: string): Promise<ConversationView> {
    const { contacts, database, clock, random } = this.#o;
    if (otherId === userId) throw new AtriumError({ code: 'CONVERSATION_NOT_CONTACTS', detail: 'You cannot chat with yourself.' });
    if (await contacts.isBlockedEitherWay(userId, otherId)) throw new AtriumError({ code: 'CONVERSATION_BLOCKED' });
    if (!(await contacts.areContacts(userId, otherId))) throw new AtriumError({ code: 'CONVERSATION_NOT_CONTACTS' });
    const directKey = [userId, otherId].sort().join(':');
    const fanout = new Fanout();
    const id = await database.write(async (tx) => {
      const [existing] = await tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.directKey, directKey)).limit(1);
      if (existing) return existing.id;
      const now = clock.now();
      const conversationId = newId(random, 'cnv');
      await tx.insert(conversations).values({ id: conversationId, kind: 'direct', directKey, memberCount: 2, createdBy: userId, createdAt: now, updatedAt: now });
      const head = await logHead(tx);
      await tx.insert(conversationMembers).values([userId, otherId].map((u) => this.#memberRow(conversationId, u, 'member', 1, head, now)));
      await ensureInboxes(tx, [userId, otherId]);
      await appendPersonalEvents(tx, fanout, [userId], { type: 'membership', conversationId, at: now, data: { status: 'active', role: 'member' } }, { data: { status: 'active', role: 'member' } }, now);
      return conversationId;
    }, DURABLE);
    fanout.publish(this.#o.bus);
    return this.get(userId, id);
  }

  /** A new group with me as its owner and some of my contacts in it. */
  async createGroup(userId: string, input: { name: string; memberIds: readonly string[] }): Promise<ConversationView> {
    const { database, clock, random, config } = this.#o;
    const others = [...new Set(input.memberIds)].filter((id) => id !== userId);
    if (others.length + 1 > config.messaging.maxGroupMembers) {
      throw new AtriumError({ code: 'GROUP_FULL', detail: `Groups have at most ${config.messaging.maxGroupMembers} members.` });
    }
    const key = `messaging:groups:${userId}`;
    assertUnderLimit(this.#o.limiter, this.#o.clock, key, config.messaging.groupsPerHour);
    await this.#assertCanAdd(userId, others);
    this.#o.limiter.hit(key, 3600_000);
    const fanout = new Fanout();
    const id = await database.write(async (tx) => {
      const now = clock.now();
      const conversationId = newId(random, 'cnv');
      await tx.insert(conversations).values({ id: conversationId, kind: 'group', name: input.name, memberCount: others.length + 1, createdBy: userId, createdAt: now, updatedAt: now });
      const head = await logHead(tx);
      await tx.insert(conversationMembers).values([this.#memberRow(conversationId, userId, 'owner', 1, head, now), ...others.map((u) => this.#memberRow(conversationId, u, 'member', 1, head, now))]);
      await ensureInboxes(tx, [userId, ...others]);
      await appendPersonalEvents(tx, fanout, [userId], { type: 'membership', conversationId, at: now, data: { status: 'active', role: 'owner' } }, { data: { status: 'active', role: 'owner' } }, now);
      if (others.length > 0) {
        await appendPersonalEvents(tx, fanout, others, { type: 'membership', conversationId, at: now, data: { status: 'active', role: 'member' } }, { data: { status: 'active', role: 'member' } }, now);
      }
      await appendMessage(tx, fanout, random, now, { conversationId, senderId: null, kind: 'system', system: { event: 'created', by: userId, name: input.name } });
      if (others.length > 0) await appendMessage(tx, fanout, random, now, { conversationId, senderId: null, kind: 'system', system: { event: 'joined', userIds: others, by: userId, via: 'added' } });
      return conversationId;
    }, DURABLE);
    fanout.publish(this.#o.bus);
    return this.get(userId, id);
  }

  /** Renames a group, sets its avatar (any member) or its announcement (owner and admins). */
  async update(userId: string, conversationId: string, changes: GroupChanges): Promise<ConversationView> {
    const { database, clock, random } = this.#o;
    const fanout = new Fanout();
    await database.write(async (tx) => {
      const { conversation, member } = await requireGroupMember(tx, conversationId, userId);
      const now = clock.now();
      const post = (system: Parameters<typeof appendMessage>[4]['system']): Promise<unknown> => appendMessage(tx, fanout, random, now, { conversationId, senderId: null, kind: 'system', system });
      if (changes.announcement !== undefined) requireAdmin(member);
      if (changes.name !== undefined && changes.name !== conversation.name) {
        await tx.update(conversations).set({ name: changes.name }).where(eq(conversations.id, conversationId));
        await post({ event: 'renamed', by: userId, name: changes.name });
      }
      if (changes.avatarUrl !== undefined && changes.avatarUrl !== conversation.avatarUrl) {
        await tx.update(conversations).set({ avatarUrl: changes.avatarUrl }).where(eq(conversations.id, conversationId));
        await post({ event: 'avatar', by: userId });
      }
      if (changes.announcement !== undefined && changes.announcement !== conversation.announcement) {
        await tx.update(conversations).set({ announcement: changes.announcement, announcementAt: now }).where(eq(conversations.id, conversationId));
        await post({ event: 'announcement', by: userId, text: changes.announcement });
      }
    }, DURABLE);
    fanout.publish(this.#o.bus);
    return this.get(userId, conversationId);
  }

  /** Mutes or unmutes a conversation for me (all my devices are told). */
  async setMuted(userId: string, conversationId: string, muted: boolean): Promise<ConversationView> {
    const fanout = new Fanout();
    await this.#o.database.write(async (tx) => {
      await requireMember(tx, conversationId, userId);
      const now = this.#o.clock.now();
      await tx.update(conversationMembers).set({ muted, updatedAt: now }).where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId)));
      await appendPersonalEvents(tx, fanout, [userId], { type: 'settings', conversationId, at: now, data: { muted } }, { data: { muted } }, now);
    }, DURABLE);
    fanout.publish(this.#o.bus);
    return this.get(userId, conversationId);
  }

  /** The members, owner first, then admins, then by joining time. */
  async members(userId: string, conversationId: string): Promise<MemberView[]> {
    const db = this.#o.database.db;
    await requireMember(db, conversationId, userId);
    const rows = await db
      .select()
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.status, 'active')))
      .orderBy(asc(conversationMembers.joinedAt));
    const people = await this.#o.identity.people(rows.map((r) => r.userId));
    const rank = { owner: 0, admin: 1, member: 2 } as const;
    return rows
      .flatMap((r) => {
        const person = people.get(r.userId);
        return person ? [{ person, role: r.role as MemberView['role'], joinedAt: r.joinedAt }] : [];
      })
      .sort((a, b) => rank[a.role] - rank[b.role]);
  }

  /** Adds some of my contacts to a group I am in. */
  async addMembers(userId: string, conversationId: string, userIds: readonly string[]): Promise<MemberView[]> {
    const wanted = [...new Set(userIds)].filter((id) => id !== userId);
    await requireGroupMember(this.#o.database.db, conversationId, userId); // a non-member learns nothing, not even about contacts
    await this.#assertCanAdd(userId, wanted);
    const fanout = new Fanout();
    await this.#o.database.write(async (tx) => {
      await requireGroupMember(tx, conversationId, userId);
      await this.admit(tx, fanout, conversationId, wanted, userId, 'added');
    }, DURABLE);
    fanout.publish(this.#o.bus);
    return this.members(userId, conversationId);
  }

  /**
   * Puts people into a group (new, or back after leaving) inside `tx`: checks the size limit, writes the
   * membership, tells the newcomers' devices and posts one `joined` message. Used by adding and by invites.
   */
  async admit(tx: Db, fanout: Fanout, conversationId: string, userIds: readonly string[], by: string | null, via: 'added' | 'invite'): Promise<void> {
    const { clock, random, config } = this.#o;
    const [conversation] = await tx.select().from(conversations).where(eq(conversations.id, conversationId)).limit(1);
    if (!conversation) throw new AtriumError({ code: 'CONVERSATION_NOT_FOUND' });
    const existing = userIds.length === 0 ? [] : await tx.select().from(conversationMembers).where(and(eq(conversationMembers.conversationId, conversationId), inArray(conversationMembers.userId, [...userIds])));
    const active = new Set(existing.filter((m) => m.status === 'active').map((m) => m.userId));
    const joining = userIds.filter((id) => !active.has(id));
    if (joining.length === 0) {
      if (userIds.length > 0) throw new AtriumError({ code: 'GROUP_ALREADY_MEMBER' });
      return;
    }
    if (conversation.memberCount + joining.length > config.messaging.maxGroupMembers) {
      throw new AtriumError({ code: 'GROUP_FULL', detail: `Groups have at most ${config.messaging.maxGroupMembers} members.` });
    }
    const now = clock.now();
    const visibleFrom = conversation.lastOrder + 1;
    const fromSeq = await logHead(tx);
    const returning = new Set(existing.map((m) => m.userId));
    for (const id of joining) {
      if (returning.has(id)) {
        // A returning member's earlier membership is forgotten: they sync from now on, like a newcomer.
        await tx
          .update(conversationMembers)
          .set({ status: 'active', role: 'member', visibleFrom, fromSeq, untilSeq: null, readOrder: conversation.lastOrder, joinedAt: now, updatedAt: now })
          .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, id)));
      }
    }
    const fresh = joining.filter((id) => !returning.has(id));
    if (fresh.length > 0) await tx.insert(conversationMembers).values(fresh.map((id) => ({ ...this.#memberRow(conversationId, id, 'member', visibleFrom, fromSeq, now), readOrder: conversation.lastOrder })));
    await tx.update(conversations).set({ memberCount: sql`${conversations.memberCount} + ${joining.length}` }).where(eq(conversations.id, conversationId));
    await ensureInboxes(tx, joining);
    await appendPersonalEvents(tx, fanout, joining, { type: 'membership', conversationId, at: now, data: { status: 'active', role: 'member' } }, { data: { status: 'active', role: 'member' } }, now);
    await appendMessage(tx, fanout, random, now, { conversationId, senderId: null, kind: 'system', system: { event: 'joined', userIds: joining, by, via } });
  }

  /** Makes a member an admin or a plain member, or hands the group over (`owner`: I become an admin). Owner only. */
  async setRole(userId: string, conversationId: string, targetId: string, role: 'owner' | 'admin' | 'member'): Promise<MemberView[]> {
    const { database, clock, random } = this.#o;
    const fanout = new Fanout();
    await database.write(async (tx) => {
      const { member } = await requireGroupMember(tx, conversationId, userId);
      if (member.role !== 'owner') throw new AtriumError({ code: 'CONVERSATION_FORBIDDEN', detail: 'Only the group owner can change roles.' });
      const target = await this.#activeMember(tx, conversationId, targetId);
      if (target.userId === userId) throw new AtriumError({ code: 'CONVERSATION_FORBIDDEN', detail: 'Hand the group to someone else instead.' });
      const now = clock.now();
      const setRole = (id: string, r: string): Promise<unknown> =>
        tx.update(conversationMembers).set({ role: r, updatedAt: now }).where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, id)));
      await setRole(targetId, role);
      if (role === 'owner') await setRole(userId, 'admin');
      await appendMessage(tx, fanout, random, now, { conversationId, senderId: null, kind: 'system', system: { event: 'role', userId: targetId, role, by: userId } });
    }, DURABLE);
    fanout.publish(this.#o.bus);
    return this.members(userId, conversationId);
  }

  /**
   * Takes someone out of a group: myself (leaving; an owner who leaves hands the group to the longest-serving
   * admin, else member), or someone else (owner: anyone; admin: plain members only).
   */
  async removeMember(userId: string, conversationId: string, targetId: string): Promise<void> {
    const { database, clock, random } = this.#o;
    const fanout = new Fanout();
    await database.write(async (tx) => {
      const { member } = await requireGroupMember(tx, conversationId, userId);
      const target = targetId === userId ? member : await this.#activeMember(tx, conversationId, targetId);
      if (targetId !== userId) {
        requireAdmin(member);
        if (target.role === 'owner') throw new AtriumError({ code: 'GROUP_OWNER_CANNOT_BE_REMOVED' });
        if (member.role === 'admin' && target.role !== 'member') throw new AtriumError({ code: 'CONVERSATION_FORBIDDEN', detail: 'Admins can only remove members.' });
      }
      const now = clock.now();
      const status = targetId === userId ? 'left' : 'removed';
      await tx.update(conversationMembers).set({ status, untilSeq: await logHead(tx), updatedAt: now }).where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, targetId)));
      await tx.update(conversations).set({ memberCount: sql`${conversations.memberCount} - 1` }).where(eq(conversations.id, conversationId));
      if (target.role === 'owner') {
        const [heir] = await tx
          .select()
          .from(conversationMembers)
          .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.status, 'active'), ne(conversationMembers.userId, targetId)))
          .orderBy(sql`case ${conversationMembers.role} when 'admin' then 0 else 1 end`, asc(conversationMembers.joinedAt))
          .limit(1);
        if (heir) {
          await tx.update(conversationMembers).set({ role: 'owner', updatedAt: now }).where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, heir.userId)));
          await appendMessage(tx, fanout, random, now, { conversationId, senderId: null, kind: 'system', system: { event: 'role', userId: heir.userId, role: 'owner', by: targetId } });
        }
      }
      await appendPersonalEvents(tx, fanout, [targetId], { type: 'membership', conversationId, at: now, data: { status, role: target.role } }, { data: { status, role: target.role } }, now);
      const system = status === 'left' ? ({ event: 'left', userId: targetId } as const) : ({ event: 'removed', userId: targetId, by: userId } as const);
      await appendMessage(tx, fanout, random, now, { conversationId, senderId: null, kind: 'system', system });
    }, DURABLE);
    fanout.publish(this.#o.bus);
  }

  /**
   * Chat-list summaries for `userId` of the given memberships: unread counts, mentions, the last message, and
   * the other person of a 1:1 chat.
   */
  async summarize(db: Db, userId: string, rows: ReadonlyArray<{ conversation: ConversationRow; member: MemberRow }>): Promise<ConversationView[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.conversation.id);
    const directPeers = await db
      .select({ conversationId: conversationMembers.conversationId, userId: conversationMembers.userId })
      .from(conversationMembers)
      .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
      .where(and(inArray(conversationMembers.conversationId, ids), eq(conversations.kind, 'direct'), ne(conversationMembers.userId, userId)));
    const peerOf = new Map(directPeers.map((p) => [p.conversationId, p.userId]));
    const people = await this.#o.identity.people([...peerOf.values()]);
    const views: ConversationView[] = [];
    for (const { conversation: c, member: m } of rows) {
      const [last] = await db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, c.id), gt(messages.order, m.visibleFrom - 1)))
        .orderBy(desc(messages.order))
        .limit(1);
      const since = Math.max(m.readOrder, m.visibleFrom - 1);
      const [counts] = await db
        .select({
          unread: sql<number>`count(*)`,
          mentions: sql<number>`coalesce(sum(case when ${messages.mentions} is not null and (${messages.mentions} like '%"all":true%' or instr(${messages.mentions}, ${JSON.stringify(userId)}) > 0) then 1 else 0 end), 0)`,
        })
        .from(messages)
        .where(
          and(
            eq(messages.conversationId, c.id),
            gt(messages.order, since),
            ne(messages.kind, 'system'),
            ne(messages.senderId, userId),
            sql`not exists (select 1 from ${hiddenMessages} h where h.user_id = ${userId} and h.message_id = ${messages.id})`,
          ),
        );
      const peerId = peerOf.get(c.id);
      views.push({
        id: c.id,
        kind: c.kind as ConversationView['kind'],
        name: c.name,
        avatarUrl: c.avatarUrl,
        announcement: c.announcement,
        peer: peerId ? (people.get(peerId) ?? null) : null,
        memberCount: c.memberCount,
        role: m.role as ConversationView['role'],
        muted: m.muted,
        unread: Number(counts?.unread ?? 0),
        unreadMentions: Number(counts?.mentions ?? 0),
        readOrder: m.readOrder,
        lastOrder: c.lastOrder,
        lastMessage: last ? toMessageView(last) : null,
        createdAt: c.createdAt,
        updatedAt: c.updatedAt,
      });
    }
    return views;
  }

  /** Throws `CONVERSATION_NOT_FOUND` unless I am in the conversation. */
  async assertMember(userId: string, conversationId: string): Promise<void> {
    await requireMember(this.#o.database.db, conversationId, userId);
  }

  /** Everyone active in the conversation (for fan-out of ephemeral events such as typing). */
  async memberIds(conversationId: string): Promise<string[]> {
    return activeMemberIds(this.#o.database.db, conversationId);
  }

  async #assertCanAdd(userId: string, others: readonly string[]): Promise<void> {
    const { contacts } = this.#o;
    for (const other of others) {
      if (await contacts.isBlockedEitherWay(userId, other)) throw new AtriumError({ code: 'CONVERSATION_BLOCKED', detail: 'Someone you added is not accepting your messages.' });
      if (!(await contacts.areContacts(userId, other))) throw new AtriumError({ code: 'CONVERSATION_NOT_CONTACTS', detail: 'You can only add your contacts; share an invite link with others.' });
    }
  }

  async #activeMember(tx: Db, conversationId: string, userId: string): Promise<MemberRow> {
    const [row] = await tx
      .select()
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId), eq(conversationMembers.status, 'active')))
      .limit(1);
    if (!row) throw new AtriumError({ code: 'GROUP_MEMBER_NOT_FOUND' });
    return row;
  }

  #memberRow(conversationId: string, userId: string, role: string, visibleFrom: number, fromSeq: number, now: number): typeof conversationMembers.$inferInsert {
    return { conversationId, userId, role, status: 'active', visibleFrom, fromSeq, untilSeq: null, readOrder: 0, muted: false, joinedAt: now, updatedAt: now };
  }
}
