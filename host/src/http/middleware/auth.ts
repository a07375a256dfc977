/**
 * @module Bearer-token authentication: sets `c.get('caller')` or answers 401 problem+json.
 */
import type { MiddlewareHandler } from 'hono';
import { AtriumError } from '../../core/errors.ts';
import type { Caller } from '../../identity/service.ts';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/** Pulls the token out of an `Authorization: Bearer …` header. */
export function bearerToken(header: string | undefined): string | undefined {
  return header ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * Requires a valid access token whose device is still signed in.
 * @example router.use(requireAuth((token) => identity.authenticate(token)))
 */
export function requireAuth(authenticate: (token: string) => Promise<Caller>): MiddlewareHandler {
  return async function requireAuthMiddleware(c, next) {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      throw new AtriumError({ code: 'UNAUTHENTICATED', detail: 'Send an access token: Authorization: Bearer <token>.', headers: { 'WWW-Authenticate': 'Bearer realm="atrium"' } });
    }
    c.set('caller', await authenticate(token));
    await next();
  };
}
