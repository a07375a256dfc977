/** @module `atrium.redirectTo()`: Replaces the current page */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { PageUrl } from './shared.ts';

/**
 * Closes the current page and opens `url` in its place.
 * @example await atrium.redirectTo({ url: '/pages/done' });
 */
export const redirectTo = defineBridgeApi({
  name: 'redirectTo',
  description: 'Replaces the current page',
  side: 'runtime',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ url: PageUrl }),
  result: z.null(),
});
