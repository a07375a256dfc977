/**
 * @module Group invites by link or QR code: any member makes one (expiring, optionally limited in uses), its
 * maker or an admin revokes it, and anyone signed in who holds the link can preview the group and join.
 * Only the token's hash is stored; the link is shown once, to its maker.
 */
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Bus } from '../bus/bus.ts';
import type { HostConfig } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { DURABLE } from '../db/database.ts';
import { AtriumError } from '../core/errors.ts';
import { hashSecret, newId, newSecret, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { assertUnderLimit, type RateLimiter } from '../http/rate-limiter.ts';
import type { ConversationService } from './conversations.ts';
import { Fanout } from './inbox.ts';
import { requireGroupMember } from './log.ts';
import { conversationInvites, conversationMembers, conversations, type InviteRow } from './schema.ts';
import type { ConversationView } from './views.ts';

/** Options of {@link InviteService}. */
export interface InviteServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  config: HostConfig;
  bus: Bus;
  conversations: ConversationService;
  limiter: RateLimiter;
}

/** An invite as listed to members (without its token). */
export interface InviteView {
  id: string;
  createdBy: string;
  createdAt: number;
  expiresAt: number;
  maxUses: number | null;
  uses: number;
}

/** A new invite, with the link (shown only now). */
export interface NewInvite extends InviteView {
  token: string;
  url: string;
}

/** What the holder of a link sees before joining. */
export interface InvitePreview {
  name: string | null;
  avatarUrl: string | null;
  memberCount: number;
  expiresAt: number;
  member: boolean;
}

const toView = (r: InviteRow): InviteView => ({ id: r.id, createdBy: r.createdBy, createdAt: r.createdAt, expiresAt: r.expiresAt, maxUses: r.maxUses, uses: r.uses });

/** Group invite links. */
export class InviteService {
  readonly #o: InviteServiceOptions;

  constructor(options: InviteServiceOptions) {
    this.#o = options;
  }

  /** Makes an invite link to a group I am in. */
  async create(userId: string, conversationId: string, options: { ttlMs?: number | undefined; maxUses?: number | undefined }): Promise<NewInvite> {
    const { database, clock, random, config } = this.#o;
    const token = newSecret(random, 'inv');
    await requireGroupMember(database.db, conversationId, userId);
    const key = `messaging:invites:${userId}`;
    assertUnderLimit(this.#o.limiter, clock, key, config.messaging.invitesPerHour);
    const row = await database.write(async (tx) => {
      await requireGroupMember(tx, conversationId, userId);
      const now = clock.now();
      const active = await tx
        .select({ id: conversationInvites.id })
        .from(conversationInvites)
        .where(and(eq(conversationInvites.conversationId, conversationId), isNull(conversationInvites.revokedAt), gt(conversationInvites.expiresAt, now)));
      if (active.length >= config.messaging.maxActiveInvitesPerGroup) {
        throw new AtriumError({ code: 'INVITE_LIMIT', detail: `A group has at most ${config.messaging.maxActiveInvitesPerGroup} active invites; revoke one first.` });
      }
      const row: InviteRow = {
        id: newId(random, 'inv'),
        conversationId,
        tokenHash: hashSecret(token),
        createdBy: userId,
        createdAt: now,
        expiresAt: now + (options.ttlMs ?? config.messaging.inviteTtlMs),
        maxUses: options.maxUses ?? null,
        uses: 0,
        revokedAt: null,
      };
      await tx.insert(conversationInvites).values(row);
      return row;
    }, DURABLE);
    this.#o.limiter.hit(key, 3600_000);
    return { ...toView(row), token, url: `${config.publicUrl}/j/${token}` };
  }

  /** Active invites of a group: all of them for the owner and admins, my own for other members. */
  async list(userId: string, conversationId: string): Promise<InviteView[]> {
    const db = this.#o.database.db;
    const { member } = await requireGroupMember(db, conversationId, userId);
    const rows = await db
      .select()
      .from(conversationInvites)
      .where(and(eq(conversationInvites.conversationId, conversationId), isNull(conversationInvites.revokedAt), gt(conversationInvites.expiresAt, this.#o.clock.now())))
      .orderBy(desc(conversationInvites.createdAt));
    const admin = member.role === 'owner' || member.role === 'admin';
    return rows.filter((r) => (r.maxUses === null || r.uses < r.maxUses) && (admin || r.createdBy === userId)).map(toView);
  }

  /** Revokes an invite (its maker, the owner or an admin). */
  async revoke(userId: string, conversationId: string, inviteId: string): Promise<void> {
    await this.#o.database.write(async (tx) => {
      const { member } = await requireGroupMember(tx, conversationId, userId);
      const [row] = await tx
        .select()
        .from(conversationInvites)
        .where(and(eq(conversationInvites.id, inviteId), eq(conversationInvites.conversationId, conversationId)))
        .limit(1);
      const admin = member.role === 'owner' || member.role === 'admin';
      if (!row || row.revokedAt !== null || (!admin && row.createdBy !== userId)) throw new AtriumError({ code: 'INVITE_NOT_FOUND' });
      await tx.update(conversationInvites).set({ revokedAt: this.#o.clock.now() }).where(eq(conversationInvites.id, inviteId));
    }, DURABLE);
  }

  /** What the link leads to, for the person holding it. */
  async preview(userId: string, token: string): Promise<InvitePreview> {
    const db = this.#o.database.db;
    const invite = await this.#usable(db, token);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.id, invite.conversationId)).limit(1);
    if (!conversation) throw new AtriumError({ code: 'INVITE_NOT_FOUND' });
    const [me] = await db
      .select({ status: conversationMembers.status })
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversation.id), eq(conversationMembers.userId, userId)))
      .limit(1);
    return { name: conversation.name, avatarUrl: conversation.avatarUrl, memberCount: conversation.memberCount, expiresAt: invite.expiresAt, member: me?.status === 'active' };
  }

  /** Joins the group the link leads to; joining a group I am already in just returns it. */
  async join(userId: string, token: string): Promise<ConversationView> {
    const fanout = new Fanout();
    const conversationId = await this.#o.database.write(async (tx) => {
      const invite = await this.#usable(tx, token);
      const [me] = await tx
        .select({ status: conversationMembers.status })
        .from(conversationMembers)
        .where(and(eq(conversationMembers.conversationId, invite.conversationId), eq(conversationMembers.userId, userId)))
        .limit(1);
      if (me?.status === 'active') return invite.conversationId;
      await this.#o.conversations.admit(tx, fanout, invite.conversationId, [userId], invite.createdBy, 'invite');
      await tx.update(conversationInvites).set({ uses: invite.uses + 1 }).where(eq(conversationInvites.id, invite.id));
      return invite.conversationId;
    }, DURABLE);
    fanout.publish(this.#o.bus);
    return this.#o.conversations.get(userId, conversationId);
  }

  async #usable(db: Database['db'], token: string): Promise<InviteRow> {
    const [row] = await db.select().from(conversationInvites).where(eq(conversationInvites.tokenHash, hashSecret(token))).limit(1);
    if (!row || row.revokedAt !== null) throw new AtriumError({ code: 'INVITE_NOT_FOUND' });
    if (row.expiresAt <= this.#o.clock.now() || (row.maxUses !== null && row.uses >= row.maxUses)) throw new AtriumError({ code: 'INVITE_EXPIRED' });
    // An invite speaks for its maker: it dies when they leave or are removed.
    const [maker] = await db
      .select({ status: conversationMembers.status })
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, row.conversationId), eq(conversationMembers.userId, row.createdBy)))
      .limit(1);
    if (maker?.status !== 'active') throw new AtriumError({ code: 'INVITE_NOT_FOUND' });
    return row;
  }
}
