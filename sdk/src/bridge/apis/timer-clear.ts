/** @module `timer.clear`: disarms a host timer; used by `atrium.clearTimeout`/`clearInterval`. */
import { z } from 'zod';
import { DEFAULT_BRIDGE_TIMEOUT_MS, defineBridgeApi } from '../define-api.ts';
import { MAX_TIMER_DELAY_MS } from './timer-limits.ts';

/** Disarms timer `id`; unknown or already fired ids are ignored. */
export const timerClear = defineBridgeApi({
  name: 'timer.clear',
  description: 'Disarms a host timer (clearTimeout / clearInterval)',
  side: 'runtime',
  scope: null,
  timeoutMs: DEFAULT_BRIDGE_TIMEOUT_MS,
  audited: false,
  args: z.strictObject({ id: z.number().int().min(1).max(MAX_TIMER_DELAY_MS) }),
  result: z.null(),
});
