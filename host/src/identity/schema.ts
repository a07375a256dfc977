/**
 * @module Tables of the identity domain: people, their devices, refresh tokens, signing keys, login tickets.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** A person's account. `handle` is stored lowercase, so uniqueness is case-insensitive. */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    handle: text('handle').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** E.164; never shown to other people or apps. */
    phone: text('phone'),
    locale: text('locale'),
    /** The code in the person's "add me" QR card; resettable. */
    cardCode: text('card_code').notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_handle_unique').on(t.handle),
    uniqueIndex('users_phone_unique').on(t.phone),
    uniqueIndex('users_card_code_unique').on(t.cardCode),
  ],
);

/** One signed-in browser or app. Revoking it stops its tokens at once. */
export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    userAgent: text('user_agent').notNull(),
    /** How it signed in: `password`, `signup` or `qr`. */
    method: text('method').notNull(),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    revokedAt: integer('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index('devices_user_idx').on(t.userId)],
);

/** A device's chain of rotating refresh tokens; only the SHA-256 of each token is kept. */
export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    id: text('id').primaryKey(),
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Set when the token is exchanged; presenting it again revokes the device. */
    usedAt: integer('used_at'),
  },
  (t) => [uniqueIndex('refresh_tokens_hash_unique').on(t.tokenHash), index('refresh_tokens_device_idx').on(t.deviceId)],
);

/** Ed25519 keys that sign access tokens. A key signs until `retiresAt` and verifies until `expiresAt`. */
export const signingKeys = sqliteTable('signing_keys', {
  kid: text('kid').primaryKey(),
  publicJwk: text('public_jwk').notNull(),
  privateJwk: text('private_jwk').notNull(),
  createdAt: integer('created_at').notNull(),
  retiresAt: integer('retires_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** A scan-to-login request from a signed-out browser. */
export const loginTickets = sqliteTable('login_tickets', {
  id: text('id').primaryKey(),
  /** SHA-256 of the secret only the waiting browser holds. */
  secretHash: text('secret_hash').notNull(),
  requesterUserAgent: text('requester_user_agent').notNull(),
  requesterName: text('requester_name').notNull(),
  /** `pending` → `scanned` → `confirmed` → `consumed`, or `cancelled`; expiry is by time. */
  status: text('status').notNull(),
  userId: text('user_id').references(() => users.id),
  approverDeviceId: text('approver_device_id').references(() => devices.id),
  /** The device created for the waiting browser once confirmed. */
  deviceId: text('device_id').references(() => devices.id),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export type UserRow = typeof users.$inferSelect;
export type DeviceRow = typeof devices.$inferSelect;
export type LoginTicketRow = typeof loginTickets.$inferSelect;
export type SigningKeyRow = typeof signingKeys.$inferSelect;
