/**
 * @module Bearer-token authentication: sets `c.get('caller')` or answers 401 problem+json.
 */
import type { MiddlewareHandler } from 'hono';
import { AtriumError } from '../../core/errors.ts';
import type { Caller } from '../../identity/service.ts';

const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

/** Pulls the token out of an `Authorization: Bearer …` header (RFC 6750 token68 syntax). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header?.startsWith('Bearer ')) return undefined;
  const token = header.slice(7);
  // The JWT's own parse rejects anything else; this only keeps junk out of logs and caches.
  return token.length > 0 && token.length <= 4096 && TOKEN68.test(token) ? token : undefined;
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
