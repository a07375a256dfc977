/**
 * @module The developer platform's HTTP edge at `/v1/developer`: developer mode, API tokens, the CLI's device
 * sign-in, apps, members and testers, versions and their package uploads, review, release and rollback,
 * previews, launch scenes and the audit trail. Callers are people (access token) or developer API tokens
 * (`atk_…`, scoped).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { bearerToken } from '../http/middleware/auth.ts';
import { clientAddress } from '../http/middleware/request-context.ts';
import { assertUnderLimit, type RateLimiter } from '../http/rate-limiter.ts';
import { createRouter, jsonBody, jsonResponse, problems } from '../http/router.ts';
import type { Caller } from '../identity/service.ts';
import { AppIdSchema } from '../apps/routes.ts';
import { TOKEN_SCOPES, type Actor, type TokenScope } from './actor.ts';
import type { DeveloperPlatform } from './index.ts';
import { APP_ROLES, NEEDS } from './members.ts';
import { isDeveloperToken } from './tokens.ts';

const bearer = [{ bearerAuth: [] }];

/** What the routes need. */
export interface DeveloperRoutesOptions {
  developer: DeveloperPlatform;
  /** Verifies a person's access token. */
  authenticatePerson: (token: string) => Promise<Caller>;
  limiter: RateLimiter;
  clock: Clock;
  /** Hands an uploaded package to the checker (devtools' readPackage). */
  readPackage: (bytes: Uint8Array) => { manifest: unknown; bundle: string } | Promise<{ manifest: unknown; bundle: string }>;
  /** Largest package accepted. @default 30 MiB */
  maxPackageBytes?: number;
}

declare module 'hono' {
  interface ContextVariableMap {
    developerActor: Actor & { userId: string; scopes: ReadonlySet<TokenScope> };
  }
}

const AppParams = z.object({ appId: AppIdSchema.openapi({ param: { name: 'appId', in: 'path' } }) });
const VersionParams = AppParams.extend({ versionCode: z.coerce.number().int().min(1).max(2_147_483_647).openapi({ param: { name: 'versionCode', in: 'path' } }) });
const HandleParams = AppParams.extend({ handle: z.string().min(2).max(32).regex(/^[A-Za-z0-9_]+$/).openapi({ param: { name: 'handle', in: 'path' } }) });
const TokenParams = z.object({ tokenId: z.string().regex(/^tok_[0-9a-z]{16}$/).openapi({ param: { name: 'tokenId', in: 'path' } }) });
const UserCodeParams = z.object({ userCode: z.string().min(8).max(9).regex(/^[A-Za-z]{4}-?[A-Za-z]{4}$/).openapi({ param: { name: 'userCode', in: 'path' } }) });
const HttpsUrl = z.url({ protocol: /^https$/ }).max(2048);
const Query = z.record(z.string().max(64), z.string().max(512)).refine((q) => Object.keys(q).length <= 16, 'At most 16 query parameters');
const PagePath = z.string().min(1).max(128).regex(/^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/, 'A page path such as pages/index');

const DeveloperSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.number().int() }).openapi('Developer');
const AppInfoSchema = z
  .object({ id: z.string(), name: z.string(), description: z.string(), iconUrl: z.string().nullable(), webhookUrl: z.string().nullable(), developerId: z.string(), role: z.enum(APP_ROLES).nullable(), createdAt: z.number().int() })
  .openapi('DeveloperApp');
const TokenInfoSchema = z
  .object({ id: z.string(), name: z.string(), scopes: z.array(z.enum(TOKEN_SCOPES)), createdAt: z.number().int(), expiresAt: z.number().int(), revokedAt: z.number().int().nullable(), lastUsedAt: z.number().int().nullable() })
  .openapi('DeveloperToken');
const VersionSchema = z
  .object({
    versionCode: z.number().int(),
    versionName: z.string(),
    status: z.string(),
    packageSha256: z.string().nullable(),
    packageBytes: z.number().int().nullable(),
    packageSignature: z.string().nullable(),
    uploadedBy: z.string().nullable(),
    createdAt: z.number().int(),
    submittedAt: z.number().int().nullable(),
    reviewedAt: z.number().int().nullable(),
    reviewNote: z.string().nullable(),
  })
  .openapi('AppVersion');
const ReviewItemSchema = VersionSchema.extend({
  appId: z.string(),
  appName: z.string(),
  submitter: z.object({ handle: z.string(), displayName: z.string() }).nullable(),
  permissions: z.array(z.object({ name: z.string(), reason: z.string() })),
  networkDomains: z.array(z.string()),
  pages: z.number().int(),
  subpackages: z.array(z.object({ name: z.string(), pages: z.number().int() })),
}).openapi('ReviewItem');
const ReleaseSchema = z
  .object({
    stableVersion: z.number().int().nullable(),
    rollout: z.object({ versionCode: z.number().int(), percent: z.number().int(), paused: z.boolean() }).nullable(),
    rollbackTargets: z.array(z.number().int()),
  })
  .openapi('ReleaseState');
const MemberSchema = z.object({ userId: z.string(), handle: z.string(), displayName: z.string(), role: z.enum(APP_ROLES), addedAt: z.number().int() }).openapi('AppMember');
const AuditSchema = z
  .object({ id: z.string(), appId: z.string().nullable(), actorId: z.string().nullable(), tokenId: z.string().nullable(), action: z.string(), detail: z.record(z.string(), z.unknown()), at: z.number().int() })
  .openapi('AuditEntry');
const Ok = z.object({ ok: z.literal(true) });

/**
 * Authenticates a person or a developer token, and requires `scope` of a token (people have every scope).
 * @example router.use('/apps/*', developerAuth('apps:read'))
 */
function developerAuth(options: DeveloperRoutesOptions, scope: TokenScope | 'person'): MiddlewareHandler {
  return async function developerAuthMiddleware(c, next) {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) throw new AtriumError({ code: 'UNAUTHENTICATED', detail: 'Send an access token or a developer token: Authorization: Bearer <token>.', headers: { 'WWW-Authenticate': 'Bearer realm="atrium"' } });
    if (isDeveloperToken(token)) {
      if (scope === 'person') throw new AtriumError({ code: 'TOKEN_SCOPE_MISSING', detail: 'Only a signed-in person can do this, not an API token.' });
      const caller = await options.developer.tokens.verify(token);
      if (!caller.scopes.has(scope)) throw new AtriumError({ code: 'TOKEN_SCOPE_MISSING', detail: `This needs the ${scope} scope.` });
      c.set('developerActor', { userId: caller.userId, tokenId: caller.tokenId, scopes: caller.scopes });
    } else {
      const person = await options.authenticatePerson(token);
      c.set('developerActor', { userId: person.userId, scopes: new Set(TOKEN_SCOPES) });
    }
    await next();
  };
}

const actor = (c: Context): Actor & { userId: string } => c.get('developerActor');

/** The `/v1/developer` routes. */
export function developerRoutes(options: DeveloperRoutesOptions): OpenAPIHono {
  const { developer: d } = options;
  const router = createRouter();
  const maxPackageBytes = options.maxPackageBytes ?? 30 * 1024 * 1024;
  const auth = (scope: TokenScope | 'person') => ({ middleware: developerAuth(options, scope) });

  // Developer mode
  router.openapi(
    createRoute({ method: 'get', path: '/', tags: ['developer'], summary: 'My developer account (404 until developer mode is on)', security: bearer, ...auth('apps:read'), responses: { 200: jsonResponse(DeveloperSchema, 'The account'), ...problems(401, 404) } }),
    async (c) => {
      const account = await d.apps.developerOf(actor(c).userId);
      if (!account) throw new AtriumError({ code: 'NOT_FOUND', detail: 'Developer mode is off: POST /v1/developer turns it on.' });
      return c.json(account, 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      tags: ['developer'],
      summary: 'Turn developer mode on (idempotent)',
      security: bearer,
      ...auth('person'),
      request: { body: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(64) })) },
      responses: { 200: jsonResponse(DeveloperSchema, 'The account'), ...problems(400, 401) },
    }),
    async (c) => c.json(await d.apps.enable(actor(c).userId, c.req.valid('json').name), 200),
  );

  // API tokens
  router.openapi(
    createRoute({ method: 'get', path: '/tokens', tags: ['developer'], summary: 'My developer API tokens', security: bearer, ...auth('person'), responses: { 200: jsonResponse(z.object({ tokens: z.array(TokenInfoSchema) }), 'Tokens'), ...problems(401) } }),
    async (c) => c.json({ tokens: await d.tokens.list(actor(c).userId) }, 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/tokens',
      tags: ['developer'],
      summary: 'Mint an API token (shown once)',
      security: bearer,
      ...auth('person'),
      request: { body: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(64), scopes: z.array(z.enum(TOKEN_SCOPES)).min(1).max(TOKEN_SCOPES.length).optional(), ttlDays: z.number().int().min(1).max(90).optional() })) },
      responses: { 201: jsonResponse(z.object({ token: z.string(), info: TokenInfoSchema }), 'The token, shown this once'), ...problems(400, 401) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await d.tokens.issue(actor(c).userId, { name: body.name, ...(body.scopes ? { scopes: body.scopes } : {}), ...(body.ttlDays ? { ttlMs: body.ttlDays * 86_400_000 } : {}) }), 201);
    },
  );
  router.openapi(
    createRoute({ method: 'delete', path: '/tokens/{tokenId}', tags: ['developer'], summary: 'Revoke an API token', security: bearer, ...auth('person'), request: { params: TokenParams }, responses: { 204: { description: 'Revoked' }, ...problems(401, 404) } }),
    async (c) => {
      await d.tokens.revoke(actor(c).userId, c.req.valid('param').tokenId);
      return c.body(null, 204);
    },
  );

  // The CLI's sign-in (RFC 8628)
  router.openapi(
    createRoute({
      method: 'post',
      path: '/device-authorizations',
      tags: ['developer'],
      summary: 'Start a CLI sign-in (RFC 8628 device authorization)',
      request: { body: jsonBody(z.strictObject({ clientName: z.string().trim().min(1).max(80) })) },
      responses: {
        200: jsonResponse(z.object({ device_code: z.string(), user_code: z.string(), verification_uri: z.string(), verification_uri_complete: z.string(), expires_in: z.number().int(), interval: z.number().int() }), 'Show the code and URL'),
        ...problems(400, 429),
      },
    }),
    async (c) => {
      const key = `device-auth:${clientAddress(c)}`;
      assertUnderLimit(options.limiter, options.clock, key, 30);
      options.limiter.hit(key, 15 * 60_000);
      return c.json(await d.deviceAuth.start(c.req.valid('json').clientName), 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/device-authorizations/token',
      tags: ['developer'],
      summary: 'Poll for the token (AUTHORIZATION_PENDING, SLOW_DOWN, DEVICE_CODE_EXPIRED, DEVICE_ACCESS_DENIED until then)',
      request: { body: jsonBody(z.strictObject({ device_code: z.string().min(10).max(100) })) },
      responses: { 200: jsonResponse(z.object({ token: z.string(), info: TokenInfoSchema }), 'The developer token'), ...problems(400) },
    }),
    async (c) => c.json(await d.deviceAuth.poll(c.req.valid('json').device_code), 200),
  );
  router.openapi(
    createRoute({
      method: 'get',
      path: '/device-authorizations/{userCode}',
      tags: ['developer'],
      summary: 'Which client asks to sign in with this code',
      security: bearer,
      ...auth('person'),
      request: { params: UserCodeParams },
      responses: { 200: jsonResponse(z.object({ userCode: z.string(), clientName: z.string(), expiresAt: z.number().int() }), 'The pending sign-in'), ...problems(401, 404) },
    }),
    async (c) => c.json(await d.deviceAuth.describe(c.req.valid('param').userCode), 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/device-authorizations/{userCode}/decision',
      tags: ['developer'],
      summary: 'Allow or decline a CLI sign-in',
      security: bearer,
      ...auth('person'),
      request: { params: UserCodeParams, body: jsonBody(z.strictObject({ allow: z.boolean() })) },
      responses: { 200: jsonResponse(Ok, 'Decided'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      await d.deviceAuth.decide(actor(c).userId, c.req.valid('param').userCode, c.req.valid('json').allow);
      return c.json({ ok: true as const }, 200);
    },
  );

  // Apps
  const AppSettings = z.strictObject({ name: z.string().trim().min(1).max(64).optional(), description: z.string().max(500).optional(), iconUrl: HttpsUrl.nullable().optional(), webhookUrl: HttpsUrl.nullable().optional() });
  router.openapi(
    createRoute({ method: 'get', path: '/apps', tags: ['developer'], summary: 'Apps I am a member of', security: bearer, ...auth('apps:read'), responses: { 200: jsonResponse(z.object({ apps: z.array(AppInfoSchema) }), 'Apps'), ...problems(401) } }),
    async (c) => c.json({ apps: await d.apps.list(actor(c).userId) }, 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/apps',
      tags: ['developer'],
      summary: 'Create an app (its secret is shown once)',
      security: bearer,
      ...auth('apps:write'),
      request: { body: jsonBody(AppSettings.extend({ appId: AppIdSchema })) },
      responses: { 201: jsonResponse(z.object({ app: AppInfoSchema, secret: z.string() }), 'The app and its secret'), ...problems(400, 401, 403, 409) },
    }),
    async (c) => c.json(await d.apps.create(actor(c), c.req.valid('json')), 201),
  );
  router.openapi(
    createRoute({ method: 'get', path: '/apps/{appId}', tags: ['developer'], summary: 'An app', security: bearer, ...auth('apps:read'), request: { params: AppParams }, responses: { 200: jsonResponse(AppInfoSchema, 'The app'), ...problems(401, 404) } }),
    async (c) => c.json(await d.apps.get(actor(c), c.req.valid('param').appId), 200),
  );
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/apps/{appId}',
      tags: ['developer'],
      summary: "Change an app's name, description, icon or webhook",
      security: bearer,
      ...auth('apps:write'),
      request: { params: AppParams, body: jsonBody(AppSettings) },
      responses: { 200: jsonResponse(AppInfoSchema, 'The app'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => c.json(await d.apps.update(actor(c), c.req.valid('param').appId, c.req.valid('json')), 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/apps/{appId}/secret',
      tags: ['developer'],
      summary: "Rotate the app secret (the old one stops working at once; the new one is shown once)",
      security: bearer,
      ...auth('apps:write'),
      request: { params: AppParams },
      responses: { 200: jsonResponse(z.object({ secret: z.string() }), 'The new secret'), ...problems(401, 403, 404) },
    }),
    async (c) => c.json({ secret: await d.apps.rotateSecret(actor(c), c.req.valid('param').appId) }, 200),
  );
  router.openapi(
    createRoute({ method: 'get', path: '/apps/{appId}/members', tags: ['developer'], summary: 'Members and testers', security: bearer, ...auth('apps:read'), request: { params: AppParams }, responses: { 200: jsonResponse(z.object({ members: z.array(MemberSchema) }), 'Members'), ...problems(401, 404) } }),
    async (c) => c.json({ members: await d.members.list(actor(c), c.req.valid('param').appId) }, 200),
  );
  router.openapi(
    createRoute({
      method: 'put',
      path: '/apps/{appId}/members/{handle}',
      tags: ['developer'],
      summary: 'Add a member or tester, or change their role',
      security: bearer,
      ...auth('apps:write'),
      request: { params: HandleParams, body: jsonBody(z.strictObject({ role: z.enum(['admin', 'developer', 'tester']) })) },
      responses: { 200: jsonResponse(MemberSchema, 'The member'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { appId, handle } = c.req.valid('param');
      return c.json(await d.members.set(actor(c), appId, handle, c.req.valid('json').role), 200);
    },
  );
  router.openapi(
    createRoute({ method: 'delete', path: '/apps/{appId}/members/{handle}', tags: ['developer'], summary: 'Remove a member or tester', security: bearer, ...auth('apps:write'), request: { params: HandleParams }, responses: { 204: { description: 'Removed' }, ...problems(401, 403, 404, 409) } }),
    async (c) => {
      const { appId, handle } = c.req.valid('param');
      await d.members.remove(actor(c), appId, handle);
      return c.body(null, 204);
    },
  );
  router.openapi(
    createRoute({
      method: 'get',
      path: '/apps/{appId}/audit',
      tags: ['developer'],
      summary: 'Everything done to the app, newest first',
      security: bearer,
      ...auth('apps:read'),
      request: { params: AppParams, query: z.object({ limit: z.coerce.number().int().min(1).max(200).optional(), cursor: z.string().max(20).optional() }) },
      responses: { 200: jsonResponse(z.object({ entries: z.array(AuditSchema), nextCursor: z.string().nullable() }), 'Entries'), ...problems(400, 401, 404) },
    }),
    async (c) => {
      const { appId } = c.req.valid('param');
      await d.members.require(appId, actor(c), ['owner', 'admin', 'developer']);
      return c.json(await d.audit.list(appId, c.req.valid('query')), 200);
    },
  );

  // Versions and review
  router.openapi(
    createRoute({ method: 'get', path: '/apps/{appId}/versions', tags: ['developer'], summary: 'Versions, newest first', security: bearer, ...auth('apps:read'), request: { params: AppParams }, responses: { 200: jsonResponse(z.object({ versions: z.array(VersionSchema) }), 'Versions'), ...problems(401, 404) } }),
    async (c) => c.json({ versions: await d.versions.list(actor(c), c.req.valid('param').appId) }, 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/apps/{appId}/versions',
      tags: ['developer'],
      summary: 'Upload a package (application/zip: manifest.json, app.js, assets/) as a new version',
      security: bearer,
      ...auth('versions:write'),
      request: { params: AppParams, body: { required: true, content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } } } },
      responses: { 201: jsonResponse(VersionSchema, 'The version, in the develop channel'), ...problems(400, 401, 403, 404, 409, 413, 415) },
    }),
    async (c) => {
      const { appId } = c.req.valid('param');
      await d.members.require(appId, actor(c), NEEDS.upload); // before reading up to 30 MB
      const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/zip' && type !== 'application/miniapp-pkg+zip') throw new AtriumError({ code: 'UNSUPPORTED_MEDIA_TYPE', detail: 'Send the package as application/zip.' });
      const declared = Number(c.req.header('content-length') ?? 0);
      if (declared > maxPackageBytes) throw new AtriumError({ code: 'PACKAGE_TOO_LARGE', detail: `Packages are limited to ${maxPackageBytes} bytes.` });
      const bytes = Buffer.from(await c.req.arrayBuffer());
      if (bytes.length > maxPackageBytes) throw new AtriumError({ code: 'PACKAGE_TOO_LARGE', detail: `Packages are limited to ${maxPackageBytes} bytes.` });
      const checked = await options.readPackage(bytes);
      return c.json(await d.versions.upload(actor(c), appId, { manifest: checked.manifest as never, bundle: checked.bundle, bytes }), 201);
    },
  );
  const versionAction = (path: string, summary: string, scope: TokenScope, run: (a: Actor, appId: string, code: number, body: Record<string, string>) => Promise<unknown>, body?: z.ZodObject) =>
    router.openapi(
      createRoute({
        method: 'post',
        path,
        tags: ['developer'],
        summary,
        security: bearer,
        ...auth(scope),
        request: { params: VersionParams, ...(body ? { body: jsonBody(body) } : {}) },
        responses: { 200: jsonResponse(VersionSchema, 'The version'), ...problems(400, 401, 403, 404, 409) },
      }),
      async (c) => {
        const { appId, versionCode } = c.req.valid('param');
        const payload = body ? ((await c.req.json()) as Record<string, string>) : {};
        return c.json((await run(actor(c), appId, versionCode, payload)) as z.infer<typeof VersionSchema>, 200);
      },
    );
  versionAction('/apps/{appId}/versions/{versionCode}/submit', 'Submit an uploaded version for review', 'versions:write', (a, appId, code) => d.versions.submit(a, appId, code));
  versionAction('/apps/{appId}/versions/{versionCode}/approve', 'Approve a submitted version (platform reviewers)', 'review', (a, appId, code, b) => d.versions.approve(a, appId, code, b.note), z.strictObject({ note: z.string().max(2000).optional() }));
  versionAction('/apps/{appId}/versions/{versionCode}/reject', 'Reject a submitted version with reasons (platform reviewers)', 'review', (a, appId, code, b) => d.versions.reject(a, appId, code, b.reason!), z.strictObject({ reason: z.string().trim().min(1).max(2000) }));
  router.openapi(
    createRoute({
      method: 'post',
      path: '/apps/{appId}/versions/{versionCode}/preview',
      tags: ['developer'],
      summary: 'A preview link (24 h; members and testers only)',
      security: bearer,
      ...auth('versions:write'),
      request: { params: VersionParams },
      responses: { 201: jsonResponse(z.object({ token: z.string(), url: z.string(), expiresAt: z.number().int() }), 'The link'), ...problems(401, 403, 404) },
    }),
    async (c) => {
      const { appId, versionCode } = c.req.valid('param');
      return c.json(await d.previews.create(actor(c), appId, versionCode), 201);
    },
  );
  router.openapi(
    createRoute({ method: 'get', path: '/review', tags: ['developer'], summary: 'Versions waiting for review (platform reviewers)', security: bearer, ...auth('review'), responses: { 200: jsonResponse(z.object({ versions: z.array(ReviewItemSchema) }), 'Queue'), ...problems(401, 403) } }),
    async (c) => c.json({ versions: await d.versions.pending(actor(c)) }, 200),
  );

  // Release
  router.openapi(
    createRoute({ method: 'get', path: '/apps/{appId}/release', tags: ['developer'], summary: 'What people get: stable version, rollout, rollback targets', security: bearer, ...auth('apps:read'), request: { params: AppParams }, responses: { 200: jsonResponse(ReleaseSchema, 'Release state'), ...problems(401, 404) } }),
    async (c) => c.json(await d.releases.state(actor(c), c.req.valid('param').appId), 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/apps/{appId}/release',
      tags: ['developer'],
      summary: 'Release an approved version to a percentage of people (100: everybody)',
      security: bearer,
      ...auth('releases:write'),
      request: { params: AppParams, body: jsonBody(z.strictObject({ versionCode: z.number().int().min(1), percent: z.number().int().min(1).max(100) })) },
      responses: { 200: jsonResponse(ReleaseSchema, 'Release state'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { versionCode, percent } = c.req.valid('json');
      return c.json(await d.releases.release(actor(c), c.req.valid('param').appId, versionCode, percent), 200);
    },
  );
  router.openapi(
    createRoute({
      method: 'patch',
      path: '/apps/{appId}/release',
      tags: ['developer'],
      summary: 'Change the rollout: percent, paused',
      security: bearer,
      ...auth('releases:write'),
      request: { params: AppParams, body: jsonBody(z.strictObject({ percent: z.number().int().min(1).max(100).optional(), paused: z.boolean().optional() })) },
      responses: { 200: jsonResponse(ReleaseSchema, 'Release state'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => {
      const { appId } = c.req.valid('param');
      const body = c.req.valid('json');
      let state = await d.releases.state(actor(c), appId);
      if (body.paused !== undefined) state = body.paused ? await d.releases.pause(actor(c), appId) : await d.releases.resume(actor(c), appId);
      if (body.percent !== undefined) state = await d.releases.setPercent(actor(c), appId, body.percent);
      return c.json(state, 200);
    },
  );
  router.openapi(
    createRoute({ method: 'post', path: '/apps/{appId}/release/complete', tags: ['developer'], summary: 'Complete the rollout: everybody gets its version', security: bearer, ...auth('releases:write'), request: { params: AppParams }, responses: { 200: jsonResponse(ReleaseSchema, 'Release state'), ...problems(401, 403, 404, 409) } }),
    async (c) => c.json(await d.releases.complete(actor(c), c.req.valid('param').appId), 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/apps/{appId}/rollback',
      tags: ['developer'],
      summary: 'Make one of the last five released versions stable again',
      security: bearer,
      ...auth('releases:write'),
      request: { params: AppParams, body: jsonBody(z.strictObject({ versionCode: z.number().int().min(1) })) },
      responses: { 200: jsonResponse(ReleaseSchema, 'Release state'), ...problems(400, 401, 403, 404, 409) },
    }),
    async (c) => c.json(await d.releases.rollback(actor(c), c.req.valid('param').appId, c.req.valid('json').versionCode), 200),
  );
  router.openapi(
    createRoute({
      method: 'post',
      path: '/apps/{appId}/scenes',
      tags: ['developer'],
      summary: 'A launch QR scene: a short token (≤ 32 characters) for a page and query',
      security: bearer,
      ...auth('apps:write'),
      request: { params: AppParams, body: jsonBody(z.strictObject({ page: PagePath, query: Query.optional() })) },
      responses: { 201: jsonResponse(z.object({ scene: z.string(), url: z.string() }), 'The scene'), ...problems(400, 401, 403, 404) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      return c.json(await d.previews.createScene(actor(c), c.req.valid('param').appId, body.page, body.query ?? {}), 201);
    },
  );
  return router;
}
