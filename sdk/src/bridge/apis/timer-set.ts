/** @module `timer.set`: asks the host for a timer; used by `atrium.setTimeout`/`setInterval`, not called directly. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { MAX_TIMER_DELAY_MS } from './timer-limits.ts';

/**
 * Arms timer `id` (chosen by the guest, unique per session) to fire after `ms` ms, once or every `ms` ms
 * with `repeat`. Each firing arrives as a `{ t: 'timer', id }` entry. The host may raise short delays to its
 * minimum and cap the number of live timers (`RATE_LIMITED`). Re-arming a live id replaces it.
 */
export const timerSet = defineBridgeApi({
  name: 'timer.set',
  description: 'Arms a host timer (setTimeout / setInterval)',
  side: 'runtime',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({
    id: z.number().int().min(1).max(MAX_TIMER_DELAY_MS),
    ms: z.number().min(0).max(MAX_TIMER_DELAY_MS),
    /** @default false */
    repeat: z.boolean().optional(),
  }),
  result: z.null(),
});
