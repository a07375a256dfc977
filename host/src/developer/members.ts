/**
 * @module Who may do what on an app: members with roles (owner, admin, developer, tester) and the platform's
 * reviewers. Every developer-platform service asks here first.
 */
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import type { Database, Db } from '../db/database.ts';
import { users } from '../identity/schema.ts';
import type { Actor } from './actor.ts';
import type { DeveloperAudit } from './audit.ts';
import { appMembers, platformRoles } from './schema.ts';

export const APP_ROLES = ['owner', 'admin', 'developer', 'tester'] as const;
export type AppRole = (typeof APP_ROLES)[number];

/** What each kind of work needs. */
export const NEEDS = {
  read: ['owner', 'admin', 'developer', 'tester'],
  preview: ['owner', 'admin', 'developer', 'tester'],
  upload: ['owner', 'admin', 'developer'],
  release: ['owner', 'admin'],
  manage: ['owner', 'admin'],
} as const satisfies Record<string, readonly AppRole[]>;

/** A member as the API shows them. */
export interface AppMember {
  userId: string;
  handle: string;
  displayName: string;
  role: AppRole;
  addedAt: number;
}

/** App members and platform roles. */
export class Members {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #audit: DeveloperAudit;

  constructor(options: { database: Database; clock: Clock; audit: DeveloperAudit }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#audit = options.audit;
  }

  /** The person's role on the app, if any. */
  async role(appId: string, userId: string): Promise<AppRole | undefined> {
    const [row] = await this.#database.db.select({ role: appMembers.role }).from(appMembers).where(and(eq(appMembers.appId, appId), eq(appMembers.userId, userId)));
    return row?.role;
  }

  /** Throws `APP_ROLE_REQUIRED` unless the actor (the platform always may) has one of `roles`. */
  async require(appId: string, actor: Actor, roles: readonly AppRole[]): Promise<void> {
    if (actor.userId === null) return;
    const role = await this.role(appId, actor.userId);
    if (!role) throw new AtriumError({ code: 'APP_NOT_FOUND' }); // non-members do not learn the app exists
    if (!roles.includes(role)) throw new AtriumError({ code: 'APP_ROLE_REQUIRED', detail: `This needs one of: ${roles.join(', ')}; you are ${role}.` });
  }

  /** Adds the owner in `tx` (app creation). */
  async addOwner(tx: Db, appId: string, userId: string): Promise<void> {
    await tx.insert(appMembers).values({ appId, userId, role: 'owner', addedAt: this.#clock.now() });
  }

  /** Adds or changes a member (owners and admins). The owner's role cannot change here. */
  async set(actor: Actor, appId: string, handle: string, role: Exclude<AppRole, 'owner'>): Promise<AppMember> {
    await this.require(appId, actor, NEEDS.manage);
    return this.#database.write(async (tx) => {
      const [person] = await tx.select({ id: users.id, handle: users.handle, displayName: users.displayName }).from(users).where(eq(users.handle, handle.toLowerCase()));
      if (!person) throw new AtriumError({ code: 'NOT_FOUND', detail: `No person has the handle @${handle}.` });
      const [existing] = await tx.select().from(appMembers).where(and(eq(appMembers.appId, appId), eq(appMembers.userId, person.id)));
      if (existing?.role === 'owner') throw new AtriumError({ code: 'CONFLICT', detail: "The owner's role cannot change." });
      const addedAt = existing?.addedAt ?? this.#clock.now();
      await tx
        .insert(appMembers)
        .values({ appId, userId: person.id, role, addedAt })
        .onConflictDoUpdate({ target: [appMembers.appId, appMembers.userId], set: { role } });
      await this.#audit.record(tx, actor, appId, 'member.set', { userId: person.id, role });
      return { userId: person.id, handle: person.handle, displayName: person.displayName, role, addedAt };
    });
  }

  /** Removes a member (not the owner). */
  async remove(actor: Actor, appId: string, handle: string): Promise<void> {
    await this.require(appId, actor, NEEDS.manage);
    await this.#database.write(async (tx) => {
      const [person] = await tx.select({ id: users.id }).from(users).where(eq(users.handle, handle.toLowerCase()));
      const [existing] = person ? await tx.select().from(appMembers).where(and(eq(appMembers.appId, appId), eq(appMembers.userId, person.id))) : [];
      if (!person || !existing) throw new AtriumError({ code: 'NOT_FOUND', detail: `@${handle} is not a member of this app.` });
      if (existing.role === 'owner') throw new AtriumError({ code: 'CONFLICT', detail: 'The owner cannot be removed.' });
      await tx.delete(appMembers).where(and(eq(appMembers.appId, appId), eq(appMembers.userId, person.id)));
      await this.#audit.record(tx, actor, appId, 'member.remove', { userId: person.id });
    });
  }

  /** The app's members. */
  async list(actor: Actor, appId: string): Promise<AppMember[]> {
    await this.require(appId, actor, NEEDS.read);
    const rows = await this.#database.db
      .select({ userId: appMembers.userId, handle: users.handle, displayName: users.displayName, role: appMembers.role, addedAt: appMembers.addedAt })
      .from(appMembers)
      .innerJoin(users, eq(users.id, appMembers.userId))
      .where(eq(appMembers.appId, appId));
    return rows.sort((a, b) => APP_ROLES.indexOf(a.role) - APP_ROLES.indexOf(b.role) || a.handle.localeCompare(b.handle));
  }

  /** Whether the person is a platform reviewer. */
  async isReviewer(userId: string): Promise<boolean> {
    const [row] = await this.#database.db.select().from(platformRoles).where(and(eq(platformRoles.userId, userId), eq(platformRoles.role, 'reviewer')));
    return row !== undefined;
  }

  /** Makes a person a reviewer (operators: `npm run admin`, seeds and tests). */
  async grantReviewer(userId: string): Promise<void> {
    await this.#database.write((tx) => tx.insert(platformRoles).values({ userId, role: 'reviewer', grantedAt: this.#clock.now() }).onConflictDoNothing());
  }
}
