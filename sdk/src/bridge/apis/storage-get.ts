/** @module `atrium.storage.get()`: reads a value from the app's server-side storage for this person. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { JsonValue, StorageKey } from './shared.ts';

/**
 * Reads `key`; `value` is absent when nothing is stored under it.
 * @example const { value } = await atrium.storage.get({ key: 'todos' }); const todos = (value ?? []) as Todo[];
 */
export const storageGet = defineBridgeApi({
  name: 'storage.get',
  description: 'Reads a stored JSON value (absent when missing)',
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ key: StorageKey }),
  result: z.object({ value: JsonValue.optional() }),
});
