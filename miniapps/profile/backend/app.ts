/**
 * @module The profile sample's own backend — what a mini-app developer runs on their server. It exchanges
 * the login code from `atrium.login()` for the person's openid (with its app secret, which never reaches the
 * app), keeps its own sessions, and verifies signed launch contexts with Atrium's published keys alone.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** Options of {@link createProfileBackend}. */
export interface ProfileBackendOptions {
  /** Where Atrium is, e.g. `http://127.0.0.1:8080`. */
  atriumUrl: string;
  appId: string;
  /** The app secret shown once when the app was registered. */
  appSecret: string;
  /** Signs this backend's own session tokens. @default random per process */
  sessionSecret?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default the JWKS at `${atriumUrl}/.well-known/jwks.json` */
  keys?: JWTVerifyGetKey;
  /** @default Date.now */
  now?: () => number;
}

interface BackendSession {
  openid: string;
  unionid: string;
  since: number;
}

/**
 * The backend as a hono app: `POST /session {code}`, `GET /me` (Bearer session), `POST /verify-launch {token}`.
 * @example serve({ fetch: createProfileBackend({ atriumUrl, appId, appSecret }).fetch, port: 3000 });
 */
export function createProfileBackend(options: ProfileBackendOptions): Hono {
  const doFetch = options.fetch ?? fetch;
  const sessionSecret = options.sessionSecret ?? randomBytes(32).toString('base64url');
  const keys = options.keys ?? createRemoteJWKSet(new URL('/.well-known/jwks.json', options.atriumUrl));
  const now = options.now ?? Date.now;
  const sessions = new Map<string, BackendSession>();
  const app = new Hono();

  const sign = (id: string): string => `${id}.${createHmac('sha256', sessionSecret).update(id).digest('base64url')}`;
  const verify = (token: string | undefined): BackendSession | undefined => {
    const [id, mac] = (token ?? '').split('.');
    if (!id || !mac) return undefined;
    const expected = Buffer.from(sign(id).split('.')[1] ?? '');
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given) ? sessions.get(id) : undefined;
  };

  app.post('/session', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { code?: unknown } | null;
    if (typeof body?.code !== 'string' || body.code.length > 128) return c.json({ error: 'send {"code": "…"} from atrium.login()' }, 400);
    const res = await doFetch(new URL('/v1/miniapp/code2session', options.atriumUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId: options.appId, secret: options.appSecret, code: body.code }),
    });
    if (!res.ok) {
      const problem = (await res.json().catch(() => ({}))) as { code?: string };
      return c.json({ error: problem.code ?? 'LOGIN_FAILED' }, 401);
    }
    const ids = (await res.json()) as { openid: string; unionid: string };
    const id = randomBytes(16).toString('base64url');
    sessions.set(id, { openid: ids.openid, unionid: ids.unionid, since: now() });
    return c.json({ session: sign(id), openid: ids.openid });
  });

  app.get('/me', (c) => {
    const session = verify(c.req.header('authorization')?.replace(/^Bearer /, ''));
    if (!session) return c.json({ error: 'sign in through /session first' }, 401);
    return c.json({ openid: session.openid, unionid: session.unionid, since: session.since });
  });

  app.post('/verify-launch', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { token?: unknown } | null;
    if (typeof body?.token !== 'string') return c.json({ error: 'send {"token": "…"}' }, 400);
    try {
      const { payload } = await jwtVerify(body.token, keys, { audience: options.appId, issuer: options.atriumUrl, typ: 'atrium-launch+jwt', maxTokenAge: '5m', currentDate: new Date(now()) });
      return c.json({ valid: true, openid: payload.sub, path: payload.path, query: payload.query });
    } catch (error) {
      return c.json({ valid: false, reason: error instanceof Error ? error.message : 'invalid' }, 400);
    }
  });

  return app;
}

/** The name the development host serves this backend under (see host/src/apps/dev-loader.ts). */
export const createBackend = createProfileBackend;
