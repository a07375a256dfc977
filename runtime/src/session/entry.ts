/** @module One timed entry into a guest isolate: rate wait, run-queue slot, timeout, cpuTime watchdog, failure classification. */

import type { GuestInbound } from '../../../sdk/src/protocol.ts';
import { RuntimeError, toFailure, type RuntimeCode, type RuntimeFailure } from '../codes.ts';
import type { RuntimeLimits } from '../config.ts';
import type { GuestIsolate } from '../isolate/guest-isolate.ts';
import type { Watchdog } from '../isolate/watchdog.ts';
import type { TokenBucket } from './rate.ts';
import type { Semaphore } from './semaphore.ts';
import type { RuntimeClock } from './types.ts';

/** What a timed entry needs. */
export interface EntryDeps {
  guest: GuestIsolate;
  limits: RuntimeLimits;
  clock: RuntimeClock;
  watchdog: Watchdog;
  runQueue: Semaphore;
  /** The session's entry-rate bucket: an entry waits for a token rather than failing. */
  tokens: TokenBucket;
  /** Checked again after every wait: a session may end while an entry waits. */
  alive: () => boolean;
  endCode: () => RuntimeCode | undefined;
}

/**
 * The outcome of one entry. `fatal` failures end the session (timeout, memory, watchdog, disposal); a non-fatal
 * failure is an error that escaped the guest after its dispatcher returned (an unhandled rejection).
 */
export type EntryOutcome =
  | { ok: true; framed: string; elapsedMs: number }
  | { ok: false; fatal: boolean; failure: RuntimeFailure; cause: string };

/** Codes an entry failure may end a session with; anything else ends it as SESSION_CRASHED. */
export const FATAL_ENTRY_CODES: ReadonlySet<string> = new Set<RuntimeCode>([
  'TIMEOUT',
  'CPU_BUDGET_EXCEEDED',
  'MEMORY_LIMIT',
  'SESSION_CRASHED',
  'RATE_LIMITED',
  'APP_BAD_OUTPUT',
]);

/**
 * Calls the prelude's entry with `{ now, msg }` as a JSON string under `entryTimeoutMs`. The watchdog polls the
 * isolate's cpuTime and disposes it past `timeout + grace` of CPU (getter loops and conversions escape `timeout`),
 * or when the call has not settled after a generous wall time; either way the entry settles at once, even if
 * isolated-vm's own promise never does (reference/sandbox.md §2.4.1).
 */
export async function runTimedEntry(deps: EntryDeps, msg: GuestInbound): Promise<EntryOutcome> {
  const { limits, guest, clock, watchdog, runQueue, tokens } = deps;
  // A flush collects what the previous entry's continuations did: it is part of that entry for the rate.
  if (msg.t !== 'flush') {
    const wait = tokens.waitMs();
    if (wait > 0) await new Promise<void>((resolve) => clock.setTimeout(resolve, wait));
    tokens.take();
  }
  const release = await runQueue.acquire();
  const started = performance.now();
  try {
    if (!deps.alive()) throw new RuntimeError(deps.endCode() ?? 'SESSION_CRASHED');
    let trip: () => void = () => undefined;
    const tripped = new Promise<never>((_, reject) => {
      trip = () => reject(new RuntimeError('TIMEOUT'));
    });
    const stop = watchdog.watch(guest, limits.entryTimeoutMs + limits.watchdogGraceMs, limits.entryTimeoutMs * 3 + 2000, () => {
      guest.kill('TIMEOUT');
      trip();
    });
    const call = guest.enter(JSON.stringify({ now: clock.now(), msg }), limits.entryTimeoutMs);
    tripped.catch(() => watchdog.abandon(call));
    try {
      const framed = await Promise.race([call, tripped]);
      return { ok: true, framed, elapsedMs: performance.now() - started };
    } finally {
      stop();
    }
  } catch (error) {
    const failure = toFailure(error);
    const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    const fatal = !(failure.code === 'APP_ERROR' && !guest.disposed);
    const code = fatal && !FATAL_ENTRY_CODES.has(failure.code) ? 'SESSION_CRASHED' : failure.code;
    return { ok: false, fatal, failure: { code, message: failure.message }, cause: cause.slice(0, 300) };
  } finally {
    release();
  }
}
