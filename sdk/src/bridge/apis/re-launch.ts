/** @module `atrium.reLaunch()`: Closes every page and opens one */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { PageUrl } from './shared.ts';

/**
 * Closes all pages and opens `url` (which may be any page).
 * @example await atrium.reLaunch({ url: '/pages/index' });
 */
export const reLaunch = defineBridgeApi({
  name: 'reLaunch',
  description: 'Closes every page and opens one',
  side: 'runtime',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ url: PageUrl }),
  result: z.null(),
});
