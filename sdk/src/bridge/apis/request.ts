/** @module `atrium.request()`: an https request to one of the manifest's `network_domains`. */
import { z } from 'zod';
import { defineBridgeApi } from '../define-api.ts';
import { JsonValue } from './shared.ts';

/** Methods an app may use. */
export const REQUEST_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

/**
 * Sends an https request through the host: only to the manifest's `network_domains`, never to private
 * addresses, 10 at once per session, `timeout` at most 60 s. An object `data` is sent as JSON; with
 * `responseType: 'json'` (the default) a JSON response body is parsed, otherwise `data` is the text. Non-2xx statuses
 * resolve (check `statusCode`); network failures reject with `NETWORK_*` codes.
 * @example
 * const res = await atrium.request({ url: 'https://api.example.com/items', method: 'POST', data: { name: 'milk' } });
 * if (res.statusCode === 201) this.setData({ items: res.data as Item[] });
 */
export const request = defineBridgeApi({
  name: 'request',
  description: 'An https request to a manifest network domain',
  side: 'host',
  scope: null,
  timeoutMs: 65_000,
  maxArgsBytes: 256 * 1024,
  audited: true,
  args: z.strictObject({
    /** https (the host also refuses other schemes, except a dev-mode local backend). */
    url: z.string().min(1).max(2048),
    method: z.enum(REQUEST_METHODS).optional(),
    header: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(4096)).refine((h) => Object.keys(h).length <= 32, 'at most 32 headers').optional(),
    data: JsonValue.optional(),
    /** ms, 1–60000. @default 60000 */
    timeout: z.number().int().min(1).max(60_000).optional(),
    /** @default 'json' */
    responseType: z.enum(['json', 'text']).optional(),
  }),
  result: z.object({ statusCode: z.number().int(), header: z.record(z.string(), z.string()), data: JsonValue }),
});
