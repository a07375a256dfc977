/**
 * @module Tables of the developer platform: who may work on an app (members and testers), platform roles
 * (reviewers), developer API tokens, the CLI's device-code sign-in, the release state and its history, preview
 * links, launch scenes and the audit trail.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { apps } from '../apps/schema.ts';
import { users } from '../identity/schema.ts';

/** A person's role on an app: `owner` and `admin` release and manage, `developer` uploads, `tester` previews. */
export const appMembers = sqliteTable(
  'app_members',
  {
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ['owner', 'admin', 'developer', 'tester'] }).notNull(),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.userId] }), index('app_members_user_idx').on(t.userId)],
);

/** Platform-wide roles: `reviewer` approves or rejects submitted versions. */
export const platformRoles = sqliteTable(
  'platform_roles',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ['reviewer'] }).notNull(),
    grantedAt: integer('granted_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] })],
);

/** A developer API token (`atk_<id>_<secret>`): scoped, expiring, revocable; only its hash is kept. */
export const developerTokens = sqliteTable(
  'developer_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    /** JSON array of scopes. */
    scopes: text('scopes').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [index('developer_tokens_user_idx').on(t.userId)],
);

/** The CLI's sign-in (OAuth 2.0 device authorization grant, RFC 8628). */
export const deviceAuthorizations = sqliteTable(
  'device_authorizations',
  {
    id: text('id').primaryKey(),
    /** SHA-256 of the device code the CLI polls with. */
    deviceCodeHash: text('device_code_hash').notNull(),
    /** What the person types or confirms: 8 letters, shown as XXXX-XXXX. */
    userCode: text('user_code').notNull(),
    clientName: text('client_name').notNull(),
    status: text('status', { enum: ['pending', 'approved', 'denied', 'issued'] }).notNull(),
    userId: text('user_id').references(() => users.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    lastPolledAt: integer('last_polled_at'),
  },
  (t) => [uniqueIndex('device_authorizations_device_code_idx').on(t.deviceCodeHash), index('device_authorizations_user_code_idx').on(t.userCode)],
);

/**
 * What people get when they launch an app: the `stable` version, and a phased rollout of a newer one to
 * `rolloutPercent` of people (stable buckets per person). Paused, everybody gets `stable`.
 */
export const appReleases = sqliteTable('app_releases', {
  appId: text('app_id')
    .primaryKey()
    .references(() => apps.id),
  stableVersion: integer('stable_version'),
  rolloutVersion: integer('rollout_version'),
  rolloutPercent: integer('rollout_percent').notNull(),
  rolloutPaused: integer('rollout_paused', { mode: 'boolean' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Every change of an app's release state, for rollback targets and the audit trail. */
export const appReleaseHistory = sqliteTable(
  'app_release_history',
  {
    id: text('id').primaryKey(),
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    versionCode: integer('version_code').notNull(),
    /** `stable` when the version became what everybody gets (complete or rollback). */
    kind: text('kind', { enum: ['rollout', 'stable'] }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('app_release_history_app_idx').on(t.appId, t.at)],
);

/** A preview link for one version, valid 24 h, for the app's members and testers only. */
export const previewLinks = sqliteTable(
  'preview_links',
  {
    token: text('token').primaryKey(),
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    versionCode: integer('version_code').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('preview_links_app_idx').on(t.appId)],
);

/** A launch QR's short scene token (≤ 32 characters) resolving to a page and query. */
export const launchScenes = sqliteTable('launch_scenes', {
  token: text('token').primaryKey(),
  appId: text('app_id')
    .notNull()
    .references(() => apps.id),
  page: text('page').notNull(),
  /** JSON object of string values. */
  query: text('query').notNull(),
  createdBy: text('created_by').references(() => users.id),
  createdAt: integer('created_at').notNull(),
});

/** Everything done on the developer platform: who, what, to which app, when. */
export const developerAudit = sqliteTable(
  'developer_audit',
  {
    id: text('id').primaryKey(),
    appId: text('app_id'),
    /** The person, or null for the platform itself (development mode). */
    actorId: text('actor_id'),
    /** The API token used, if any. */
    tokenId: text('token_id'),
    action: text('action').notNull(),
    /** JSON details (never secrets). */
    detail: text('detail').notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('developer_audit_app_idx').on(t.appId, t.at)],
);

export type AppMemberRow = typeof appMembers.$inferSelect;
export type DeveloperTokenRow = typeof developerTokens.$inferSelect;
export type AppReleaseRow = typeof appReleases.$inferSelect;
