/** @module `atrium.showModal()`: a dialog with confirm and (optionally) cancel. */
import { z } from 'zod';
import { defineBridgeApi, PERSON_BRIDGE_TIMEOUT_MS } from '../define-api.ts';

/**
 * Asks the person; resolves with `confirm` (and `content` when `editable`).
 * @example const { confirm } = await atrium.showModal({ title: 'Delete?', content: 'This cannot be undone.' });
 */
export const showModal = defineBridgeApi({
  name: 'showModal',
  description: 'A dialog with confirm and cancel',
  side: 'host',
  scope: null,
  timeoutMs: PERSON_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({
    title: z.string().max(64).optional(),
    content: z.string().max(1024).optional(),
    /** @default true */
    showCancel: z.boolean().optional(),
    /** @default 'Cancel' */
    cancelText: z.string().max(16).optional(),
    /** @default 'OK' */
    confirmText: z.string().max(16).optional(),
    /** The person may type an answer (returned as `content`). @default false */
    editable: z.boolean().optional(),
    placeholderText: z.string().max(100).optional(),
  }),
  result: z.object({ confirm: z.boolean(), cancel: z.boolean(), content: z.string().optional() }),
});
