/**
 * @module Headers every response carries (request id, cache policy), set the cheapest way available.
 */
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * Sets a response header before the response exists. Under @hono/node-server it goes straight onto Node's
 * `ServerResponse` (merged by `writeHead`), which keeps hono's plain-object header fast path; any Headers
 * object made per request costs node-server a large share of its throughput. In-process (`app.request`)
 * it falls back to `c.header()`.
 */
export function presetHeader(c: Context, name: string, value: string): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing && typeof outgoing.setHeader === 'function') outgoing.setHeader(name, value);
  else c.header(name, value);
}
