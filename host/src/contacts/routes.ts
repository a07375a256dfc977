/**
 * @module The contacts domain's HTTP edge: `/v1/contacts` (contacts, requests, blocks).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import { IdSchema, PersonSchema, plainText } from '../identity/api-schemas.ts';
import type { ContactsService } from './service.ts';

const bearer = [{ bearerAuth: [] }];

const ContactSchema = z.object({ person: PersonSchema, since: z.number().int() }).openapi('Contact');
const ContactRequestSchema = z
  .object({ id: z.string(), person: PersonSchema, message: z.string(), status: z.string(), createdAt: z.number().int() })
  .openapi('ContactRequest');
const MessageSchema = plainText({ min: 0, max: 200, multiline: true }).default('');
const NewRequestBody = z
  .union([
    z.strictObject({ handle: z.string().min(3).max(32).regex(/^[A-Za-z0-9_.]+$/), message: MessageSchema }),
    z.strictObject({ cardCode: z.string().min(4).max(64).regex(/^[0-9a-z]+$/), message: MessageSchema }),
  ])
  .openapi('NewContactRequest', { description: 'Exactly one of `handle` or `cardCode`' });
const UserParams = z.object({ userId: IdSchema.openapi({ param: { name: 'userId', in: 'path' } }) });
const RequestParams = z.object({ requestId: IdSchema.openapi({ param: { name: 'requestId', in: 'path' } }) });

/** `/v1/contacts` for the signed-in person. */
export function contactsRoutes(options: { contacts: ContactsService; auth: MiddlewareHandler }): OpenAPIHono {
  const { contacts, auth } = options;
  const router = createRouter();
  router.use(auth);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['contacts'],
      summary: 'My contacts',
      security: bearer,
      responses: { 200: jsonResponse(z.object({ contacts: z.array(ContactSchema) }), 'Contacts'), ...problems(401) },
    }),
    async (c) => c.json({ contacts: await contacts.list(c.get('caller').userId) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{userId}',
      tags: ['contacts'],
      summary: 'Remove a contact (both ways)',
      security: bearer,
      request: { params: UserParams },
      responses: { 204: { description: 'Removed' }, ...problems(401, 404) },
    }),
    async (c) => {
      await contacts.remove(c.get('caller').userId, c.req.valid('param').userId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/requests',
      tags: ['contacts'],
      summary: 'Pending requests to and from me',
      security: bearer,
      responses: {
        200: jsonResponse(z.object({ incoming: z.array(ContactRequestSchema), outgoing: z.array(ContactRequestSchema) }), 'Requests'),
        ...problems(401),
      },
    }),
    async (c) => c.json(await contacts.requests(c.get('caller').userId), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/requests',
      tags: ['contacts'],
      summary: 'Ask someone to be my contact (accepts theirs if they already asked me)',
      security: bearer,
      request: { body: jsonBody(NewRequestBody) },
      responses: {
        201: jsonResponse(ContactRequestSchema, 'Request sent'),
        200: jsonResponse(z.object({ contact: ContactSchema }), 'They had asked me: now contacts'),
        ...problems(400, 401, 403, 404, 409, 429),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const target = 'handle' in body ? { handle: body.handle } : { cardCode: body.cardCode };
      const result = await contacts.request(c.get('caller').userId, target, body.message);
      return 'contact' in result ? c.json({ contact: result.contact }, 200) : c.json(result.request, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/requests/{requestId}/accept',
      tags: ['contacts'],
      summary: 'Accept a request sent to me',
      security: bearer,
      request: { params: RequestParams },
      responses: { 200: jsonResponse(ContactSchema, 'Now contacts'), ...problems(401, 403, 404, 409) },
    }),
    async (c) => c.json(await contacts.accept(c.get('caller').userId, c.req.valid('param').requestId), 200),
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/requests/{requestId}/decline',
      tags: ['contacts'],
      summary: 'Decline a request sent to me',
      security: bearer,
      request: { params: RequestParams },
      responses: { 204: { description: 'Declined' }, ...problems(401, 404, 409) },
    }),
    async (c) => {
      await contacts.decline(c.get('caller').userId, c.req.valid('param').requestId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/requests/{requestId}',
      tags: ['contacts'],
      summary: 'Withdraw a request I sent',
      security: bearer,
      request: { params: RequestParams },
      responses: { 204: { description: 'Withdrawn' }, ...problems(401, 404, 409) },
    }),
    async (c) => {
      await contacts.cancel(c.get('caller').userId, c.req.valid('param').requestId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/blocks',
      tags: ['contacts'],
      summary: 'People I block',
      security: bearer,
      responses: { 200: jsonResponse(z.object({ blocks: z.array(ContactSchema) }), 'Blocked people'), ...problems(401) },
    }),
    async (c) => c.json({ blocks: await contacts.blocks(c.get('caller').userId) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'put',
      path: '/blocks/{userId}',
      tags: ['contacts'],
      summary: 'Block someone (removes the contact and pending requests)',
      security: bearer,
      request: { params: UserParams },
      responses: { 204: { description: 'Blocked' }, ...problems(400, 401, 404) },
    }),
    async (c) => {
      await contacts.block(c.get('caller').userId, c.req.valid('param').userId);
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/blocks/{userId}',
      tags: ['contacts'],
      summary: 'Unblock someone',
      security: bearer,
      request: { params: UserParams },
      responses: { 204: { description: 'Unblocked' }, ...problems(401, 404) },
    }),
    async (c) => {
      await contacts.unblock(c.get('caller').userId, c.req.valid('param').userId);
      return c.body(null, 204);
    },
  );

  return router;
}
