/**
 * @module Gives each request an id (taken from a sane `X-Request-Id` or made) and the config; logs the
 * response (see {@link requestContext}); and makes, on demand, the request's logger and client address.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { HostConfig } from '../../config.ts';
import { base32, type Random } from '../../core/random.ts';
import { presetHeader } from '../response-headers.ts';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** The client's network address (the first `X-Forwarded-For` hop when `trustProxy`), or `unknown` in-process. */
export function clientAddress(c: Context): string {
  if (c.get('config').trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // in-process app.request() has no socket
  }
}

/** Options of {@link requestContext}. */
export interface RequestContextOptions {
  logger: Logger;
  config: HostConfig;
  random: Random;
  /** Responses under this path prefix get `Cache-Control: no-store` (API data is never cached). */
  noStore?: string;
}

/** The request's logger: every line it writes carries the request id. Made on first use. */
export function requestLogger(c: Context): Logger {
  let log = c.get('requestLogger');
  if (!log) {
    log = c.get('rootLogger').child({ reqId: c.get('requestId') });
    c.set('requestLogger', log);
  }
  return log;
}

/** Responses that are logged at `info`: failures and slow ones; every response is logged at `debug`. */
const SLOW_MS = 500;

/**
 * The first middleware of the host. At 40,000 requests a second a line per response costs more than the
 * request itself, so successful fast responses are logged at `debug` only (`ATRIUM_LOG=debug` shows them).
 */
export function requestContext(options: RequestContextOptions): MiddlewareHandler {
  const { logger, config, random, noStore } = options;
  // A random per-process prefix and a counter: unique across processes without a syscall per request.
  const prefix = base32(random.bytes(5));
  let counter = 0;
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : `${prefix}${(counter++).toString(36).padStart(6, '0')}`;
    c.set('requestId', requestId);
    c.set('rootLogger', logger);
    c.set('config', config);
    presetHeader(c, 'X-Request-Id', requestId);
    if (noStore && c.req.path.startsWith(noStore)) presetHeader(c, 'Cache-Control', 'no-store');
    const started = performance.now();
    await next();
    const ms = performance.now() - started;
    const status = c.res.status;
    const level = status >= 500 ? 'error' : status >= 400 || ms >= SLOW_MS ? 'info' : 'debug';
    if (logger.isLevelEnabled(level)) {
      logger[level]({ reqId: requestId, method: c.req.method, path: c.req.path, status, ms: Math.round(ms * 100) / 100 }, 'request');
    }
  };
}
