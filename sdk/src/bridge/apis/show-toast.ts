/** @module `atrium.showToast()`: a short message over the page. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';

/**
 * Shows a toast for `duration` ms (default 1500). Resolves at once, without waiting for it to disappear.
 * @example await atrium.showToast({ title: 'Saved', icon: 'success' });
 */
export const showToast = defineBridgeApi({
  name: 'showToast',
  description: 'A short message over the page',
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({
    title: z.string().max(64),
    /** @default 'success' */
    icon: z.enum(['success', 'error', 'loading', 'none']).optional(),
    /** ms. @default 1500 */
    duration: z.number().int().min(0).max(10_000).optional(),
    /** Blocks taps on the page while shown. @default false */
    mask: z.boolean().optional(),
  }),
  result: z.null(),
});
