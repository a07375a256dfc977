/**
 * @module How a session's refresh token reaches the client. Browsers (the shell) ask for an HttpOnly,
 * SameSite=Strict cookie scoped to `/v1/auth` with `X-Atrium-Session: cookie`, so page scripts never hold it;
 * other clients get it in the JSON body and send it back in the body.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Session } from './service.ts';

export const REFRESH_COOKIE = 'atrium_refresh';
const COOKIE_PATH = '/v1/auth';

/** True when the client asked for cookie delivery. The custom header also defeats cross-site form posts. */
export function wantsCookie(c: Context): boolean {
  return c.req.header('x-atrium-session') === 'cookie';
}

/** The session as the client should see it: with the refresh token in the body, or in a cookie. */
export function deliverSession(c: Context, session: Session): Session {
  if (!wantsCookie(c)) return session;
  setCookie(c, REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: c.get('config').publicUrl.startsWith('https:'),
    path: COOKIE_PATH,
    expires: new Date(session.refreshTokenExpiresAt),
  });
  const { refreshToken: _hidden, ...rest } = session;
  return rest as Session;
}

/** The refresh token from the body, or from the cookie when the client uses cookie delivery. */
export function receivedRefreshToken(c: Context, fromBody: string | undefined): string | undefined {
  if (fromBody) return fromBody;
  return wantsCookie(c) ? getCookie(c, REFRESH_COOKIE) : undefined;
}

/** Removes the refresh cookie (sign-out). */
export function clearSessionCookie(c: Context): void {
  deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH, secure: c.get('config').publicUrl.startsWith('https:') });
}
