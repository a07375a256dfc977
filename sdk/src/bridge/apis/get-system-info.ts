/** @module `atrium.getSystemInfo()`: locale, theme and platform version of the person's shell. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { NoArgs } from './shared.ts';

/**
 * What the app may adapt to: the person's locale (BCP 47), light or dark theme, the platform version (compare with
 * the manifest's `min_platform_version`) and the window size when the shell reported one.
 * @example const { locale, theme } = await atrium.getSystemInfo();
 */
export const getSystemInfo = defineBridgeApi({
  name: 'getSystemInfo',
  description: 'Locale, theme, platform version and window size',
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: NoArgs,
  result: z.object({
    platform: z.literal('web'),
    platformVersion: z.string(),
    locale: z.string(),
    theme: z.enum(['light', 'dark']),
    windowWidth: z.number().optional(),
    windowHeight: z.number().optional(),
    pixelRatio: z.number().optional(),
  }),
});
