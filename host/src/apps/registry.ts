/**
 * @module The app registry's core: developers and apps with their secrets. Versions, review and release
 * arrive with the developer platform; until then the host registers the sample apps in development mode.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { hashSecret, newSecret, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import type { Manifest } from '../../../sdk/src/manifest.ts';
import { appOpenids, apps, appVersions, developers, type AppRow, type AppVersionRow } from './schema.ts';

/** The platform's own developer, owner of the sample apps. */
export const SAMPLES_DEVELOPER_ID = 'dev_atrium_samples';

/** An app as people see it. */
export interface AppSummary {
  id: string;
  name: string;
  developer: string;
}

/** Versions kept ready to launch (each holds its bundle, ≤ 2 MB). */
const RUNNABLE_CACHE_SIZE = 32;

/** A version as a launch needs it. */
export interface RunnableVersion {
  appId: string;
  versionCode: number;
  manifest: Manifest;
  bundle: string;
  bundleSha256: string;
}

/** Developers and apps. */
export class AppRegistry {
  readonly #database: Database;
  readonly #runnable = new Map<string, RunnableVersion>();
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
      const [row] = await tx.insert(apps).values({ id: input.id, developerId: input.developerId, name: input.name, secretHash: hashSecret(secret), createdAt: now, updatedAt: now }).returning();
      return { app: row!, secret };
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

  /**
   * Records a version. Codes must strictly increase per app; an identical re-upload of the newest version
   * (same code and bundle digest) is accepted as a no-op so development reloads are idempotent.
   */
  async addVersion(input: { appId: string; versionCode: number; versionName: string; manifest: unknown; bundle: string; channel: string; package?: Uint8Array }): Promise<AppVersionRow> {
    const bundleSha256 = createHash('sha256').update(input.bundle).digest('hex');
    return this.#database.write(async (tx) => {
      const [app] = await tx.select({ id: apps.id }).from(apps).where(eq(apps.id, input.appId));
      if (!app) throw new AtriumError({ code: 'APP_NOT_FOUND' });
      const [newest] = await tx.select().from(appVersions).where(eq(appVersions.appId, input.appId)).orderBy(desc(appVersions.versionCode)).limit(1);
      if (newest && newest.versionCode === input.versionCode && newest.bundleSha256 === bundleSha256) return newest;
      if (newest && newest.versionCode >= input.versionCode) {
        throw new AtriumError({ code: 'VERSION_CODE_NOT_INCREASING', detail: `Version codes must increase: the newest is ${newest.versionCode}.` });
      }
      const [row] = await tx
        .insert(appVersions)
        .values({
          appId: input.appId,
          versionCode: input.versionCode,
          versionName: input.versionName,
          manifest: JSON.stringify(input.manifest),
          bundle: input.bundle,
          bundleSha256,
          channel: input.channel,
          createdAt: this.#clock.now(),
          ...(input.package ? { package: Buffer.from(input.package), packageBytes: input.package.byteLength } : {}),
        })
        .returning();
      return row!;
    });
  }

  /** The newest version of an app in a channel, or `APP_NOT_FOUND` when it has none. */
  async currentVersion(appId: string, channel = 'development'): Promise<AppVersionRow> {
    return this.version(appId, await this.currentVersionCode(appId, channel));
  }

  /** The newest version of an app in any channel, if it has one. */
  async newestVersion(appId: string): Promise<AppVersionRow | undefined> {
    const [row] = await this.#database.db.select().from(appVersions).where(eq(appVersions.appId, appId)).orderBy(desc(appVersions.versionCode)).limit(1);
    return row;
  }

  /** The code of the newest version of an app in a channel, or `APP_NOT_FOUND` when it has none. */
  async currentVersionCode(appId: string, channel = 'development'): Promise<number> {
    const [row] = await this.#database.db
      .select({ versionCode: appVersions.versionCode })
      .from(appVersions)
      .where(and(eq(appVersions.appId, appId), eq(appVersions.channel, channel)))
      .orderBy(desc(appVersions.versionCode))
      .limit(1);
    if (!row) throw new AtriumError({ code: 'APP_NOT_FOUND', detail: 'This app has no version to run yet.' });
    return row.versionCode;
  }

  /**
   * What a launch needs of a version — its manifest (parsed), logic bundle and digest — from memory after the
   * first read. A version's content never changes once uploaded (a changed app is a new version code), so the
   * copy cannot go stale; the package bytes and the rest of the row are not kept.
   */
  async runnable(appId: string, versionCode: number): Promise<RunnableVersion> {
    const key = `${appId}@${versionCode}`;
    const cached = this.#runnable.get(key);
    if (cached) {
      this.#runnable.delete(key); // most recently used last
      this.#runnable.set(key, cached);
      return cached;
    }
    const [row] = await this.#database.db
      .select({ versionCode: appVersions.versionCode, manifest: appVersions.manifest, bundle: appVersions.bundle, bundleSha256: appVersions.bundleSha256 })
      .from(appVersions)
      .where(and(eq(appVersions.appId, appId), eq(appVersions.versionCode, versionCode)));
    if (!row) throw new AtriumError({ code: 'APP_NOT_FOUND', detail: `Version ${versionCode} does not exist.` });
    const runnable: RunnableVersion = { appId, versionCode: row.versionCode, manifest: JSON.parse(row.manifest) as Manifest, bundle: row.bundle, bundleSha256: row.bundleSha256 };
    this.#runnable.set(key, runnable);
    if (this.#runnable.size > RUNNABLE_CACHE_SIZE) this.#runnable.delete(this.#runnable.keys().next().value!);
    return runnable;
  }

  /** A specific version (a running session keeps its version until it ends). */
  async version(appId: string, versionCode: number): Promise<AppVersionRow> {
    const [row] = await this.#database.db.select().from(appVersions).where(and(eq(appVersions.appId, appId), eq(appVersions.versionCode, versionCode)));
    if (!row) throw new AtriumError({ code: 'APP_NOT_FOUND', detail: `Version ${versionCode} does not exist.` });
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
