/** @module `atrium.scanCode()`: the shell's QR scanner (camera or an uploaded image). */
import { z } from 'zod';
import { defineBridgeApi, PERSON_BRIDGE_TIMEOUT_MS } from '../define-api.ts';

/**
 * Opens the shell's scanner; resolves with the decoded text, rejects with `CANCELLED` when the person closes
 * it. Logged: the app learns what the person scanned.
 * @example const { result } = await atrium.scanCode();
 */
export const scanCode = defineBridgeApi({
  name: 'scanCode',
  description: "The shell's QR scanner (CANCELLED when closed)",
  side: 'host',
  scope: null,
  timeoutMs: PERSON_BRIDGE_TIMEOUT_MS,
  audited: true,
  args: z.strictObject({
    onlyFromCamera: z.boolean().optional(),
    scanType: z.array(z.enum(['qrCode', 'barCode'])).max(2).optional(),
  }),
  result: z.object({ result: z.string(), scanType: z.literal('QR_CODE') }),
});
