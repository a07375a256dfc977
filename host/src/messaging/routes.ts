/**
 * @module The messaging domain's HTTP edge: `/v1/conversations` (chats, groups, members, invites, messages),
 * `/v1/invites/{token}` (preview and join by link), `/v1/messages/search` and the long-poll `/v1/sync`.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AtriumError } from '../core/errors.ts';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import {
  AddMembersBody,
  ConversationParams,
  ConversationSchema,
  DirectBody,
  ImageParams,
  ImageQuery,
  HistoryQuery,
  InviteParams,
  InvitePreviewSchema,
  InviteSchema,
  MemberParams,
  MemberSchema,
  MessageParams,
  MessageSchema,
  NewGroupBody,
  NewInviteBody,
  NewInviteSchema,
  ReadBody,
  RoleBody,
  SearchQuery,
  SendBody,
  SettingsBody,
  SyncQuery,
  SyncResultSchema,
  TokenParams,
  UpdateGroupBody,
} from './api-schemas.ts';
import type { ConversationService } from './conversations.ts';
import { formatBytes, type ImageService } from './images.ts';
import type { InviteService } from './invites.ts';
import type { MessageService } from './messages.ts';
import { searchMessages } from './search.ts';
import type { SyncService } from './sync.ts';

const bearer = [{ bearerAuth: [] }];
const tags = ['messaging'];

/** What the messaging routes need. */
export interface MessagingRouteOptions {
  conversations: ConversationService;
  messages: MessageService;
  invites: InviteService;
  sync: SyncService;
  images: ImageService;
  auth: MiddlewareHandler;
  /** Aborted when the host stops: held long polls answer at once. */
  stopping?: AbortSignal | undefined;
}

/** `/v1/conversations`. */
export function conversationRoutes(options: MessagingRouteOptions): OpenAPIHono {
  const { conversations, messages, invites, images, auth } = options;
  const router = createRouter();
  router.use(auth);
  const me = (c: { get(key: 'caller'): { userId: string } }): string => c.get('caller').userId;

  router.openapi(
    createRoute({ method: 'get', path: '/', tags, summary: 'My conversations, most recent first', security: bearer, responses: { 200: jsonResponse(z.object({ conversations: z.array(ConversationSchema) }), 'Conversations'), ...problems(401) } }),
    async (c) => c.json({ conversations: await conversations.list(me(c)) }, 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/direct',
      tags,
      summary: 'Open the 1:1 chat with a contact (created on first use)',
      security: bearer,
      request: { body: jsonBody(DirectBody) },
      responses: { 200: jsonResponse(ConversationSchema, 'The chat'), ...problems(400, 401, 403) },
    }),
    async (c) => c.json(await conversations.openDirect(me(c), c.req.valid('json').userId), 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags,
      summary: 'Create a group with some of my contacts',
      security: bearer,
      request: { body: jsonBody(NewGroupBody) },
      responses: { 201: jsonResponse(ConversationSchema, 'The group'), ...problems(400, 401, 403, 409, 429) },
    }),
    async (c) => c.json(await conversations.createGroup(me(c), c.req.valid('json')), 201),
  );
  router.openapi(
    createRoute({ method: 'get', path: '/{conversationId}', tags, summary: 'One of my conversations', security: bearer, request: { params: ConversationParams }, responses: { 200: jsonResponse(ConversationSchema, 'The conversation'), ...problems(401, 404) } }),
    async (c) => c.json(await conversations.get(me(c), c.req.valid('param').conversationId), 200),
  );
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{conversationId}',
      tags,
      summary: 'Rename a group, set its avatar, or (owner and admins) its announcement',
      security: bearer,
      request: { params: ConversationParams, body: jsonBody(UpdateGroupBody) },
      responses: { 200: jsonResponse(ConversationSchema, 'The group'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await conversations.update(me(c), c.req.valid('param').conversationId, c.req.valid('json')), 200),
  );
  router.openapi(
    createRoute({
      method: 'put',
      path: '/{conversationId}/settings',
      tags,
      summary: 'My settings for a conversation (mute)',
      security: bearer,
      request: { params: ConversationParams, body: jsonBody(SettingsBody) },
      responses: { 200: jsonResponse(ConversationSchema, 'The conversation'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await conversations.setMuted(me(c), c.req.valid('param').conversationId, c.req.valid('json').muted), 200),
  );

  // members
  router.openapi(
    createRoute({ method: 'get', path: '/{conversationId}/members', tags, summary: 'The members', security: bearer, request: { params: ConversationParams }, responses: { 200: jsonResponse(z.object({ members: z.array(MemberSchema) }), 'Members'), ...problems(401, 404) } }),
    async (c) => c.json({ members: await conversations.members(me(c), c.req.valid('param').conversationId) }, 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/members',
      tags,
      summary: 'Add some of my contacts to a group',
      security: bearer,
      request: { params: ConversationParams, body: jsonBody(AddMembersBody) },
      responses: { 200: jsonResponse(z.object({ members: z.array(MemberSchema) }), 'Members'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json({ members: await conversations.addMembers(me(c), c.req.valid('param').conversationId, c.req.valid('json').userIds) }, 200),
  );
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{conversationId}/members/{userId}',
      tags,
      summary: "Change a member's role, or hand the group over (owner only)",
      security: bearer,
      request: { params: MemberParams, body: jsonBody(RoleBody) },
      responses: { 200: jsonResponse(z.object({ members: z.array(MemberSchema) }), 'Members'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { conversationId, userId } = c.req.valid('param');
      return c.json({ members: await conversations.setRole(me(c), conversationId, userId, c.req.valid('json').role) }, 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{conversationId}/members/{userId}',
      tags,
      summary: 'Leave a group (my own id) or remove a member (owner and admins)',
      security: bearer,
      request: { params: MemberParams },
      responses: { 204: { description: 'Gone' }, ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { conversationId, userId } = c.req.valid('param');
      await conversations.removeMember(me(c), conversationId, userId);
      return c.body(null, 204);
    },
  );

  // invites
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/invites',
      tags,
      summary: 'Make an invite link / QR code to a group (shown once)',
      security: bearer,
      request: { params: ConversationParams, body: jsonBody(NewInviteBody) },
      responses: { 201: jsonResponse(NewInviteSchema, 'The invite'), ...problems(400, 401, 404, 409, 429) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const ttlMs = body.expiresInSeconds === undefined ? undefined : body.expiresInSeconds * 1000;
      return c.json(await invites.create(me(c), c.req.valid('param').conversationId, { ttlMs, maxUses: body.maxUses }), 201);
    },
  );
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{conversationId}/invites',
      tags,
      summary: 'Active invites (all for owner and admins, my own for members)',
      security: bearer,
      request: { params: ConversationParams },
      responses: { 200: jsonResponse(z.object({ invites: z.array(InviteSchema) }), 'Invites'), ...problems(401, 404, 409) },
    }),
    async (c) => c.json({ invites: await invites.list(me(c), c.req.valid('param').conversationId) }, 200),
  );
  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{conversationId}/invites/{inviteId}',
      tags,
      summary: 'Revoke an invite (its maker, the owner or an admin)',
      security: bearer,
      request: { params: InviteParams },
      responses: { 204: { description: 'Revoked' }, ...problems(401, 404, 409) },
    }),
    async (c) => {
      const { conversationId, inviteId } = c.req.valid('param');
      await invites.revoke(me(c), conversationId, inviteId);
      return c.body(null, 204);
    },
  );

  // images
  router.on('POST', '/:conversationId/images', async (c, next) => {
    const maxSize = c.get('config').messaging.maxImageBytes;
    const limit = bodyLimit({
      maxSize,
      onError: () => {
        throw new AtriumError({ code: 'IMAGE_TOO_LARGE', detail: `Images are limited to ${formatBytes(maxSize)}.` });
      },
    });
    return limit(c, next);
  });
  const imageTypes = ['image/jpeg', 'image/png', 'image/webp', 'image/gif'] as const;
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/images',
      tags,
      summary: 'Upload an image (JPEG, PNG, WebP or GIF; checked by content), then send it with `imageId`',
      security: bearer,
      request: {
        params: ConversationParams,
        body: { required: true, content: Object.fromEntries(imageTypes.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])) },
      },
      responses: { 201: jsonResponse(MessageSchema.shape.image.unwrap(), 'Stored: original (metadata removed) and thumbnail'), ...problems(401, 404, 413, 415) },
    }),
    async (c) => {
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      return c.json(await images.upload(me(c), c.req.valid('param').conversationId, bytes), 201);
    },
  );
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{conversationId}/images/{imageId}',
      tags,
      summary: 'The bytes of an image, or its thumbnail (`variant=thumbnail`, WebP)',
      security: bearer,
      request: { params: ImageParams, query: ImageQuery },
      responses: { 200: { description: 'The image', content: Object.fromEntries(imageTypes.map((t) => [t, { schema: z.string().openapi({ format: 'binary' }) }])) }, ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { conversationId, imageId } = c.req.valid('param');
      const { bytes, contentType } = await images.read(me(c), conversationId, imageId, c.req.valid('query').variant);
      return c.body(new Uint8Array(bytes), 200, { 'content-type': contentType, 'cache-control': 'private, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' });
    },
  );

  // messages
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{conversationId}/messages',
      tags,
      summary: 'History, oldest first within the page (page back with `before`, forward with `after`)',
      security: bearer,
      request: { params: ConversationParams, query: HistoryQuery },
      responses: { 200: jsonResponse(z.object({ messages: z.array(MessageSchema), hasMore: z.boolean() }), 'A page'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await messages.history(me(c), c.req.valid('param').conversationId, c.req.valid('query')), 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/messages',
      tags,
      summary: 'Send a text message (idempotent on `clientId`: a retry returns the first message with 200)',
      security: bearer,
      request: { params: ConversationParams, body: jsonBody(SendBody) },
      responses: {
        201: jsonResponse(z.object({ message: MessageSchema }), 'Sent and stored'),
        200: jsonResponse(z.object({ message: MessageSchema }), 'Already sent with this clientId'),
        ...problems(400, 401, 403, 404, 409, 413, 429),
      },
    }),
    async (c) => {
      const { message, created } = await messages.send(me(c), c.req.valid('param').conversationId, c.req.valid('json'));
      return created ? c.json({ message }, 201) : c.json({ message }, 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/messages/{messageId}/recall',
      tags,
      summary: 'Recall my message for everyone (within the recall window)',
      security: bearer,
      request: { params: MessageParams },
      responses: { 200: jsonResponse(z.object({ message: MessageSchema }), 'Recalled'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => {
      const { conversationId, messageId } = c.req.valid('param');
      return c.json({ message: await messages.recall(me(c), conversationId, messageId) }, 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{conversationId}/messages/{messageId}',
      tags,
      summary: 'Delete a message for me only',
      security: bearer,
      request: { params: MessageParams },
      responses: { 204: { description: 'Deleted for me' }, ...problems(401, 404) },
    }),
    async (c) => {
      const { conversationId, messageId } = c.req.valid('param');
      await messages.hide(me(c), conversationId, messageId);
      return c.body(null, 204);
    },
  );
  router.openapi(
    createRoute({
      method: 'get',
      path: '/{conversationId}/messages/{messageId}/receipts',
      tags,
      summary: 'Who has read my message (counts)',
      security: bearer,
      request: { params: MessageParams },
      responses: { 200: jsonResponse(z.object({ readCount: z.number().int(), unreadCount: z.number().int(), read: z.boolean() }), 'Receipts'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { conversationId, messageId } = c.req.valid('param');
      return c.json(await messages.receipts(me(c), conversationId, messageId), 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/{conversationId}/read',
      tags,
      summary: 'Move my read position forward',
      security: bearer,
      request: { params: ConversationParams, body: jsonBody(ReadBody) },
      responses: { 200: jsonResponse(z.object({ readOrder: z.number().int() }), 'My read position'), ...problems(400, 401, 404) },
    }),
    async (c) => c.json(await messages.markRead(me(c), c.req.valid('param').conversationId, c.req.valid('json').order), 200),
  );
  return router;
}

/** `/v1/invites/{token}`: what a link leads to, and joining by it. */
export function inviteRoutes(options: MessagingRouteOptions): OpenAPIHono {
  const { invites, auth } = options;
  const router = createRouter();
  router.use(auth);
  router.openapi(
    createRoute({ method: 'get', path: '/{token}', tags, summary: 'What an invite link leads to', security: bearer, request: { params: TokenParams }, responses: { 200: jsonResponse(InvitePreviewSchema, 'The group'), ...problems(401, 404, 410) } }),
    async (c) => c.json(await invites.preview(c.get('caller').userId, c.req.valid('param').token), 200),
  );
  router.openapi(
    createRoute({ method: 'post', path: '/{token}/join', tags, summary: 'Join a group by its invite link', security: bearer, request: { params: TokenParams }, responses: { 200: jsonResponse(ConversationSchema, 'The group'), ...problems(401, 404, 409, 410) } }),
    async (c) => c.json(await invites.join(c.get('caller').userId, c.req.valid('param').token), 200),
  );
  return router;
}

/** `/v1/messages/search`. */
export function searchRoutes(options: MessagingRouteOptions & { database: { db: Parameters<typeof searchMessages>[0] } }): OpenAPIHono {
  const { messages, auth, database } = options;
  const router = createRouter();
  router.use(auth);
  router.openapi(
    createRoute({
      method: 'get',
      path: '/search',
      tags,
      summary: 'Search the history of my conversations, newest first',
      security: bearer,
      request: { query: SearchQuery },
      responses: { 200: jsonResponse(z.object({ messages: z.array(MessageSchema) }), 'Matches'), ...problems(400, 401) },
    }),
    async (c) => {
      const { q, conversationId, limit } = c.req.valid('query');
      const rows = await searchMessages(database.db, c.get('caller').userId, q, { conversationId, limit });
      return c.json({ messages: await messages.views(database.db, rows) }, 200);
    },
  );
  return router;
}

/** `/v1/sync`: the long poll for clients without a WebSocket. */
export function syncRoutes(options: MessagingRouteOptions): OpenAPIHono {
  const { sync, auth, stopping } = options;
  const router = createRouter();
  router.use(auth);
  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'Updates after my cursor (held up to `wait` ms when there are none), or a snapshot when far behind',
      security: bearer,
      request: { query: SyncQuery },
      responses: { 200: jsonResponse(SyncResultSchema, 'Updates or a snapshot'), ...problems(400, 401) },
    }),
    async (c) => {
      const { cursor, wait, limit } = c.req.valid('query');
      const signal = stopping ? AbortSignal.any([c.req.raw.signal, stopping]) : c.req.raw.signal;
      const userId = c.get('caller').userId;
      const waitMs = Math.min(wait, c.get('config').longPollMs);
      return c.json(await sync.wait(userId, cursor, waitMs, signal, limit), 200);
    },
  );
  return router;
}
