/** @module `atrium.storage.set()`: stores a JSON value (1 MB per key, 10 MB per person per app). */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { JsonValue, StorageKey } from './shared.ts';

/**
 * Stores `value` under `key`. Over the quotas it rejects with `STORAGE_KEY_TOO_LARGE` or
 * `STORAGE_QUOTA_EXCEEDED` (logged, since it touches the person's quota).
 * @example await atrium.storage.set({ key: 'todos', value: todos });
 */
export const storageSet = defineBridgeApi({
  name: 'storage.set',
  description: 'Stores a JSON value (1 MB per key, 10 MB per person per app)',
  side: 'host',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  maxArgsBytes: 1024 * 1024 + 1024,
  audited: true,
  args: z.strictObject({ key: StorageKey, value: JsonValue }),
  result: z.null(),
});
