/**
 * @module Preview links (a version before release, 24 h, for the app's members and testers only) and launch
 * scenes (a QR's short token, ≤ 32 characters, resolving to a page and query).
 */
import { and, eq } from 'drizzle-orm';
import { appVersions } from '../apps/schema.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { base32, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import type { Actor } from './actor.ts';
import type { DeveloperAudit } from './audit.ts';
import { NEEDS, type Members } from './members.ts';
import { launchScenes, previewLinks } from './schema.ts';

/** @default 24 hours */
export const PREVIEW_TTL_MS = 24 * 3600_000;

/** Previews and scenes. */
export class Previews {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #members: Members;
  readonly #audit: DeveloperAudit;
  readonly #publicUrl: string;

  constructor(options: { database: Database; clock: Clock; random: Random; members: Members; audit: DeveloperAudit; publicUrl: string }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#members = options.members;
    this.#audit = options.audit;
    this.#publicUrl = options.publicUrl;
  }

  /**
   * A preview link for a version: developers and up create them, and platform reviewers for a version waiting for
   * their review (the link then opens for reviewers too, while the version is submitted).
   */
  async create(actor: Actor & { userId: string }, appId: string, versionCode: number): Promise<{ token: string; url: string; expiresAt: number }> {
    try {
      await this.#members.require(appId, actor, NEEDS.upload);
    } catch (error) {
      if (!(await this.#reviewable(actor.userId, appId, versionCode))) throw error;
    }
    const token = `pv${base32(this.#random.bytes(15))}`;
    const now = this.#clock.now();
    await this.#database.write(async (tx) => {
      const [version] = await tx.select({ code: appVersions.versionCode }).from(appVersions).where(and(eq(appVersions.appId, appId), eq(appVersions.versionCode, versionCode)));
      if (!version) throw new AtriumError({ code: 'VERSION_NOT_FOUND', detail: `Version ${versionCode} does not exist.` });
      await tx.insert(previewLinks).values({ token, appId, versionCode, createdBy: actor.userId, createdAt: now, expiresAt: now + PREVIEW_TTL_MS });
      await this.#audit.record(tx, actor, appId, 'preview.create', { versionCode });
    });
    return { token, url: `${this.#publicUrl}/a/${appId}?preview=${token}`, expiresAt: now + PREVIEW_TTL_MS };
  }

  /** The version a preview opens, for a member or tester of its app; else `PREVIEW_LINK_INVALID`. */
  async resolve(token: string, appId: string, userId: string): Promise<number> {
    const [row] = await this.#database.db.select().from(previewLinks).where(eq(previewLinks.token, token));
    if (!row || row.appId !== appId || row.expiresAt <= this.#clock.now()) throw new AtriumError({ code: 'PREVIEW_LINK_INVALID' });
    const role = await this.#members.role(appId, userId);
    if (!role && !(await this.#reviewable(userId, appId, row.versionCode))) throw new AtriumError({ code: 'APP_ROLE_REQUIRED', detail: 'Previews open only for the app’s members and testers.' });
    return row.versionCode;
  }

  /** A platform reviewer and a version waiting for review. */
  async #reviewable(userId: string | null, appId: string, versionCode: number): Promise<boolean> {
    if (userId === null || !(await this.#members.isReviewer(userId))) return false;
    const [row] = await this.#database.db.select({ channel: appVersions.channel }).from(appVersions).where(and(eq(appVersions.appId, appId), eq(appVersions.versionCode, versionCode)));
    return row?.channel === 'submitted';
  }

  /** A launch scene for a QR code: a short token for page + query. */
  async createScene(actor: Actor, appId: string, page: string, query: Record<string, string>): Promise<{ scene: string; url: string }> {
    await this.#members.require(appId, actor, NEEDS.upload);
    const scene = base32(this.#random.bytes(10)); // 16 characters, within WeChat's 32
    await this.#database.write(async (tx) => {
      await tx.insert(launchScenes).values({ token: scene, appId, page, query: JSON.stringify(query), createdBy: actor.userId, createdAt: this.#clock.now() });
      await this.#audit.record(tx, actor, appId, 'scene.create', { scene, page });
    });
    return { scene, url: `${this.#publicUrl}/s/${scene}` };
  }

  /** Where a scene token leads. */
  async scene(token: string): Promise<{ appId: string; page: string; query: Record<string, string> }> {
    const [row] = token.length <= 32 ? await this.#database.db.select().from(launchScenes).where(eq(launchScenes.token, token)) : [];
    if (!row) throw new AtriumError({ code: 'SCENE_NOT_FOUND' });
    return { appId: row.appId, page: row.page, query: JSON.parse(row.query) as Record<string, string> };
  }
}
