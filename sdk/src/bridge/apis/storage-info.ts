/** @module `atrium.storage.info()`: keys and bytes used against the quota. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { NoArgs } from './shared.ts';

/**
 * Keys, bytes used and the limit (10 MB), as the host's storage reports them.
 * @example const { currentSize, limitSize } = await atrium.storage.info();
 */
export const storageInfo = defineBridgeApi({
  name: 'storage.info',
  description: 'Keys, bytes used and the quota',
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: NoArgs,
  result: z.object({ keys: z.array(z.string()), currentSize: z.number().int(), limitSize: z.number().int() }),
});
