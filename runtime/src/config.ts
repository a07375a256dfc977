/** @module Every limit of the sandbox runtime in one object, with documented defaults (see reference/sandbox.md §6.5). */

import { VIEW_LIMITS } from '../../sdk/src/protocol.ts';

/** The runtime's limits. Pass a partial object to override; `resolveLimits` fills in the defaults. */
export interface RuntimeLimits {
  /** Isolate heap limit in MB (isolated-vm minimum 8; a guideline, the overshoot can be 2–3×). @default 64 */
  memoryLimitMb: number;
  /** isolated-vm `timeout` for every entry into guest code, ms ("script ≤1 s per cycle"). @default 1000 */
  entryTimeoutMs: number;
  /** Entries slower than this are logged as warnings, ms. @default 100 */
  entryWarnMs: number;
  /** The watchdog disposes an isolate whose CPU in one entry exceeds `entryTimeoutMs + watchdogGraceMs`. @default 250 */
  watchdogGraceMs: number;
  /** How often the watchdog polls `isolate.cpuTime` while entries run, ms. @default 25 */
  watchdogIntervalMs: number;
  /** CPU a session may use per `cpuWindowMs` (entries and anything between them), ms. @default 2000 */
  cpuBudgetMs: number;
  /** The window of the per-session CPU budget, ms. @default 10000 */
  cpuWindowMs: number;
  /** Largest string the prelude returns from an entry (UTF-16 units); larger outputs become PAYLOAD_TOO_LARGE. @default 1.5 MiB */
  maxOutputChars: number;
  /** Bridge calls in one entry's output. @default 64 */
  maxCallsPerEntry: number;
  /** Default cap of one bridge call's JSON args, bytes (an API may allow more, e.g. storage.set). @default 65536 */
  maxCallArgsBytes: number;
  /** Deepest JSON accepted from the guest (args, data, trees are checked separately). @default 64 */
  maxJsonDepth: number;
  /** Bridge calls in flight per session (waiting for the host). @default 32 */
  maxInFlightCalls: number;
  /** Upper bound of any bridge call's wall time, ms (an API's own timeout is used when smaller). @default 600000 */
  maxBridgeTimeoutMs: number;
  /** Sustained entries per second per session (token bucket). @default 100 */
  entriesPerSecond: number;
  /** Entry burst per session. @default 200 */
  entryBurst: number;
  /** Entries waiting in one session's queue; beyond this the session is crashed as runaway. @default 512 */
  maxQueuedEntries: number;
  /** Shell events per second per session; more are refused with RATE_LIMITED. @default 50 */
  eventsPerSecond: number;
  /** Largest event `detail`, JSON bytes. @default 65536 */
  maxEventDetailBytes: number;
  /** Entries running at once in the process (isolated-vm's pool is cpus+1 threads). @default os.availableParallelism() */
  maxConcurrentEntries: number;
  /** Pages on one session's stack. @default 10 */
  maxPages: number;
  /** Live guest timers per session. @default 32 */
  maxTimers: number;
  /** Smallest timer delay; shorter ones are raised to it, ms. @default 10 */
  minTimerMs: number;
  /** Patch batch hard cap, bytes. @default 1 MiB */
  maxPatchBytes: number;
  /** Patch batches above this are logged as warnings, bytes. @default 256 KiB */
  warnPatchBytes: number;
  /** Flushes in any sliding second per session; more renders are coalesced into the next allowed flush. @default 20 */
  flushesPerSecond: number;
  /** View tree nodes. @default 1000 */
  maxTreeNodes: number;
  /** View tree depth. @default 30 */
  maxTreeDepth: number;
  /** Idle time after which a session is snapshotted and its isolate disposed, ms. @default 180000 */
  idleEvictMs: number;
  /** How often idle sessions are looked for, ms. @default 15000 */
  idleSweepMs: number;
  /** Hardened blank isolates kept ready. @default 2 */
  warmPoolSize: number;
  /** Guest console lines kept per entry (the rest are dropped). @default 20 */
  maxLogLinesPerEntry: number;
  /** Characters per guest console line. @default 500 */
  maxLogLineChars: number;
  /** Log outputs per second per session (guest console, app errors, warnings); more are counted and dropped. @default 50 */
  logLinesPerSecond: number;
}

/** The documented defaults. */
export const DEFAULT_LIMITS: Readonly<RuntimeLimits> = Object.freeze({
  memoryLimitMb: 64,
  entryTimeoutMs: 1000,
  entryWarnMs: 100,
  watchdogGraceMs: 250,
  watchdogIntervalMs: 25,
  cpuBudgetMs: 2000,
  cpuWindowMs: 10_000,
  maxOutputChars: 1.5 * 1024 * 1024,
  maxCallsPerEntry: 64,
  maxCallArgsBytes: 64 * 1024,
  maxJsonDepth: 64,
  maxInFlightCalls: 32,
  maxBridgeTimeoutMs: 600_000,
  entriesPerSecond: 100,
  entryBurst: 200,
  maxQueuedEntries: 512,
  eventsPerSecond: 50,
  maxEventDetailBytes: 64 * 1024,
  maxConcurrentEntries: 0,
  maxPages: 10,
  maxTimers: 32,
  minTimerMs: 10,
  maxPatchBytes: VIEW_LIMITS.maxPatchBytes,
  warnPatchBytes: VIEW_LIMITS.warnPatchBytes,
  flushesPerSecond: VIEW_LIMITS.maxFlushesPerSecond,
  maxTreeNodes: VIEW_LIMITS.maxNodes,
  maxTreeDepth: VIEW_LIMITS.maxDepth,
  idleEvictMs: 180_000,
  idleSweepMs: 15_000,
  warmPoolSize: 2,
  maxLogLinesPerEntry: 20,
  maxLogLineChars: 500,
  logLinesPerSecond: 50,
});

/** Fills in defaults and checks that every limit is a positive finite number. */
export function resolveLimits(overrides: Partial<RuntimeLimits> = {}, cores = 2): RuntimeLimits {
  const limits: RuntimeLimits = { ...DEFAULT_LIMITS, ...overrides };
  if (!overrides.maxConcurrentEntries) limits.maxConcurrentEntries = Math.max(1, cores);
  for (const [name, value] of Object.entries(limits)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`runtime limit ${name} must be a non-negative finite number`);
    }
  }
  if (limits.memoryLimitMb < 8) throw new RangeError('runtime limit memoryLimitMb must be at least 8');
  return limits;
}
