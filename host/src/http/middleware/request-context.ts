/**
 * @module Gives each request an id (taken from a sane `X-Request-Id` or made), a child logger that stamps
 * it on every line, the config, the client's address; and logs one line per response.
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { HostConfig } from '../../config.ts';
import { base32, type Random } from '../../core/random.ts';

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
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
  return async function requestContextMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : base32(random.bytes(10));
    const log = logger.child({ reqId: requestId });
    c.set('requestId', requestId);
    c.set('logger', log);
    c.set('config', config);
    c.set('clientAddress', clientAddress(c, config.trustProxy));
    const started = performance.now();
    await next();
    c.header('X-Request-Id', requestId);
    if (log.isLevelEnabled('info')) {
      log.info({ method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 100) / 100 }, 'request');
    }
  };
}
