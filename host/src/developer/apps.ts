/**
 * @module Developer mode and apps as developers see them: create (the secret shown once), list, info, settings,
 * secret rotation. People turn developer mode on; the developer account is what `unionid` is scoped to.
 */
import { eq, inArray } from 'drizzle-orm';
import { apps, developers, type AppRow } from '../apps/schema.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { hashSecret, newId, newSecret, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import type { Actor } from './actor.ts';
import type { DeveloperAudit } from './audit.ts';
import { NEEDS, type AppRole, type Members } from './members.ts';
import { appMembers } from './schema.ts';

/** An app as its members see it. */
export interface DeveloperAppInfo {
  id: string;
  name: string;
  description: string;
  iconUrl: string | null;
  webhookUrl: string | null;
  developerId: string;
  role: AppRole | null;
  createdAt: number;
}

/** Settings a developer can change. */
export interface AppSettings {
  name?: string | undefined;
  description?: string | undefined;
  iconUrl?: string | null | undefined;
  webhookUrl?: string | null | undefined;
}

function info(row: AppRow, role: AppRole | null): DeveloperAppInfo {
  return { id: row.id, name: row.name, description: row.description, iconUrl: row.iconUrl, webhookUrl: row.webhookUrl, developerId: row.developerId, role, createdAt: row.createdAt };
}

/** Developer accounts and their apps. */
export class DeveloperApps {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #members: Members;
  readonly #audit: DeveloperAudit;

  constructor(options: { database: Database; clock: Clock; random: Random; members: Members; audit: DeveloperAudit }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#members = options.members;
    this.#audit = options.audit;
  }

  /** The person's developer account, if developer mode is on. */
  async developerOf(userId: string): Promise<{ id: string; name: string; createdAt: number } | undefined> {
    const [row] = await this.#database.db.select({ id: developers.id, name: developers.name, createdAt: developers.createdAt }).from(developers).where(eq(developers.userId, userId));
    return row;
  }

  /** Turns developer mode on (idempotent): the person gets a developer account named `name`. */
  async enable(userId: string, name: string): Promise<{ id: string; name: string; createdAt: number }> {
    const existing = await this.developerOf(userId);
    if (existing) return existing;
    const row = { id: newId(this.#random, 'dev'), userId, name, createdAt: this.#clock.now() };
    await this.#database.write(async (tx) => {
      await tx.insert(developers).values(row);
      await this.#audit.record(tx, { userId }, null, 'developer.enable', { developerId: row.id });
    });
    return { id: row.id, name: row.name, createdAt: row.createdAt };
  }

  /** Creates an app owned by the actor's developer account; returns its secret, shown this once. */
  async create(actor: Actor & { userId: string }, input: { appId: string } & AppSettings): Promise<{ app: DeveloperAppInfo; secret: string }> {
    const developer = await this.developerOf(actor.userId);
    if (!developer) throw new AtriumError({ code: 'FORBIDDEN', detail: 'Turn developer mode on first (POST /v1/developer).' });
    const secret = newSecret(this.#random, 'as');
    const now = this.#clock.now();
    const row: AppRow = {
      id: input.appId,
      developerId: developer.id,
      name: input.name ?? input.appId,
      description: input.description ?? '',
      iconUrl: input.iconUrl ?? null,
      webhookUrl: input.webhookUrl ?? null,
      secretHash: hashSecret(secret),
      createdAt: now,
      updatedAt: now,
    };
    await this.#database.write(async (tx) => {
      const [taken] = await tx.select({ id: apps.id }).from(apps).where(eq(apps.id, input.appId));
      if (taken) throw new AtriumError({ code: 'APP_ID_TAKEN', detail: `${input.appId} is taken; choose another reverse-domain id.` });
      await tx.insert(apps).values(row);
      await this.#members.addOwner(tx, row.id, actor.userId);
      await this.#audit.record(tx, actor, row.id, 'app.create', { name: row.name });
    });
    return { app: info(row, 'owner'), secret };
  }

  /** The apps the person is a member of. */
  async list(userId: string): Promise<DeveloperAppInfo[]> {
    const memberships = await this.#database.db.select({ appId: appMembers.appId, role: appMembers.role }).from(appMembers).where(eq(appMembers.userId, userId));
    if (memberships.length === 0) return [];
    const rows = await this.#database.db.select().from(apps).where(inArray(apps.id, memberships.map((m) => m.appId)));
    const roles = new Map(memberships.map((m) => [m.appId, m.role]));
    return rows.map((r) => info(r, roles.get(r.id) ?? null)).sort((a, b) => a.id.localeCompare(b.id));
  }

  /** One app, for its members. */
  async get(actor: Actor, appId: string): Promise<DeveloperAppInfo> {
    await this.#members.require(appId, actor, NEEDS.read);
    const [row] = await this.#database.db.select().from(apps).where(eq(apps.id, appId));
    if (!row) throw new AtriumError({ code: 'APP_NOT_FOUND' });
    return info(row, actor.userId ? ((await this.#members.role(appId, actor.userId)) ?? null) : null);
  }

  /** Changes name, description, icon or webhook (owners and admins). */
  async update(actor: Actor, appId: string, settings: AppSettings): Promise<DeveloperAppInfo> {
    await this.#members.require(appId, actor, NEEDS.manage);
    await this.#database.write(async (tx) => {
      const set = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
      await tx.update(apps).set({ ...set, updatedAt: this.#clock.now() }).where(eq(apps.id, appId));
      await this.#audit.record(tx, actor, appId, 'app.update', { fields: Object.keys(set) });
    });
    return this.get(actor, appId);
  }

  /** A new app secret (shown once); the old one stops working at once. */
  async rotateSecret(actor: Actor, appId: string): Promise<string> {
    await this.#members.require(appId, actor, NEEDS.manage);
    const secret = newSecret(this.#random, 'as');
    await this.#database.write(async (tx) => {
      await tx.update(apps).set({ secretHash: hashSecret(secret), updatedAt: this.#clock.now() }).where(eq(apps.id, appId));
      await this.#audit.record(tx, actor, appId, 'app.secret.rotate');
    });
    return secret;
  }
}
