/** @module `atrium.showActionSheet()`: a sheet of up to 6 choices. */
import { z } from 'zod';
import { defineBridgeApi, PERSON_BRIDGE_TIMEOUT_MS } from '../define-api.ts';

/**
 * Lets the person pick one item; resolves with its index, rejects with `CANCELLED` when dismissed.
 * @example const { tapIndex } = await atrium.showActionSheet({ itemList: ['Edit', 'Delete'] });
 */
export const showActionSheet = defineBridgeApi({
  name: 'showActionSheet',
  description: 'A sheet of up to 6 choices (CANCELLED when dismissed)',
  side: 'host',
  scope: null,
  timeoutMs: PERSON_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ itemList: z.array(z.string().max(64)).min(1).max(6), alertText: z.string().max(64).optional() }),
  result: z.object({ tapIndex: z.number().int().min(0).max(5) }),
});
