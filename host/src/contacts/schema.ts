/**
 * @module Tables of the contacts domain: contacts (both directions), requests and blocks.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from '../identity/schema.ts';

/** `ownerId` has `contactId` in their contacts; an accepted request writes both directions. */
export const contacts = sqliteTable(
  'contacts',
  {
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    contactId: text('contact_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.contactId] })],
);

/** A request to become contacts. */
export const contactRequests = sqliteTable(
  'contact_requests',
  {
    id: text('id').primaryKey(),
    fromUserId: text('from_user_id')
      .notNull()
      .references(() => users.id),
    toUserId: text('to_user_id')
      .notNull()
      .references(() => users.id),
    message: text('message').notNull(),
    /** `pending`, `accepted`, `declined` or `cancelled`. */
    status: text('status').notNull(),
    createdAt: integer('created_at').notNull(),
    respondedAt: integer('responded_at'),
  },
  (t) => [index('contact_requests_to_idx').on(t.toUserId, t.status), index('contact_requests_from_idx').on(t.fromUserId, t.status)],
);

/** `blockerId` blocks `blockedId`: no requests either way, and existing contact is removed. */
export const blocks = sqliteTable(
  'blocks',
  {
    blockerId: text('blocker_id')
      .notNull()
      .references(() => users.id),
    blockedId: text('blocked_id')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.blockerId, t.blockedId] })],
);

export type ContactRequestRow = typeof contactRequests.$inferSelect;
