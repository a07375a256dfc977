/** @module `atrium.setNavigationBarTitle()`: the current page's title in the shell's top bar. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';

/**
 * Sets the title of the page that made the call.
 * @example await atrium.setNavigationBarTitle({ title: `Cart (${count})` });
 */
export const setNavigationBarTitle = defineBridgeApi({
  name: 'setNavigationBarTitle',
  description: "Sets the page's title in the top bar",
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ title: z.string().max(64) }),
  result: z.null(),
});
