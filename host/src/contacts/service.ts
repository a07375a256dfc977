/**
 * @module The contacts service: requests, acceptance (both directions at once), removal and blocking.
 */
import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { HostConfig } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import { assertUnderLimit, type RateLimiter } from '../http/rate-limiter.ts';
import type { IdentityService, Person } from '../identity/service.ts';
import { blocks, contactRequests, contacts, type ContactRequestRow } from './schema.ts';

/** One of my contacts. */
export interface Contact {
  person: Person;
  since: number;
}

/** A contact request as one of its two sides sees it; `person` is the other side. */
export interface ContactRequest {
  id: string;
  person: Person;
  message: string;
  status: string;
  createdAt: number;
}

/** Someone I block. */
export interface Block {
  person: Person;
  since: number;
}

/** Options of {@link ContactsService}. */
export interface ContactsServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  config: HostConfig;
  identity: IdentityService;
  limiter: RateLimiter;
}

/** Who to send a request to. */
export type RequestTarget = { handle: string } | { cardCode: string };

/** Contacts, contact requests and blocks. Every call acts for `userId` only. */
export class ContactsService {
  readonly #o: ContactsServiceOptions;

  readonly #contactPair;

  constructor(options: ContactsServiceOptions) {
    this.#o = options;
    this.#contactPair = options.database.db
      .select({ a: contacts.ownerId })
      .from(contacts)
      .where(and(eq(contacts.ownerId, sql.placeholder('a')), eq(contacts.contactId, sql.placeholder('b'))))
      .prepare();
  }

  /** My contacts, by display name. */
  async list(userId: string): Promise<Contact[]> {
    const rows = await this.#o.database.db.select().from(contacts).where(eq(contacts.ownerId, userId));
    const people = await this.#o.identity.people(rows.map((r) => r.contactId));
    return rows
      .flatMap((r) => {
        const person = people.get(r.contactId);
        return person ? [{ person, since: r.createdAt }] : [];
      })
      .sort((a, b) => a.person.displayName.localeCompare(b.person.displayName));
  }

  /** Removes a contact from both sides (as WeChat does when a person deletes a friend, it stops chats both ways). */
  async remove(userId: string, contactId: string): Promise<void> {
    await this.#o.database.write(async (tx) => {
      const [row] = await tx.select().from(contacts).where(and(eq(contacts.ownerId, userId), eq(contacts.contactId, contactId))).limit(1);
      if (!row) throw new AtriumError({ code: 'CONTACT_NOT_FOUND' });
      await this.#unlink(tx, userId, contactId);
    });
  }

  /** Pending requests to me and from me. */
  async requests(userId: string): Promise<{ incoming: ContactRequest[]; outgoing: ContactRequest[] }> {
    const rows = await this.#o.database.db
      .select()
      .from(contactRequests)
      .where(and(eq(contactRequests.status, 'pending'), or(eq(contactRequests.toUserId, userId), eq(contactRequests.fromUserId, userId))))
      .orderBy(desc(contactRequests.createdAt));
    const people = await this.#o.identity.people(rows.map((r) => (r.toUserId === userId ? r.fromUserId : r.toUserId)));
    const view = (r: ContactRequestRow, other: string): ContactRequest[] => {
      const person = people.get(other);
      return person ? [{ id: r.id, person, message: r.message, status: r.status, createdAt: r.createdAt }] : [];
    };
    return {
      incoming: rows.filter((r) => r.toUserId === userId).flatMap((r) => view(r, r.fromUserId)),
      outgoing: rows.filter((r) => r.fromUserId === userId).flatMap((r) => view(r, r.toUserId)),
    };
  }

  /**
   * Asks someone (by handle or QR card) to become a contact. If they already asked me, this accepts their
   * request instead and returns the new contact.
   */
  async request(userId: string, target: RequestTarget, message: string): Promise<{ request: ContactRequest } | { contact: Contact }> {
    const { identity, limiter, clock, config, database, random } = this.#o;
    const key = `contact-request:${userId}`;
    assertUnderLimit(limiter, clock, key, config.rateLimits.contactRequestsPerUser);
    limiter.hit(key, config.rateLimits.windowMs);
    const person = 'handle' in target ? await identity.personByHandle(target.handle) : await identity.personByCard(target.cardCode);
    if (!person) throw new AtriumError({ code: 'CONTACT_USER_NOT_FOUND' });
    if (person.id === userId) throw new AtriumError({ code: 'CONTACT_SELF' });
    return database.write(async (tx) => {
      if (await this.#blockedEitherWay(tx, userId, person.id)) throw new AtriumError({ code: 'CONTACT_REQUEST_REFUSED' });
      if (await this.#areContacts(tx, userId, person.id)) throw new AtriumError({ code: 'CONTACT_EXISTS' });
      const pending = await tx
        .select()
        .from(contactRequests)
        .where(
          and(
            eq(contactRequests.status, 'pending'),
            or(
              and(eq(contactRequests.fromUserId, userId), eq(contactRequests.toUserId, person.id)),
              and(eq(contactRequests.fromUserId, person.id), eq(contactRequests.toUserId, userId)),
            ),
          ),
        );
      const theirs = pending.find((r) => r.fromUserId === person.id);
      if (theirs) return { contact: await this.#accept(tx, theirs, person) };
      if (pending.length > 0) throw new AtriumError({ code: 'CONTACT_REQUEST_PENDING' });
      const now = clock.now();
      const row = { id: newId(random, 'creq'), fromUserId: userId, toUserId: person.id, message, status: 'pending', createdAt: now, respondedAt: null };
      await tx.insert(contactRequests).values(row);
      return { request: { id: row.id, person, message, status: row.status, createdAt: now } };
    });
  }

  /** Accepts a request sent to me. */
  async accept(userId: string, requestId: string): Promise<Contact> {
    return this.#o.database.write(async (tx) => {
      const row = await this.#pendingTo(tx, userId, requestId);
      const person = (await this.#o.identity.people([row.fromUserId])).get(row.fromUserId);
      if (!person) throw new AtriumError({ code: 'CONTACT_REQUEST_NOT_FOUND' });
      if (await this.#blockedEitherWay(tx, userId, row.fromUserId)) throw new AtriumError({ code: 'CONTACT_REQUEST_REFUSED' });
      return this.#accept(tx, row, person);
    });
  }

  /** Declines a request sent to me. */
  async decline(userId: string, requestId: string): Promise<void> {
    await this.#o.database.write(async (tx) => {
      const row = await this.#pendingTo(tx, userId, requestId);
      await tx.update(contactRequests).set({ status: 'declined', respondedAt: this.#o.clock.now() }).where(eq(contactRequests.id, row.id));
    });
  }

  /** Withdraws a request I sent. */
  async cancel(userId: string, requestId: string): Promise<void> {
    await this.#o.database.write(async (tx) => {
      const [row] = await tx.select().from(contactRequests).where(and(eq(contactRequests.id, requestId), eq(contactRequests.fromUserId, userId))).limit(1);
      if (!row) throw new AtriumError({ code: 'CONTACT_REQUEST_NOT_FOUND' });
      if (row.status !== 'pending') throw new AtriumError({ code: 'CONTACT_REQUEST_CLOSED' });
      await tx.update(contactRequests).set({ status: 'cancelled', respondedAt: this.#o.clock.now() }).where(eq(contactRequests.id, row.id));
    });
  }

  /** People I block. */
  async blocks(userId: string): Promise<Block[]> {
    const rows = await this.#o.database.db.select().from(blocks).where(eq(blocks.blockerId, userId)).orderBy(desc(blocks.createdAt));
    const people = await this.#o.identity.people(rows.map((r) => r.blockedId));
    return rows.flatMap((r) => {
      const person = people.get(r.blockedId);
      return person ? [{ person, since: r.createdAt }] : [];
    });
  }

  /** Blocks someone: removes the contact both ways and closes pending requests between us. Idempotent. */
  async block(userId: string, otherId: string): Promise<void> {
    if (otherId === userId) throw new AtriumError({ code: 'CONTACT_SELF', detail: 'You cannot block yourself.' });
    const exists = (await this.#o.identity.people([otherId])).has(otherId);
    if (!exists) throw new AtriumError({ code: 'CONTACT_USER_NOT_FOUND' });
    await this.#o.database.write(async (tx) => {
      const now = this.#o.clock.now();
      await tx.insert(blocks).values({ blockerId: userId, blockedId: otherId, createdAt: now }).onConflictDoNothing();
      await this.#unlink(tx, userId, otherId);
      await tx
        .update(contactRequests)
        .set({ status: 'declined', respondedAt: now })
        .where(
          and(
            eq(contactRequests.status, 'pending'),
            or(
              and(eq(contactRequests.fromUserId, userId), eq(contactRequests.toUserId, otherId)),
              and(eq(contactRequests.fromUserId, otherId), eq(contactRequests.toUserId, userId)),
            ),
          ),
        );
    });
  }

  /** Unblocks someone (they are not re-added as a contact). */
  async unblock(userId: string, otherId: string): Promise<void> {
    await this.#o.database.write(async (tx) => {
      const removed = await tx.delete(blocks).where(and(eq(blocks.blockerId, userId), eq(blocks.blockedId, otherId))).returning();
      if (removed.length === 0) throw new AtriumError({ code: 'CONTACT_NOT_FOUND', detail: 'You do not block this person.' });
    });
  }

  /** True when the two are contacts (for other domains, e.g. who may message whom). */
  async areContacts(a: string, b: string): Promise<boolean> {
    return this.#areContacts(this.#o.database.db, a, b);
  }

  /** True when either blocks the other. */
  async isBlockedEitherWay(a: string, b: string): Promise<boolean> {
    return this.#blockedEitherWay(this.#o.database.db, a, b);
  }

  async #accept(tx: Db, row: ContactRequestRow, requester: Person): Promise<Contact> {
    const now = this.#o.clock.now();
    await tx.update(contactRequests).set({ status: 'accepted', respondedAt: now }).where(eq(contactRequests.id, row.id));
    await tx
      .insert(contacts)
      .values([
        { ownerId: row.fromUserId, contactId: row.toUserId, createdAt: now },
        { ownerId: row.toUserId, contactId: row.fromUserId, createdAt: now },
      ])
      .onConflictDoNothing();
    return { person: requester, since: now };
  }

  async #pendingTo(tx: Db, userId: string, requestId: string): Promise<ContactRequestRow> {
    const [row] = await tx.select().from(contactRequests).where(and(eq(contactRequests.id, requestId), eq(contactRequests.toUserId, userId))).limit(1);
    if (!row) throw new AtriumError({ code: 'CONTACT_REQUEST_NOT_FOUND' });
    if (row.status !== 'pending') throw new AtriumError({ code: 'CONTACT_REQUEST_CLOSED' });
    return row;
  }

  async #unlink(tx: Db, a: string, b: string): Promise<void> {
    await tx.delete(contacts).where(or(and(eq(contacts.ownerId, a), eq(contacts.contactId, b)), and(eq(contacts.ownerId, b), eq(contacts.contactId, a))));
  }

  async #areContacts(db: Db, a: string, b: string): Promise<boolean> {
    // Asked on every payment to a contact: outside a transaction, a prepared lookup instead of a new statement.
    if (db === this.#o.database.db) return this.#contactPair.get({ a, b }) !== undefined;
    const rows = await db.select({ a: contacts.ownerId }).from(contacts).where(and(eq(contacts.ownerId, a), eq(contacts.contactId, b))).limit(1);
    return rows.length > 0;
  }

  async #blockedEitherWay(db: Db, a: string, b: string): Promise<boolean> {
    const rows = await db
      .select({ a: blocks.blockerId })
      .from(blocks)
      .where(or(and(eq(blocks.blockerId, a), eq(blocks.blockedId, b)), and(eq(blocks.blockerId, b), eq(blocks.blockedId, a))))
      .limit(1);
    return rows.length > 0;
  }
}


