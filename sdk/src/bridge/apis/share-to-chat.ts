/** @module `atrium.shareToChat()`: shares a card of one of the app's pages to a chat the person picks. */
import { z } from 'zod';
import { defineBridgeApi, PERSON_BRIDGE_TIMEOUT_MS } from '../define-api.ts';

/** A page of the app (`pages/detail` or `/pages/detail`), without a query: pass that as `query`. */
const PagePath = z
  .string()
  .min(1)
  .max(256)
  .regex(/^\/?[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'must be a page of the app such as pages/detail (pass the query as `query`)');

/**
 * Opens the shell's chat picker; the person picks a chat (the app never learns which, nor who is in it) and the
 * shell sends a card: the app's name, `title` and an optional https image. Tapping the card opens the app at
 * `path` with `query`. Rejects with `CANCELLED` when the person closes the picker, `NOT_FOUND` when `path` is not
 * a page of the app's manifest. Logged: the card leaves the app.
 * @example await atrium.shareToChat({ title: 'Groceries', path: 'pages/detail', query: { id: '3' } });
 */
export const shareToChat = defineBridgeApi({
  name: 'shareToChat',
  description: 'Shares a card of a page to a chat the person picks (CANCELLED when closed)',
  side: 'host',
  scope: null,
  timeoutMs: PERSON_BRIDGE_TIMEOUT_MS,
  audited: true,
  args: z.strictObject({
    title: z.string().trim().min(1).max(100),
    path: PagePath,
    query: z
      .record(z.string().min(1).max(64), z.string().max(512))
      .refine((query) => Object.keys(query).length <= 16, 'at most 16 query parameters')
      .optional(),
    imageUrl: z
      .url({ protocol: /^https$/, hostname: z.regexes.domain })
      .max(1024)
      .optional(),
  }),
  result: z.null(),
});
