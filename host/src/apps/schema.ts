/**
 * @module Tables of the mini-app domain: apps and their developers, the pseudonymous ids apps see, login
 * codes, consent grants, the access log people read, and server-side app storage.
 */
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from '../identity/schema.ts';

/** A developer account (a person in developer mode, or the platform's own samples). */
export const developers = sqliteTable('developers', {
  id: text('id').primaryKey(),
  /** The person behind it; null for the platform's built-in sample developer. */
  userId: text('user_id').references(() => users.id),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
});

/** A mini-app. `id` is the manifest's `app_id`. */
export const apps = sqliteTable(
  'apps',
  {
    id: text('id').primaryKey(),
    developerId: text('developer_id')
      .notNull()
      .references(() => developers.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** An https URL for the app's icon. */
    iconUrl: text('icon_url'),
    /** Where the platform posts the app's events (https). */
    webhookUrl: text('webhook_url'),
    /** SHA-256 of the app secret its backend uses for the code exchange; the secret is shown once. */
    secretHash: text('secret_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('apps_developer_idx').on(t.developerId)],
);

/** The app-scoped pseudonymous id of a person (like WeChat's openid). Stable; never the user id. */
export const appOpenids = sqliteTable(
  'app_openids',
  {
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    openid: text('openid').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.userId] }), uniqueIndex('app_openids_openid_unique').on(t.openid)],
);

/** The developer-scoped pseudonymous id of a person (like WeChat's unionid). */
export const developerUnionids = sqliteTable(
  'developer_unionids',
  {
    developerId: text('developer_id')
      .notNull()
      .references(() => developers.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    unionid: text('unionid').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.developerId, t.userId] }), uniqueIndex('developer_unionids_unionid_unique').on(t.unionid)],
);

/** One-use login codes from `atrium.login()`, exchanged by the app's backend within 5 minutes. */
export const appLoginCodes = sqliteTable('app_login_codes', {
  codeHash: text('code_hash').primaryKey(),
  appId: text('app_id')
    .notNull()
    .references(() => apps.id),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
});

/** The session key an app's backend got at its last code exchange for a person: it signs user data. */
export const appSessionKeys = sqliteTable(
  'app_session_keys',
  {
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    sessionKey: text('session_key').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.userId] })],
);

/** What a person allowed or denied an app (per permission scope). */
export const appGrants = sqliteTable(
  'app_grants',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    scope: text('scope').notNull(),
    /** `allow` or `deny`. */
    state: text('state').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.appId, t.scope] })],
);

/** Every bridge call that touched personal data or left the sandbox, for the person to read. */
export const appAccessLog = sqliteTable(
  'app_access_log',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    api: text('api').notNull(),
    /** `allowed`, `denied` or `failed`. */
    outcome: text('outcome').notNull(),
    /** A short, person-readable summary (e.g. the host of a network request); never secrets. */
    detail: text('detail').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('app_access_log_user_app_idx').on(t.userId, t.appId, t.createdAt)],
);

/** Server-side storage per (person, app): 1 MB per key, 10 MB per person per app. */
export const appStorage = sqliteTable(
  'app_storage',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    key: text('key').notNull(),
    /** The JSON text of the value. */
    value: text('value').notNull(),
    /** Bytes counted against the quota: UTF-8 length of key + value. */
    size: integer('size').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.appId, t.key] })],
);

/**
 * A version of an app: its manifest, logic bundle and assets' digest. Development versions are loaded from
 * `miniapps/` by the host; the developer platform adds upload, review and release channels.
 */
export const appVersions = sqliteTable(
  'app_versions',
  {
    appId: text('app_id')
      .notNull()
      .references(() => apps.id),
    versionCode: integer('version_code').notNull(),
    versionName: text('version_name').notNull(),
    /** The validated manifest, as JSON. */
    manifest: text('manifest').notNull(),
    /** The logic bundle (JavaScript run in the sandbox). */
    bundle: text('bundle').notNull(),
    /** SHA-256 (hex) of the bundle: the runtime's compile-cache key. */
    bundleSha256: text('bundle_sha256').notNull(),
    /**
     * Where the version is: `development` (loaded from a folder by a development host), `uploaded` (the
     * develop channel), `submitted` (for review), `approved`, `rejected`. Released versions stay `approved`;
     * what people get is in `app_releases`.
     */
    channel: text('channel').notNull(),
    /** The uploaded package (ZIP), when the version came from an upload. */
    package: blob('package', { mode: 'buffer' }),
    /** SHA-256 (hex) of the package bytes. */
    packageSha256: text('package_sha256'),
    /** The host's Ed25519 signature over `packageSha256` (JWS compact, detached payload). */
    packageSignature: text('package_signature'),
    packageBytes: integer('package_bytes'),
    uploadedBy: text('uploaded_by'),
    submittedAt: integer('submitted_at'),
    reviewedBy: text('reviewed_by'),
    reviewedAt: integer('reviewed_at'),
    /** The reviewer's reasons, when rejected (or a note when approved). */
    reviewNote: text('review_note'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.appId, t.versionCode] })],
);

export type AppRow = typeof apps.$inferSelect;
export type AppVersionRow = typeof appVersions.$inferSelect;
export type AccessLogRow = typeof appAccessLog.$inferSelect;
