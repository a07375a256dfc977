/** @module `atrium.navigateBack()`: closes pages and returns to an earlier one. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';

/**
 * Closes `delta` pages (default 1); more than are open returns to the first page.
 * @example await atrium.navigateBack();
 */
export const navigateBack = defineBridgeApi({
  name: 'navigateBack',
  description: 'Closes pages and returns to an earlier one',
  side: 'runtime',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ delta: z.number().int().min(1).max(10).optional() }),
  result: z.null(),
});
