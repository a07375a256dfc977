/** @module `atrium.navigateTo()`: Opens a page on top of the current one */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { PageUrl } from './shared.ts';

/**
 * Pushes a page; beyond 10 open pages it rejects with `NAVIGATION_STACK_FULL` (use redirectTo).
 * @example await atrium.navigateTo({ url: '/pages/detail?id=' + id });
 */
export const navigateTo = defineBridgeApi({
  name: 'navigateTo',
  description: 'Opens a page on top of the current one',
  side: 'runtime',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ url: PageUrl }),
  result: z.null(),
});
