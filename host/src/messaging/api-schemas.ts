/**
 * @module The messaging domain's request and response shapes (zod, documented in OpenAPI), shared by the HTTP
 * routes and the socket messages.
 */
import { z } from '@hono/zod-openapi';
import { IdSchema, PersonSchema, plainText } from '../identity/api-schemas.ts';

/** Longest text message the edge accepts; `messaging.maxTextChars` may lower it. Keep in sync with config.ts. */
export const MAX_TEXT_CHARS = 4000;

/**
 * Message text: 1–4000 characters; newlines and tabs allowed; other control characters and bidirectional
 * overrides (U+202A–U+202E, U+2066–U+2069, used to disguise text) refused. Emoji joiners (U+200D) are fine.
 */
const TEXT_PATTERN = '^[^\\u0000-\\u0008\\u000B-\\u001F\\u007F\\u202A-\\u202E\\u2066-\\u2069]*$';
export const MessageTextSchema = z
  .string()
  .min(1)
  .max(MAX_TEXT_CHARS, `Messages are limited to ${MAX_TEXT_CHARS} characters`)
  .regex(new RegExp(TEXT_PATTERN, 'u'), 'No control characters or direction overrides')
  .refine((s) => s.trim().length > 0, 'A message needs some text')
  .openapi({ pattern: TEXT_PATTERN });

/** The sender's idempotency key for a message: 8–64 of A–Z, a–z, 0–9, `-`, `_` (a UUID fits). */
export const ClientIdSchema = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use 8–64 letters, digits, "-" or "_"')
  .openapi({ example: '3f1c2a9e-6d0b-4e51-9a57-0c1d2e3f4a5b' });

export const GroupNameSchema = plainText({ min: 1, max: 64 }).openapi({ example: 'Book club' });

export const OutgoingMessageFields = {
  clientId: ClientIdSchema,
  text: MessageTextSchema.optional().openapi({ description: 'The text, or the caption of an image' }),
  imageId: IdSchema.optional().openapi({ description: 'An image uploaded with `POST /v1/conversations/{conversationId}/images`' }),
  mentions: z.strictObject({ userIds: z.array(IdSchema).max(50).optional(), all: z.boolean().optional() }).optional(),
  replyToId: IdSchema.optional(),
};
/** A message needs text, an image, or both. */
export const hasContent = (m: { text?: string | undefined; imageId?: string | undefined }): boolean => m.text !== undefined || m.imageId !== undefined;
export const SendBody = z.strictObject(OutgoingMessageFields).refine(hasContent, { message: 'Send text, an image, or both', path: ['text'] }).openapi('NewMessage');

export const DirectBody = z.strictObject({ userId: IdSchema }).openapi('NewDirectChat');
export const NewGroupBody = z.strictObject({ name: GroupNameSchema, memberIds: z.array(IdSchema).max(500).default([]) }).openapi('NewGroup');
export const UpdateGroupBody = z
  .strictObject({
    name: GroupNameSchema.optional(),
    avatarUrl: z.string().max(2048).regex(/^https:\/\/[^\s]+$/, 'An https URL').nullable().optional(),
    announcement: plainText({ min: 0, max: 2000, multiline: true }).optional(),
  })
  .openapi('GroupChanges');
export const SettingsBody = z.strictObject({ muted: z.boolean() }).openapi('ConversationSettings');
export const AddMembersBody = z.strictObject({ userIds: z.array(IdSchema).min(1).max(500) }).openapi('NewMembers');
export const RoleBody = z.strictObject({ role: z.enum(['owner', 'admin', 'member']) }).openapi('MemberRole');
export const NewInviteBody = z
  .strictObject({
    expiresInSeconds: z.number().int().min(60).max(30 * 24 * 3600).optional().openapi({ description: 'Default 7 days' }),
    maxUses: z.number().int().min(1).max(500).optional(),
  })
  .openapi('NewInvite');
export const ReadBody = z.strictObject({ order: z.number().int().min(0) }).openapi('ReadPosition');

export const ConversationParams = z.object({ conversationId: IdSchema.openapi({ param: { name: 'conversationId', in: 'path' } }) });
export const MemberParams = ConversationParams.extend({ userId: IdSchema.openapi({ param: { name: 'userId', in: 'path' } }) });
export const MessageParams = ConversationParams.extend({ messageId: IdSchema.openapi({ param: { name: 'messageId', in: 'path' } }) });
export const InviteParams = ConversationParams.extend({ inviteId: IdSchema.openapi({ param: { name: 'inviteId', in: 'path' } }) });
export const ImageParams = ConversationParams.extend({ imageId: IdSchema.openapi({ param: { name: 'imageId', in: 'path' } }) });
export const ImageQuery = z.object({ variant: z.enum(['original', 'thumbnail']).default('original') });
export const InviteTokenSchema = z.string().min(8).max(128).regex(/^[A-Za-z0-9_-]+$/, 'Not an invite');
export const TokenParams = z.object({ token: InviteTokenSchema.openapi({ param: { name: 'token', in: 'path' } }) });

const Order = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const HistoryQuery = z.object({
  before: Order.optional().openapi({ description: 'Messages with a smaller order (paging back)' }),
  after: Order.optional().openapi({ description: 'Messages with a greater order (paging forward)' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const SearchQuery = z.object({
  q: z.string().trim().min(1).max(100),
  conversationId: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export const SyncQuery = z.object({
  cursor: Order.openapi({ description: 'The last inbox seq this device has (0 for a new device)' }),
  wait: z.coerce.number().int().min(0).max(60_000).default(0).openapi({ description: 'Milliseconds to hold the request open when nothing is new (capped by the host)' }),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

const MentionsSchema = z.object({ userIds: z.array(z.string()), all: z.boolean() });
export const TransferSchema = z
  .object({
    id: z.string(),
    senderId: z.string(),
    recipientId: z.string(),
    amount: z.number().int().openapi({ description: 'Minor units' }),
    currency: z.string(),
    note: z.string().nullable(),
    status: z.enum(['pending', 'accepted', 'declined', 'expired']),
    expiresAt: z.number().int(),
    createdAt: z.number().int(),
    resolvedAt: z.number().int().nullable(),
  })
  .openapi('ChatTransfer', { description: 'A transfer in a 1:1 chat: pending until accepted or declined; returns to the sender after 24 h (`expired`)' });
export const RedPacketSchema = z
  .object({
    id: z.string(),
    senderId: z.string(),
    mode: z.enum(['random', 'equal']),
    currency: z.string(),
    total: z.number().int(),
    shares: z.number().int(),
    note: z.string().nullable(),
    status: z.enum(['active', 'finished', 'expired']),
    remainingAmount: z.number().int(),
    remainingCount: z.number().int(),
    refundedAmount: z.number().int(),
    expiresAt: z.number().int(),
    createdAt: z.number().int(),
    finishedAt: z.number().int().nullable(),
    claims: z.array(z.object({ userId: z.string(), amount: z.number().int(), position: z.number().int(), at: z.number().int() })),
  })
  .openapi('RedPacket', { description: 'A red packet and who got how much' });
export const MessageSchema = z
  .object({
    id: z.string(),
    conversationId: z.string(),
    order: z.number().int(),
    senderId: z.string().nullable(),
    clientId: z.string().nullable(),
    kind: z.enum(['text', 'image', 'miniapp', 'system', 'transfer', 'redpacket']),
    text: z.string().nullable(),
    image: z
      .object({ id: z.string(), contentType: z.string(), width: z.number().int(), height: z.number().int(), bytes: z.number().int(), thumbWidth: z.number().int(), thumbHeight: z.number().int() })
      .nullable()
      .openapi('Image'),
    card: z
      .object({ appId: z.string(), appName: z.string(), title: z.string(), path: z.string(), query: z.record(z.string(), z.string()), imageUrl: z.string().nullable() })
      .nullable()
      .openapi('MiniAppCard', { description: 'A mini-app card (`atrium.shareToChat()`): opens `/a/{appId}/{path}?{query}`' }),
    transfer: TransferSchema.nullable(),
    redPacket: RedPacketSchema.nullable(),
    mentions: MentionsSchema.nullable(),
    replyTo: z.object({ id: z.string(), order: z.number().int(), senderId: z.string().nullable(), text: z.string().nullable() }).nullable(),
    system: z.record(z.string(), z.unknown()).nullable().openapi({ description: '`{ event: created | joined | left | removed | recalled | renamed | announcement | avatar | role, ... }`' }),
    createdAt: z.number().int(),
    recalledAt: z.number().int().nullable(),
  })
  .openapi('Message');

export const ConversationSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['direct', 'group']),
    name: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    announcement: z.string().nullable(),
    peer: PersonSchema.nullable(),
    memberCount: z.number().int(),
    role: z.enum(['owner', 'admin', 'member']),
    muted: z.boolean(),
    unread: z.number().int(),
    unreadMentions: z.number().int(),
    readOrder: z.number().int(),
    lastOrder: z.number().int(),
    lastMessage: MessageSchema.nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi('Conversation');

export const MemberSchema = z.object({ person: PersonSchema, role: z.enum(['owner', 'admin', 'member']), joinedAt: z.number().int() }).openapi('Member');
export const InviteSchema = z
  .object({ id: z.string(), createdBy: z.string(), createdAt: z.number().int(), expiresAt: z.number().int(), maxUses: z.number().int().nullable(), uses: z.number().int() })
  .openapi('Invite');
export const NewInviteSchema = InviteSchema.extend({ token: z.string(), url: z.string() }).openapi('CreatedInvite');
export const InvitePreviewSchema = z
  .object({ name: z.string().nullable(), avatarUrl: z.string().nullable(), memberCount: z.number().int(), expiresAt: z.number().int(), member: z.boolean() })
  .openapi('InvitePreview');

const UpdateSchema = z
  .object({
    seq: z.number().int(),
    type: z.enum(['message', 'recall', 'money', 'hidden', 'read', 'membership', 'settings']),
    conversationId: z.string(),
    at: z.number().int(),
    message: MessageSchema.optional(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('InboxUpdate');
export const SyncResultSchema = z
  .union([
    z.object({ kind: z.literal('delta'), updates: z.array(UpdateSchema), cursor: z.number().int(), more: z.boolean() }),
    z.object({ kind: z.literal('snapshot'), reason: z.enum(['too_far_behind', 'cursor_ahead']), conversations: z.array(ConversationSchema), cursor: z.number().int() }),
  ])
  .openapi('SyncResult');
