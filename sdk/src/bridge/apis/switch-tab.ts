/** @module `atrium.switchTab()`: Shows a tab bar page, closing the other pages */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { PageUrl } from './shared.ts';

/**
 * Switches to a `tab_bar` page (no query), closing every non-tab page.
 * @example await atrium.switchTab({ url: '/pages/index' });
 */
export const switchTab = defineBridgeApi({
  name: 'switchTab',
  description: 'Shows a tab bar page, closing the other pages',
  side: 'runtime',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ url: PageUrl.refine((u) => !u.includes('?'), 'tab pages take no query') }),
  result: z.null(),
});
