/**
 * @module The mini-app domain's HTTP edge: a person's view of the apps they use (permissions, access log)
 * at `/v1/apps`, and the app backends' code exchange at `/v1/miniapp/code2session`.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { assertUnderLimit, type RateLimiter } from '../http/rate-limiter.ts';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import type { AccessLog } from './access-log.ts';
import type { ConsentService } from './consent.ts';
import type { LaunchContexts } from './launch-context.ts';
import type { AppIdentities } from './identities.ts';
import type { AppRegistry } from './registry.ts';

const bearer = [{ bearerAuth: [] }];

/** A manifest `app_id`: reverse-domain style, e.g. `dev.atrium.todo`. */
export const AppIdSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'Reverse-domain style, e.g. dev.atrium.todo')
  .openapi({ example: 'dev.atrium.todo' });
const ScopeSchema = z.string().min(1).max(64).regex(/^[a-zA-Z][a-zA-Z0-9_.]*$/);
const AppParams = z.object({ appId: AppIdSchema.openapi({ param: { name: 'appId', in: 'path' } }) });
const GrantParams = AppParams.extend({ scope: ScopeSchema.openapi({ param: { name: 'scope', in: 'path' } }) });

const AppSummarySchema = z.object({ id: z.string(), name: z.string(), developer: z.string() }).openapi('AppSummary');
const GrantSchema = z.object({ scope: z.string(), state: z.enum(['allow', 'deny']), updatedAt: z.number().int() }).openapi('Grant');
const AccessEntrySchema = z
  .object({ id: z.string(), api: z.string(), outcome: z.enum(['allowed', 'denied', 'failed']), detail: z.string(), at: z.number().int() })
  .openapi('AccessEntry');
const LaunchContextBody = z
  .strictObject({
    path: z.string().min(1).max(256).regex(/^[A-Za-z0-9_\-/]+$/, 'A page path such as pages/index'),
    query: z.record(z.string().max(64), z.string().max(1024)).refine((q) => Object.keys(q).length <= 32, 'At most 32 query parameters'),
  })
  .openapi('LaunchContextRequest');
const AccessQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** The previous page's `nextCursor`. */
  cursor: z.string().max(128).optional(),
});

/** What the routes need. */
export interface AppsRoutesOptions {
  registry: AppRegistry;
  identities: AppIdentities;
  consent: ConsentService;
  accessLog: AccessLog;
  launchContexts: LaunchContexts;
  auth: MiddlewareHandler;
  limiter: RateLimiter;
  clock: Clock;
}

/** `/v1/apps`: the apps I use, what I allowed them, what they touched. */
export function appsRoutes(options: AppsRoutesOptions): OpenAPIHono {
  const { registry, consent, accessLog, launchContexts, auth } = options;
  const router = createRouter();
  router.use(auth);

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      tags: ['apps'],
      summary: 'Mini-apps I have used',
      security: bearer,
      responses: { 200: jsonResponse(z.object({ apps: z.array(AppSummarySchema) }), 'Apps'), ...problems(401) },
    }),
    async (c) => c.json({ apps: await registry.usedBy(c.get('caller').userId) }, 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{appId}/permissions',
      tags: ['apps'],
      summary: 'What I allowed or denied this app',
      security: bearer,
      request: { params: AppParams },
      responses: { 200: jsonResponse(z.object({ grants: z.array(GrantSchema) }), 'Grants'), ...problems(401, 404) },
    }),
    async (c) => {
      const { appId } = c.req.valid('param');
      await registry.get(appId);
      return c.json({ grants: await consent.list(c.get('caller').userId, appId) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'delete',
      path: '/{appId}/permissions/{scope}',
      tags: ['apps'],
      summary: 'Revoke a permission: the app must ask again',
      security: bearer,
      request: { params: GrantParams },
      responses: { 204: { description: 'Revoked' }, ...problems(401, 404) },
    }),
    async (c) => {
      const { appId, scope } = c.req.valid('param');
      if (!(await consent.revoke(c.get('caller').userId, appId, scope))) {
        throw new AtriumError({ code: 'NOT_FOUND', detail: `You have not answered "${scope}" for this app.` });
      }
      return c.body(null, 204);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{appId}/access-log',
      tags: ['apps'],
      summary: 'What this app touched: profile, network, storage, login, scan (newest first)',
      security: bearer,
      request: { params: AppParams, query: AccessQuery },
      responses: { 200: jsonResponse(z.object({ entries: z.array(AccessEntrySchema), nextCursor: z.string().nullable() }), 'Entries, and the cursor of the next page (null on the last)'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { appId } = c.req.valid('param');
      await registry.get(appId);
      return c.json(await accessLog.list(c.get('caller').userId, appId, c.req.valid('query')), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{appId}/launch-context',
      tags: ['apps'],
      summary: "Sign this launch's parameters for the app's web backend (Ed25519 JWS, 5 minutes; verify with /.well-known/jwks.json)",
      security: bearer,
      request: { params: AppParams, body: jsonBody(LaunchContextBody) },
      responses: { 200: jsonResponse(z.object({ token: z.string(), expiresAt: z.number().int() }), 'Signed context'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { appId } = c.req.valid('param');
      return c.json(await launchContexts.sign(c.get('caller').userId, appId, c.req.valid('json')), 200);
    },
  );

  return router;
}

const ExchangeBody = z
  .strictObject({ appId: AppIdSchema, secret: z.string().min(1).max(128), code: z.string().min(1).max(128) })
  .openapi('Code2Session');
const ExchangeResult = z
  .object({ openid: z.string(), unionid: z.string(), sessionKey: z.string() })
  .openapi('Code2SessionResult', { description: 'Keep `sessionKey` on your server; it verifies signed user data.' });

/** `/v1/miniapp`: endpoints for mini-app backends (authenticated by the app secret). */
export function miniappBackendRoutes(options: Pick<AppsRoutesOptions, 'identities' | 'limiter' | 'clock'>): OpenAPIHono {
  const { identities, limiter, clock } = options;
  const router = createRouter();
  router.openapi(
    createRoute({
      method: 'post',
      path: '/code2session',
      tags: ['mini-app backends'],
      summary: "Exchange a login code from atrium.login() for the person's openid, unionid and a session key",
      request: { body: jsonBody(ExchangeBody) },
      responses: { 200: jsonResponse(ExchangeResult, 'Ids'), ...problems(400, 401, 429) },
    }),
    async (c) => {
      const { appId, secret, code } = c.req.valid('json');
      const key = `code2session:${appId}`;
      assertUnderLimit(limiter, clock, key, 600);
      limiter.hit(key, 60_000);
      return c.json(await identities.exchange(appId, secret, code), 200);
    },
  );
  return router;
}
