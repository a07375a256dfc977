/**
 * @module Gives each request an id (taken from a sane `X-Request-Id` or made), a child logger that stamps
 * it on every line, and the config; logs one line per response; and tells the client's address on demand.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { HostConfig } from '../../config.ts';
import { base32, type Random } from '../../core/random.ts';

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
}

/** The first middleware of the host. */
export function requestContext(options: RequestContextOptions): MiddlewareHandler {
  const { logger, config, random } = options;
  // A random per-process prefix and a counter: unique across processes without a syscall per request.
  const prefix = base32(random.bytes(5));
  let counter = 0;
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : `${prefix}${(counter++).toString(36).padStart(6, '0')}`;
    const log = logger.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('logger', log);
    c.set('config', config);
    const started = performance.now();
    await next();
    // Set on the response's own headers: c.header() after the response exists rebuilds it (reading its
    // body), which costs node-server its fast path.
    c.res.headers.set('X-Request-Id', requestId);
    if (log.isLevelEnabled('info')) {
      log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 100) / 100 }, 'request');
    }
  };
}
