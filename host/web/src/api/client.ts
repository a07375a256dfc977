/**
 * @module The typed fetch wrapper every API call goes through: bearer token (kept in memory only), problem
 * documents as `ApiError`, and the session's refresh — rotated one minute before expiry, serialized across
 * tabs with a Web Lock so a refresh token is never used twice.
 */
import { ApiError, isAbort } from './problem.ts';
import type { Session } from './types.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Options of {@link request}. */
export interface RequestOptions {
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with its own type (uploads). */
  raw?: Blob;
  /** How to read a successful answer. @default 'json' */
  as?: 'json' | 'blob';
  signal?: AbortSignal;
  /** Send the bearer token when there is one. @default true */
  auth?: boolean;
  /** Ask for the refresh token as an HttpOnly cookie (`X-Atrium-Session: cookie`). @default false */
  sessionCookie?: boolean;
  /** Extra request headers (`Idempotency-Key`). */
  headers?: Record<string, string>;
}

/** Codes that mean this device's session is over: drop it and sign in again. */
export const SESSION_LOST_CODES: ReadonlySet<string> = new Set(['AUTH_DEVICE_REVOKED', 'AUTH_REFRESH_REUSED', 'AUTH_REFRESH_INVALID']);
/** Codes that a fresh access token may cure. */
const RETRY_AFTER_REFRESH_CODES: ReadonlySet<string> = new Set(['AUTH_TOKEN_EXPIRED', 'AUTH_TOKEN_INVALID']);
const REFRESH_LEAD_MS = 60_000;
const REFRESH_RETRY_MS = 15_000;

let access: { token: string; expiresAt: number } | undefined;
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<Session> | undefined;
const refreshedListeners = new Set<(session: Session) => void>();
const lostListeners = new Set<(code: string) => void>();

/** Calls the API; resolves with the JSON body (`undefined` for 204) or rejects with an `ApiError`. */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  let response = await send(method, path, options);
  if (response.status === 401 && options.auth !== false && access) {
    const error = await ApiError.fromResponse(response);
    if (!RETRY_AFTER_REFRESH_CODES.has(error.code)) throw sessionError(error);
    await refreshSession();
    response = await send(method, path, options);
  }
  if (!response.ok) throw sessionError(await ApiError.fromResponse(response));
  if (response.status === 204 || response.headers.get('content-length') === '0') return undefined as T;
  if (options.as === 'blob') return (await response.blob()) as T;
  return (await response.json()) as T;
}

async function send(method: Method, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.raw !== undefined) headers['content-type'] = options.raw.type || 'application/octet-stream';
  if (options.sessionCookie) headers['x-atrium-session'] = 'cookie';
  if (options.auth !== false && access) headers.authorization = `Bearer ${access.token}`;
  try {
    return await fetch(path, {
      method,
      headers,
      body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    if (isAbort(error)) throw error;
    throw ApiError.network(error);
  }
}

/** Reports a lost session (only when this tab held one) and hands the error back. */
function sessionError(error: ApiError): ApiError {
  if (error.status === 401 && SESSION_LOST_CODES.has(error.code)) reportSessionLost(error.code);
  return error;
}

/** Starts using a session's access token and schedules its refresh. */
export function adoptTokens(session: Session): void {
  access = { token: session.accessToken, expiresAt: session.accessTokenExpiresAt };
  scheduleRefresh(Math.max(5_000, session.accessTokenExpiresAt - Date.now() - REFRESH_LEAD_MS));
}

/** Forgets the access token and stops refreshing. */
export function forgetTokens(): void {
  access = undefined;
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = undefined;
}

/** True while this tab holds an access token. */
export function hasSession(): boolean {
  return access !== undefined;
}

/** The current access token, for the realtime socket's `auth` message (kept in memory only). */
export function accessToken(): string | undefined {
  return access?.token;
}

/**
 * Ends this tab's session because another channel said so (the realtime socket closed with "device revoked"):
 * the same path as a 401 with one of {@link SESSION_LOST_CODES}.
 */
export function reportSessionLost(code: string): void {
  if (!access) return;
  forgetTokens();
  for (const listener of lostListeners) listener(code);
}

/**
 * Exchanges the refresh cookie for a new session. Concurrent calls share one request, and tabs take turns
 * through the `atrium-refresh` lock: each one then sends the cookie the previous one received.
 */
export function refreshSession(): Promise<Session> {
  refreshing ??= withRefreshLock(async () => {
    const session = await request<Session>('POST', '/v1/auth/refresh', { body: {}, auth: false, sessionCookie: true });
    adoptTokens(session);
    for (const listener of refreshedListeners) listener(session);
    return session;
  }).finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function withRefreshLock<T>(task: () => Promise<T>): Promise<T> {
  // Web Locks exist in secure contexts only (https, localhost); elsewhere tabs fall back to racing.
  if (typeof navigator !== 'undefined' && navigator.locks) return navigator.locks.request('atrium-refresh', task);
  return task();
}

function scheduleRefresh(delayMs: number): void {
  if (refreshTimer !== undefined) clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    refreshSession().catch((error: unknown) => {
      // A lost session was reported already; anything else (offline) is retried.
      if (access && !(error instanceof ApiError && SESSION_LOST_CODES.has(error.code))) scheduleRefresh(REFRESH_RETRY_MS);
    });
  }, delayMs);
}

/** Refreshes at once when the token is close to expiry (timers sleep in background tabs and suspended laptops). */
export function refreshIfStale(): void {
  if (access && access.expiresAt - Date.now() < REFRESH_LEAD_MS) scheduleRefresh(0);
}

/** Calls `listener` with each session a refresh brings (new user data included). */
export function onSessionRefreshed(listener: (session: Session) => void): () => void {
  refreshedListeners.add(listener);
  return () => refreshedListeners.delete(listener);
}

/** Calls `listener` with the code when the server says this device's session is over. */
export function onSessionLost(listener: (code: string) => void): () => void {
  lostListeners.add(listener);
  return () => lostListeners.delete(listener);
}
