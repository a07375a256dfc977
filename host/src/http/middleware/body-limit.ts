/**
 * @module Request body limits that leave a declared-length body to @hono/node-server's direct read.
 */
import type { IncomingMessage } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * hono's bodyLimit, except that a body whose length the request declares (`Content-Length`, no
 * `Transfer-Encoding`) is judged by that header alone, as hono's does, but without first touching
 * `req.raw.body`: under @hono/node-server that builds a whole undici Request and a web stream over the socket
 * (~20 µs a request), where the adapter otherwise reads a JSON body straight from Node's request. Node's parser
 * never lets a body run past its declared length. A chunked body is counted by hono's middleware as it streams.
 */
export function limitBodyTo(maxSize: number, refuse: () => never): MiddlewareHandler {
  const streaming = bodyLimit({ maxSize, onError: refuse });
  return async function limitBodyMiddleware(c, next) {
    // Only for a request off Node's parser: in-process (`app.request`) a body may come without either header.
    const headers = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.headers;
    if (headers && headers['transfer-encoding'] === undefined) {
      const declared = headers['content-length'];
      if (declared === undefined) return next(); // HTTP/1.1: no body
      if (/^\d{1,15}$/.test(declared)) return Number(declared) > maxSize ? refuse() : next();
    }
    return streaming(c, next);
  };
}
