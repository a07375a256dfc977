/** @module Timer limits shared by the `timer.set` schema and the guest's timer table (no zod here). */

/** Longest delay (as browsers: a signed 32-bit number of ms). */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;
