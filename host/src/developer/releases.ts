/**
 * @module Release: which approved version people get. A phased rollout gives a newer version to a percentage
 * of people, chosen by a stable per-person bucket; it can be paused (everybody gets the stable version),
 * resumed, widened and completed. Rollback makes any of the last five stable versions stable again, any number
 * of times. Every change is audited.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, sql } from 'drizzle-orm';
import { appVersions } from '../apps/schema.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import type { Actor } from './actor.ts';
import type { DeveloperAudit } from './audit.ts';
import { NEEDS, type Members } from './members.ts';
import { appReleaseHistory, appReleases, type AppReleaseRow } from './schema.ts';

/** How many earlier stable versions a rollback may return to. */
export const ROLLBACK_DEPTH = 5;

/** The release state as the API shows it. */
export interface ReleaseState {
  stableVersion: number | null;
  rollout: { versionCode: number; percent: number; paused: boolean } | null;
  /** Versions a rollback may target, newest first (excluding the current stable one). */
  rollbackTargets: number[];
}

/**
 * The person's bucket for an app, 0–9999: the first 32 bits of SHA-256(appId:userId) mod 10000. Stable, and
 * independent between apps, so the same people are not always the first to get new versions.
 */
export function rolloutBucket(appId: string, userId: string): number {
  return createHash('sha256').update(`${appId}:${userId}`).digest().readUInt32BE(0) % 10_000;
}

/** Release state and its changes. */
export class Releases {
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

  /**
   * The version the person gets when they launch the app now, or `APP_NOT_RELEASED`. People in the rollout's
   * percentage get the rollout version unless it is paused.
   */
  async pick(appId: string, userId: string): Promise<number> {
    const [row] = await this.#database.db.select().from(appReleases).where(eq(appReleases.appId, appId));
    if (row?.rolloutVersion != null && !row.rolloutPaused && rolloutBucket(appId, userId) < row.rolloutPercent * 100) return row.rolloutVersion;
    if (row?.stableVersion != null) return row.stableVersion;
    throw new AtriumError({ code: 'APP_NOT_RELEASED' });
  }

  /** The state, for the app's members. */
  async state(actor: Actor, appId: string): Promise<ReleaseState> {
    await this.#members.require(appId, actor, NEEDS.read);
    return this.#stateOf(this.#database.db, appId);
  }

  /**
   * Releases an approved version to `percent` of people (100: everybody, at once). It must be newer than the
   * stable version; a rollout in progress is replaced.
   */
  async release(actor: Actor, appId: string, versionCode: number, percent: number): Promise<ReleaseState> {
    await this.#members.require(appId, actor, NEEDS.release);
    if (!Number.isInteger(percent) || percent < 1 || percent > 100) throw new AtriumError({ code: 'VALIDATION_FAILED', detail: 'percent is a whole number from 1 to 100.' });
    return this.#database.write(async (tx) => {
      const [version] = await tx.select({ channel: appVersions.channel }).from(appVersions).where(and(eq(appVersions.appId, appId), eq(appVersions.versionCode, versionCode)));
      if (!version) throw new AtriumError({ code: 'VERSION_NOT_FOUND', detail: `Version ${versionCode} does not exist.` });
      if (version.channel !== 'approved') throw new AtriumError({ code: 'VERSION_STATE_INVALID', detail: `Version ${versionCode} is ${version.channel}; only approved versions can be released.` });
      const row = await this.#row(tx, appId);
      if (row.stableVersion !== null && versionCode <= row.stableVersion) {
        throw new AtriumError({ code: 'VERSION_STATE_INVALID', detail: `Version ${versionCode} is not newer than the released version ${row.stableVersion}; use rollback to go back.` });
      }
      if (percent === 100) await this.#makeStable(tx, appId, versionCode);
      else {
        await this.#save(tx, { ...row, rolloutVersion: versionCode, rolloutPercent: percent, rolloutPaused: false });
        await tx.insert(appReleaseHistory).values({ id: newId(this.#random, 'rel'), appId, versionCode, kind: 'rollout', at: this.#clock.now() });
      }
      await this.#audit.record(tx, actor, appId, 'release', { versionCode, percent });
      return this.#stateOf(tx, appId);
    });
  }

  /** Changes the rollout's percentage (100 completes it). */
  async setPercent(actor: Actor, appId: string, percent: number): Promise<ReleaseState> {
    const row = await this.#rollout(actor, appId);
    return this.release(actor, appId, row.rolloutVersion!, percent);
  }

  /** Pauses the rollout: everybody gets the stable version until it resumes. */
  async pause(actor: Actor, appId: string): Promise<ReleaseState> {
    return this.#setPaused(actor, appId, true);
  }

  /** Resumes a paused rollout at its percentage. */
  async resume(actor: Actor, appId: string): Promise<ReleaseState> {
    return this.#setPaused(actor, appId, false);
  }

  /** Completes the rollout: its version becomes stable for everybody. */
  async complete(actor: Actor, appId: string): Promise<ReleaseState> {
    const row = await this.#rollout(actor, appId);
    return this.#database.write(async (tx) => {
      await this.#makeStable(tx, appId, row.rolloutVersion!);
      await this.#audit.record(tx, actor, appId, 'release.complete', { versionCode: row.rolloutVersion });
      return this.#stateOf(tx, appId);
    });
  }

  /** Makes one of the last five stable versions stable again; a rollout in progress is cancelled. */
  async rollback(actor: Actor, appId: string, versionCode: number): Promise<ReleaseState> {
    await this.#members.require(appId, actor, NEEDS.release);
    return this.#database.write(async (tx) => {
      const state = await this.#stateOf(tx, appId);
      if (!state.rollbackTargets.includes(versionCode)) {
        throw new AtriumError({
          code: 'ROLLBACK_TARGET_INVALID',
          detail: state.rollbackTargets.length > 0 ? `Choose one of: ${state.rollbackTargets.join(', ')}.` : 'No earlier released version to return to.',
        });
      }
      await this.#makeStable(tx, appId, versionCode);
      await this.#audit.record(tx, actor, appId, 'rollback', { versionCode, from: state.stableVersion });
      return this.#stateOf(tx, appId);
    });
  }

  async #rollout(actor: Actor, appId: string): Promise<AppReleaseRow> {
    await this.#members.require(appId, actor, NEEDS.release);
    const [row] = await this.#database.db.select().from(appReleases).where(eq(appReleases.appId, appId));
    if (!row || row.rolloutVersion === null) throw new AtriumError({ code: 'ROLLOUT_NOT_ACTIVE' });
    return row;
  }

  async #setPaused(actor: Actor, appId: string, paused: boolean): Promise<ReleaseState> {
    const row = await this.#rollout(actor, appId);
    return this.#database.write(async (tx) => {
      await this.#save(tx, { ...row, rolloutPaused: paused });
      await this.#audit.record(tx, actor, appId, paused ? 'release.pause' : 'release.resume', { versionCode: row.rolloutVersion });
      return this.#stateOf(tx, appId);
    });
  }

  async #makeStable(tx: Db, appId: string, versionCode: number): Promise<void> {
    const row = await this.#row(tx, appId);
    await this.#save(tx, { ...row, stableVersion: versionCode, rolloutVersion: null, rolloutPercent: 0, rolloutPaused: false });
    await tx.insert(appReleaseHistory).values({ id: newId(this.#random, 'rel'), appId, versionCode, kind: 'stable', at: this.#clock.now() });
  }

  async #row(tx: Db, appId: string): Promise<AppReleaseRow> {
    const [row] = await tx.select().from(appReleases).where(eq(appReleases.appId, appId));
    return row ?? { appId, stableVersion: null, rolloutVersion: null, rolloutPercent: 0, rolloutPaused: false, updatedAt: 0 };
  }

  async #save(tx: Db, row: AppReleaseRow): Promise<void> {
    const values = { ...row, updatedAt: this.#clock.now() };
    await tx.insert(appReleases).values(values).onConflictDoUpdate({ target: appReleases.appId, set: values });
  }

  async #stateOf(db: Db, appId: string): Promise<ReleaseState> {
    const [row] = await db.select().from(appReleases).where(eq(appReleases.appId, appId));
    const history = await db
      .select({ versionCode: appReleaseHistory.versionCode })
      .from(appReleaseHistory)
      .where(and(eq(appReleaseHistory.appId, appId), eq(appReleaseHistory.kind, 'stable')))
      .orderBy(desc(sql`rowid`)) // insertion order: several changes can share a millisecond
      .limit(50);
    const stable = row?.stableVersion ?? null;
    const targets: number[] = [];
    for (const { versionCode } of history) {
      if (versionCode !== stable && !targets.includes(versionCode)) targets.push(versionCode);
      if (targets.length === ROLLBACK_DEPTH) break;
    }
    return {
      stableVersion: stable,
      rollout: row?.rolloutVersion != null ? { versionCode: row.rolloutVersion, percent: row.rolloutPercent, paused: row.rolloutPaused } : null,
      rollbackTargets: targets,
    };
  }
}
