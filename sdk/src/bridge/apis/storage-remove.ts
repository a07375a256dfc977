/** @module `atrium.storage.remove()`: deletes a key. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { StorageKey } from './shared.ts';

/**
 * Deletes `key`; `removed` says whether it existed.
 * @example await atrium.storage.remove({ key: 'draft' });
 */
export const storageRemove = defineBridgeApi({
  name: 'storage.remove',
  description: 'Deletes a key',
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ key: StorageKey }),
  result: z.object({ removed: z.boolean() }),
});
