/**
 * @module Bearer-token authentication: sets `c.get('caller')` or answers 401 problem+json.
 */
import type { MiddlewareHandler } from 'hono';
import { AtriumError } from '../../core/errors.ts';
import type { Caller } from '../../identity/service.ts';


/** Pulls the token out of an `Authorization: Bearer …` header (RFC 6750 token68 syntax). */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header?.startsWith('Bearer ')) return undefined;
  const token = header.slice(7);
  // Only the length here: a token is looked up as an exact string in the verified-token cache first, and the
  // slow path checks the RFC 6750 syntax (identity/tokens.ts) before any parsing, so junk never reaches a cache or a log.
  return token.length > 0 && token.length <= 4096 ? token : undefined;
}

/**
 * Requires a valid access token whose device is still signed in. `now`, when given, answers from caches without
 * waiting (undefined when it cannot), which spares a busy server a promise per request.
 * @example router.use(requireAuth((token) => identity.authenticate(token), (token) => identity.authenticatedNow(token)))
 */
export function requireAuth(authenticate: (token: string) => Promise<Caller>, now?: (token: string) => Caller | undefined): MiddlewareHandler {
  // Not an async function: a cached caller goes straight on to the next handler without a promise of its own.
  return function requireAuthMiddleware(c, next) {
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      throw new AtriumError({ code: 'UNAUTHENTICATED', detail: 'Send an access token: Authorization: Bearer <token>.', headers: { 'WWW-Authenticate': 'Bearer realm="atrium"' } });
    }
    const cached = now?.(token);
    if (cached) {
      c.set('caller', cached);
      return next();
    }
    return authenticate(token).then((caller) => {
      c.set('caller', caller);
      return next();
    });
  };
}
