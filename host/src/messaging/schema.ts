/**
 * @module Tables of the messaging domain: conversations and their members, messages (with a per-conversation
 * order), invites, what each person hid, and the event log every device syncs from (see `inbox.ts`).
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from '../identity/schema.ts';

/** A 1:1 chat (`direct`) or a group. */
export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    /** `direct` or `group`. */
    kind: text('kind').notNull(),
    /** For `direct`: the two user ids, sorted and joined by `:`, so a pair has one conversation. */
    directKey: text('direct_key'),
    name: text('name'),
    avatarUrl: text('avatar_url'),
    announcement: text('announcement'),
    announcementAt: integer('announcement_at'),
    /** The order of the newest message; the next one gets `lastOrder + 1`. */
    lastOrder: integer('last_order').notNull().default(0),
    /** The count of events for all members (`events.lseq`), consecutive, so a device can spot a missed push. */
    lastEvent: integer('last_event').notNull().default(0),
    memberCount: integer('member_count').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('conversations_direct_key_unique').on(t.directKey)],
);

/** A person in a conversation, now (`active`) or before (`left`, `removed`). */
export const conversationMembers = sqliteTable(
  'conversation_members',
  {
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** `owner`, `admin` or `member`. */
    role: text('role').notNull(),
    /** `active`, `left` or `removed`. */
    status: text('status').notNull(),
    /** The first message order this member may read (groups show history from when one joined). */
    visibleFrom: integer('visible_from').notNull(),
    /** Events for all members with `gseq` above this reach this member (the log's head when they joined). */
    fromSeq: integer('from_seq').notNull().default(0),
    /** Set when they leave or are removed: the last such event they get. */
    untilSeq: integer('until_seq'),
    /** The newest order this member has read. */
    readOrder: integer('read_order').notNull().default(0),
    muted: integer('muted', { mode: 'boolean' }).notNull().default(false),
    joinedAt: integer('joined_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.userId] }), index('conversation_members_user_idx').on(t.userId, t.status)],
);

/** A message. `order` is its place in the conversation (1, 2, 3, ... with no gaps). */
export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    order: integer('order').notNull(),
    /** Null for system messages. */
    senderId: text('sender_id').references(() => users.id),
    /** The sender's idempotency key: a retry with the same one returns this message. */
    clientId: text('client_id'),
    /** `text`, `image`, `miniapp` or `system`. A recalled message becomes `system` with event `recalled`. */
    kind: text('kind').notNull(),
    /** The text (null once recalled and for system messages). Indexed for search by `message_search`. */
    text: text('text'),
    /** JSON `{ userIds: string[], all: boolean }` or null. */
    mentions: text('mentions'),
    replyToId: text('reply_to_id'),
    /** For `image` messages: the uploaded image (`images.id`). */
    imageId: text('image_id'),
    /**
     * For `miniapp` messages: JSON `{ appId, appName, title, path, query, imageUrl }` (`atrium.shareToChat()`);
     * `text` holds the title too, so search finds cards.
     */
    card: text('card'),
    /** JSON of a system message's event: `{ event: 'joined' | 'left' | 'removed' | 'recalled' | ..., ... }`. */
    system: text('system'),
    recalledAt: integer('recalled_at'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('messages_conversation_order_unique').on(t.conversationId, t.order),
    uniqueIndex('messages_client_id_unique').on(t.conversationId, t.senderId, t.clientId),
  ],
);

/**
 * An image uploaded to a conversation: its sanitized original (re-encoded, orientation applied, metadata such as
 * GPS position removed) and a thumbnail, both in the blob store. Only its uploader can attach it to a message.
 */
export const images = sqliteTable(
  'images',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    uploaderId: text('uploader_id')
      .notNull()
      .references(() => users.id),
    contentType: text('content_type').notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    blobId: text('blob_id').notNull(),
    thumbBlobId: text('thumb_blob_id').notNull(),
    thumbWidth: integer('thumb_width').notNull(),
    thumbHeight: integer('thumb_height').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('images_conversation_idx').on(t.conversationId)],
);

/** Messages a person deleted for themselves only. */
export const hiddenMessages = sqliteTable(
  'hidden_messages',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id),
    conversationId: text('conversation_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.messageId] }), index('hidden_messages_conversation_idx').on(t.userId, t.conversationId)],
);

/** A link/QR invite to a group: expires, may be revoked, may be limited in uses. Only the token's hash is kept. */
export const conversationInvites = sqliteTable(
  'conversation_invites',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    tokenHash: text('token_hash').notNull(),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    maxUses: integer('max_uses'),
    uses: integer('uses').notNull().default(0),
    revokedAt: integer('revoked_at'),
  },
  (t) => [uniqueIndex('conversation_invites_token_unique').on(t.tokenHash), index('conversation_invites_conversation_idx').on(t.conversationId)],
);

/** The count of personal events of each person (`events.lseq` where `user_id` is theirs), consecutive. */
export const inboxHeads = sqliteTable('inbox_heads', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  seq: integer('seq').notNull(),
});

/**
 * The log every device syncs from, in one global order (`gseq`). An event is either for all members of a
 * conversation (`user_id` null: a message, a recall) or personal (a read position, a mute, a membership change,
 * a message deleted for me). A person's inbox is their personal events plus their conversations' events while
 * they were members, in `gseq` order: so a group message is one row here, not one per member, and the write
 * cost of a message does not grow with the size of the group. `lseq` counts per conversation (or per person
 * for personal events) without gaps, so a device can tell that it missed a push.
 */
export const events = sqliteTable(
  'events',
  {
    gseq: integer('gseq').primaryKey({ autoIncrement: true }),
    conversationId: text('conversation_id').notNull(),
    /** Null: for every member; else the one person it is for. */
    userId: text('user_id'),
    lseq: integer('lseq').notNull(),
    /** `message`, `recall`, `hidden`, `read`, `membership` or `settings`. */
    type: text('type').notNull(),
    messageId: text('message_id'),
    /** Small JSON for updates that carry more than a message id. */
    data: text('data'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    index('events_conversation_idx').on(t.conversationId, t.gseq).where(sql`${t.userId} is null`),
    index('events_user_idx').on(t.userId, t.gseq).where(sql`${t.userId} is not null`),
  ],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type MemberRow = typeof conversationMembers.$inferSelect;
export type MessageRow = typeof messages.$inferSelect;
export type InviteRow = typeof conversationInvites.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type ImageRow = typeof images.$inferSelect;

/**
 * A transfer sent as a chat message in a 1:1 chat. The money waits in the transfer's own escrow account (a
 * system account `s:transfer.<id>:<CUR>` in the ledger) until the recipient accepts it (escrow → recipient), declines
 * it, or 24 h pass (escrow → sender). `status` moves once, from `pending`; the escrow's balance is `amount` while
 * pending and 0 after, which `moneyInvariants` checks.
 */
export const chatTransfers = sqliteTable(
  'chat_transfers',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id),
    senderId: text('sender_id')
      .notNull()
      .references(() => users.id),
    recipientId: text('recipient_id')
      .notNull()
      .references(() => users.id),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    note: text('note'),
    /** `pending`, `accepted`, `declined` or `expired` (returned after 24 h). */
    status: text('status').notNull(),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
    /** The ledger transfer into escrow, and the one out of it. */
    sendTransferId: text('send_transfer_id').notNull(),
    resolveTransferId: text('resolve_transfer_id'),
  },
  (t) => [uniqueIndex('chat_transfers_message_unique').on(t.messageId), index('chat_transfers_expiry_idx').on(t.status, t.expiresAt)],
);

/**
 * A red packet: `total` split into `shares`, random (each share computed when opened, WeChat's 2 × mean rule) or
 * equal. The money waits in the packet's escrow account (`s:redpacket.<id>:<CUR>`); each open moves one share
 * out of it in one ledger transfer, after a compare-and-set on (`remaining_amount`, `remaining_count`). What is
 * left after 24 h returns to the sender. The escrow's balance always equals `remaining_amount`.
 */
export const redPackets = sqliteTable(
  'red_packets',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    messageId: text('message_id')
      .notNull()
      .references(() => messages.id),
    senderId: text('sender_id')
      .notNull()
      .references(() => users.id),
    /** `random` or `equal`. */
    mode: text('mode').notNull(),
    currency: text('currency').notNull(),
    total: integer('total').notNull(),
    shares: integer('shares').notNull(),
    remainingAmount: integer('remaining_amount').notNull(),
    remainingCount: integer('remaining_count').notNull(),
    note: text('note'),
    /** `active`, `finished` (every share opened) or `expired` (the rest returned to the sender). */
    status: text('status').notNull(),
    refundedAmount: integer('refunded_amount').notNull().default(0),
    expiresAt: integer('expires_at').notNull(),
    createdAt: integer('created_at').notNull(),
    finishedAt: integer('finished_at'),
    sendTransferId: text('send_transfer_id').notNull(),
    refundTransferId: text('refund_transfer_id'),
  },
  (t) => [uniqueIndex('red_packets_message_unique').on(t.messageId), index('red_packets_expiry_idx').on(t.status, t.expiresAt)],
);

/** One opened share of a red packet: at most one per person (the primary key), numbered 1..shares. */
export const redPacketClaims = sqliteTable(
  'red_packet_claims',
  {
    packetId: text('packet_id')
      .notNull()
      .references(() => redPackets.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** 1 for the first share opened, up to `shares`. */
    position: integer('position').notNull(),
    amount: integer('amount').notNull(),
    transferId: text('transfer_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.packetId, t.userId] }), uniqueIndex('red_packet_claims_position_unique').on(t.packetId, t.position)],
);

export type ChatTransferRow = typeof chatTransfers.$inferSelect;
export type RedPacketRow = typeof redPackets.$inferSelect;
export type RedPacketClaimRow = typeof redPacketClaims.$inferSelect;
