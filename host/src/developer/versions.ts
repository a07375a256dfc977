/**
 * @module Versions through their channels: uploaded (develop) → submitted → approved or rejected (by platform
 * reviewers, never on their own apps). Version codes strictly increase; packages are hashed and signed by the
 * host on upload. Release is in releases.ts.
 */
import { createHash } from 'node:crypto';
import { and, desc, eq, max } from 'drizzle-orm';
import { apps, appVersions, type AppVersionRow } from '../apps/schema.ts';
import { users } from '../identity/schema.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import type { Manifest } from '../../../sdk/src/manifest.ts';
import type { Actor } from './actor.ts';
import type { DeveloperAudit } from './audit.ts';
import { NEEDS, type Members } from './members.ts';

/** A version as the API shows it (no bundle, no package bytes). */
export interface VersionInfo {
  versionCode: number;
  versionName: string;
  status: string;
  packageSha256: string | null;
  packageBytes: number | null;
  packageSignature: string | null;
  uploadedBy: string | null;
  createdAt: number;
  submittedAt: number | null;
  reviewedAt: number | null;
  reviewNote: string | null;
}

/** A version waiting for review, with what a reviewer checks: who sent it, what it asks for, how big it is. */
export interface ReviewItem extends VersionInfo {
  appId: string;
  appName: string;
  submitter: { handle: string; displayName: string } | null;
  /** The manifest's `req_permissions`: each scope with the reason people are shown. */
  permissions: Array<{ name: string; reason: string }>;
  networkDomains: string[];
  pages: number;
  subpackages: Array<{ name: string; pages: number }>;
}

/** A package already opened and checked at the edge (see devtools' readPackage). */
export interface CheckedPackage {
  manifest: Manifest;
  bundle: string;
  bytes: Buffer;
}

/** Signs a package digest with the host's key (a detached JWS, verifiable with the published JWKS). */
export type PackageSigner = (sha256Hex: string) => Promise<string>;

export function versionInfo(row: AppVersionRow): VersionInfo {
  return {
    versionCode: row.versionCode,
    versionName: row.versionName,
    status: row.channel,
    packageSha256: row.packageSha256,
    packageBytes: row.packageBytes,
    packageSignature: row.packageSignature,
    uploadedBy: row.uploadedBy,
    createdAt: row.createdAt,
    submittedAt: row.submittedAt,
    reviewedAt: row.reviewedAt,
    reviewNote: row.reviewNote,
  };
}

/** Uploads, submissions and reviews. */
export class Versions {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #members: Members;
  readonly #audit: DeveloperAudit;
  readonly #sign: PackageSigner;

  constructor(options: { database: Database; clock: Clock; members: Members; audit: DeveloperAudit; sign: PackageSigner }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#members = options.members;
    this.#audit = options.audit;
    this.#sign = options.sign;
  }

  /** Stores an uploaded package as a new version in the develop channel. */
  async upload(actor: Actor, appId: string, pkg: CheckedPackage): Promise<VersionInfo> {
    await this.#members.require(appId, actor, NEEDS.upload);
    if (pkg.manifest.app_id !== appId) {
      throw new AtriumError({ code: 'PACKAGE_INVALID', detail: `manifest.json: app_id is ${pkg.manifest.app_id}, but this upload is for ${appId}.` });
    }
    const packageSha256 = createHash('sha256').update(pkg.bytes).digest('hex');
    const signature = await this.#sign(packageSha256);
    return this.#database.write(async (tx) => {
      const [newest] = await tx.select({ code: max(appVersions.versionCode) }).from(appVersions).where(eq(appVersions.appId, appId));
      const code = pkg.manifest.version.code;
      if (newest?.code != null && code <= newest.code) {
        throw new AtriumError({ code: 'VERSION_CODE_NOT_INCREASING', detail: `manifest.json: version.code is ${code}; the newest is ${newest.code}. Raise it.` });
      }
      const [row] = await tx
        .insert(appVersions)
        .values({
          appId,
          versionCode: code,
          versionName: pkg.manifest.version.name,
          manifest: JSON.stringify(pkg.manifest),
          bundle: pkg.bundle,
          bundleSha256: createHash('sha256').update(pkg.bundle).digest('hex'),
          channel: 'uploaded',
          package: pkg.bytes,
          packageSha256,
          packageSignature: signature,
          packageBytes: pkg.bytes.length,
          uploadedBy: actor.userId,
          createdAt: this.#clock.now(),
        })
        .returning();
      await this.#audit.record(tx, actor, appId, 'version.upload', { versionCode: code, packageSha256, bytes: pkg.bytes.length });
      return versionInfo(row!);
    });
  }

  /** The app's versions, newest first. */
  async list(actor: Actor, appId: string): Promise<VersionInfo[]> {
    await this.#members.require(appId, actor, NEEDS.read);
    const rows = await this.#database.db.select().from(appVersions).where(eq(appVersions.appId, appId)).orderBy(desc(appVersions.versionCode));
    return rows.map(versionInfo);
  }

  /** Submits an uploaded (or rejected, after fixes would need a new upload — so only uploaded) version for review. */
  async submit(actor: Actor, appId: string, versionCode: number): Promise<VersionInfo> {
    await this.#members.require(appId, actor, NEEDS.upload);
    return this.#transition(actor, appId, versionCode, ['uploaded'], 'submitted', 'version.submit', { submittedAt: this.#clock.now() });
  }

  /** Versions waiting for review, oldest first, with what a reviewer checks (reviewers). */
  async pending(actor: Actor): Promise<ReviewItem[]> {
    await this.#requireReviewer(actor);
    const rows = await this.#database.db
      .select({ version: appVersions, appName: apps.name, handle: users.handle, displayName: users.displayName })
      .from(appVersions)
      .innerJoin(apps, eq(apps.id, appVersions.appId))
      .leftJoin(users, eq(users.id, appVersions.uploadedBy))
      .where(eq(appVersions.channel, 'submitted'));
    return rows
      .sort((a, b) => (a.version.submittedAt ?? 0) - (b.version.submittedAt ?? 0))
      .map(({ version, appName, handle, displayName }) => {
        const manifest = JSON.parse(version.manifest) as Manifest;
        return {
          appId: version.appId,
          ...versionInfo(version),
          appName,
          submitter: handle !== null && displayName !== null ? { handle, displayName } : null,
          permissions: (manifest.req_permissions ?? []).map((p) => ({ name: p.name, reason: p.reason })),
          networkDomains: manifest.network_domains ?? [],
          pages: manifest.pages.length,
          subpackages: (manifest.subpackages ?? []).map((s) => ({ name: s.name, pages: s.pages.length })),
        };
      });
  }

  /** A reviewer approves: the version may be released. */
  async approve(actor: Actor, appId: string, versionCode: number, note?: string): Promise<VersionInfo> {
    await this.#requireReviewer(actor, appId);
    return this.#transition(actor, appId, versionCode, ['submitted'], 'approved', 'review.approve', { reviewedBy: actor.userId, reviewedAt: this.#clock.now(), reviewNote: note ?? null });
  }

  /** A reviewer rejects, with reasons the developer reads. */
  async reject(actor: Actor, appId: string, versionCode: number, reason: string): Promise<VersionInfo> {
    await this.#requireReviewer(actor, appId);
    return this.#transition(actor, appId, versionCode, ['submitted'], 'rejected', 'review.reject', { reviewedBy: actor.userId, reviewedAt: this.#clock.now(), reviewNote: reason });
  }

  async #requireReviewer(actor: Actor, appId?: string): Promise<void> {
    if (actor.userId === null) return;
    if (!(await this.#members.isReviewer(actor.userId))) throw new AtriumError({ code: 'REVIEWER_REQUIRED' });
    if (appId && (await this.#members.role(appId, actor.userId))) throw new AtriumError({ code: 'REVIEW_OWN_APP' });
  }

  async #transition(
    actor: Actor,
    appId: string,
    versionCode: number,
    from: readonly string[],
    to: string,
    action: string,
    set: Partial<typeof appVersions.$inferInsert>,
  ): Promise<VersionInfo> {
    return this.#database.write(async (tx) => {
      const where = and(eq(appVersions.appId, appId), eq(appVersions.versionCode, versionCode));
      const [row] = await tx.select({ channel: appVersions.channel }).from(appVersions).where(where);
      if (!row) throw new AtriumError({ code: 'VERSION_NOT_FOUND', detail: `Version ${versionCode} does not exist.` });
      if (!from.includes(row.channel)) throw new AtriumError({ code: 'VERSION_STATE_INVALID', detail: `Version ${versionCode} is ${row.channel}; this needs ${from.join(' or ')}.` });
      const [updated] = await tx.update(appVersions).set({ channel: to, ...set }).where(where).returning();
      await this.#audit.record(tx, actor, appId, action, { versionCode, ...(set.reviewNote ? { note: set.reviewNote } : {}) });
      return versionInfo(updated!);
    });
  }
}
