/**
 * @module The app registry's core: developers and apps with their secrets. Versions, review and release
 * arrive with the developer platform; until then the host registers the sample apps in development mode.
 */
import { eq, inArray } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { hashSecret, newSecret, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { appOpenids, apps, developers, type AppRow } from './schema.ts';

/** The platform's own developer, owner of the sample apps. */
export const SAMPLES_DEVELOPER_ID = 'dev_atrium_samples';

/** An app as people see it. */
export interface AppSummary {
  id: string;
  name: string;
  developer: string;
}

/** Developers and apps. */
export class AppRegistry {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #random: Random;

  constructor(options: { database: Database; clock: Clock; random: Random }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#random = options.random;
  }

  /** Creates a developer if missing. */
  async ensureDeveloper(id: string, name: string, userId: string | null = null): Promise<void> {
    await this.#database.write((tx) => tx.insert(developers).values({ id, name, userId, createdAt: this.#clock.now() }).onConflictDoNothing());
  }

  /**
   * Registers an app if missing and returns its secret — shown only this once; an existing app keeps its
   * secret (`secret` is then undefined) but gets the new name.
   */
  async ensureApp(input: { id: string; name: string; developerId: string }): Promise<{ app: AppRow; secret: string | undefined }> {
    return this.#database.write(async (tx) => {
      const now = this.#clock.now();
      const [existing] = await tx.select().from(apps).where(eq(apps.id, input.id));
      if (existing) {
        if (existing.developerId !== input.developerId) throw new AtriumError({ code: 'FORBIDDEN', detail: `App ${input.id} belongs to another developer.` });
        const [app] = await tx.update(apps).set({ name: input.name, updatedAt: now }).where(eq(apps.id, input.id)).returning();
        return { app: app ?? existing, secret: undefined };
      }
      const secret = newSecret(this.#random, 'as');
      const row = { id: input.id, developerId: input.developerId, name: input.name, secretHash: hashSecret(secret), createdAt: now, updatedAt: now };
      await tx.insert(apps).values(row);
      return { app: row, secret };
    });
  }

  /** Replaces an app's secret; the old one stops working at once. */
  async rotateSecret(appId: string): Promise<string> {
    const secret = newSecret(this.#random, 'as');
    const updated = await this.#database.write((tx) =>
      tx.update(apps).set({ secretHash: hashSecret(secret), updatedAt: this.#clock.now() }).where(eq(apps.id, appId)).returning({ id: apps.id }),
    );
    if (updated.length === 0) throw new AtriumError({ code: 'APP_NOT_FOUND' });
    return secret;
  }

  /** An app, or `APP_NOT_FOUND`. */
  async get(appId: string): Promise<AppRow> {
    const [row] = await this.#database.db.select().from(apps).where(eq(apps.id, appId));
    if (!row) throw new AtriumError({ code: 'APP_NOT_FOUND' });
    return row;
  }

  /** The apps a person has used (has an openid in). */
  async usedBy(userId: string): Promise<AppSummary[]> {
    const ids = (await this.#database.db.select({ appId: appOpenids.appId }).from(appOpenids).where(eq(appOpenids.userId, userId))).map((r) => r.appId);
    if (ids.length === 0) return [];
    const rows = await this.#database.db
      .select({ id: apps.id, name: apps.name, developer: developers.name })
      .from(apps)
      .innerJoin(developers, eq(developers.id, apps.developerId))
      .where(inArray(apps.id, ids));
    return rows.sort((a, b) => a.name.localeCompare(b.name));
  }
}
