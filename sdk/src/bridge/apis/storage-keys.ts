/** @module `atrium.storage.keys()`: the stored keys. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { NoArgs } from './shared.ts';

/**
 * Lists the keys stored for this person.
 * @example const { keys } = await atrium.storage.keys();
 */
export const storageKeys = defineBridgeApi({
  name: 'storage.keys',
  description: 'Lists the stored keys',
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: NoArgs,
  result: z.object({ keys: z.array(z.string()) }),
});
