/** @module Reading a process's CPU time and RSS from /proc (Linux), from the parent, so a stuck child cannot lie. */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

function sysconf(name: string, fallback: number): number {
  try {
    const value = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000 }).trim());
    return Number.isFinite(value) && value > 0 ? value : fallback;
  } catch {
    return fallback;
  }
}

let clockTicks: number | undefined;
let pageSize: number | undefined;

/** CPU times of a process and of its main thread, ms, and its RSS, bytes. */
export interface ProcSample {
  processCpuMs: number;
  mainThreadCpuMs: number;
  rssBytes: number;
}

/** utime + stime of a `stat` file, in clock ticks (the command name may hold spaces and parentheses). */
function statTicks(path: string): number {
  const text = readFileSync(path, 'utf8');
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // fields[0] is the state (field 3); utime and stime are fields 14 and 15.
  return Number(fields[11]) + Number(fields[12]);
}

/** Samples `/proc/<pid>`; undefined where /proc is not available or the process is gone. */
export function sampleProc(pid: number): ProcSample | undefined {
  try {
    clockTicks ??= sysconf('CLK_TCK', 100);
    pageSize ??= sysconf('PAGESIZE', 4096);
    const processTicks = statTicks(`/proc/${pid}/stat`);
    const mainTicks = statTicks(`/proc/${pid}/task/${pid}/stat`);
    const rssPages = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    return {
      processCpuMs: (processTicks * 1000) / clockTicks,
      mainThreadCpuMs: (mainTicks * 1000) / clockTicks,
      rssBytes: rssPages * pageSize,
    };
  } catch {
    return undefined;
  }
}

/** A point of the runaway detector: process CPU not explained by the main thread or by the isolates. */
interface CpuPoint {
  at: number;
  unexplainedMs: number;
}

/**
 * The runaway rule: over the last `windowMs`, CPU outside the main thread and outside every isolate's `cpuTime`
 * averages more than `cores` cores. A thread spinning in isolated-vm's error conversion (reference/sandbox.md
 * §2.4.1) counts as one full core there and nowhere else.
 */
function isRunaway(points: readonly CpuPoint[], windowMs: number, cores: number): boolean {
  const last = points[points.length - 1];
  if (!last) return false;
  // The newest point at least a whole window older than the last one: the rate then covers ≥ windowMs even
  // when sampling is irregular (a busy event loop delays the sampler's timer).
  const first = points.findLast((point) => point.at <= last.at - windowMs);
  if (!first) return false;
  const rate = (last.unexplainedMs - first.unexplainedMs) / (last.at - first.at);
  return rate > cores;
}

/** When the supervisor considers the child a runaway and replaces it. */
export interface RunawayOptions {
  /** How often /proc is sampled, ms. @default 500 */
  sampleMs: number;
  /** Unexplained CPU (outside the main thread and every isolate), in cores, that counts as runaway. @default 0.75 */
  excessCores: number;
  /** For how long the excess must last, ms. @default 3000 */
  forMs: number;
  /** RSS budget of the child, bytes (two samples above it restart the child). @default 2 GiB */
  maxRssBytes: number;
  /** A child silent for this long is killed, ms. @default 10000 */
  heartbeatTimeoutMs: number;
}

/** The documented defaults. */
export const DEFAULT_RUNAWAY: Readonly<RunawayOptions> = Object.freeze({
  sampleMs: 500,
  excessCores: 0.75,
  forMs: 3000,
  maxRssBytes: 2 * 1024 ** 3,
  heartbeatTimeoutMs: 10_000,
});

/**
 * Watches one child from the outside: heartbeats (a blocked event loop), calls stuck after their isolate was
 * disposed (the child's own report of a leaked thread), CPU nobody accounts for (the same, seen from outside, and a
 * backstop when the report never comes), and RSS over budget. `check` returns why the child must be replaced, or undefined.
 */
export class RunawayMonitor {
  readonly #limits: Omit<RunawayOptions, 'sampleMs'>;
  #points: CpuPoint[] = [];
  #rssStrikes = 0;
  #lastHeartbeat = Date.now();
  #isolatesCpuMs: number | undefined;
  #stuckCalls = 0;

  constructor(limits: Omit<RunawayOptions, 'sampleMs'>) {
    this.#limits = limits;
  }

  /** Starts over for a new child. */
  reset(): void {
    this.#points = [];
    this.#rssStrikes = 0;
    this.#lastHeartbeat = Date.now();
    this.#isolatesCpuMs = undefined;
    this.#stuckCalls = 0;
  }

  /** Records a heartbeat: the CPU every isolate of the child has used so far, and its stuck calls. */
  heartbeat(isolatesCpuMs: number, stuckCalls: number): void {
    this.#lastHeartbeat = Date.now();
    this.#isolatesCpuMs = isolatesCpuMs;
    this.#stuckCalls = stuckCalls;
  }

  /** Samples /proc for `pid` and applies the three rules. */
  check(pid: number): string | undefined {
    const now = Date.now();
    if (now - this.#lastHeartbeat > this.#limits.heartbeatTimeoutMs) return 'no heartbeat';
    if (this.#stuckCalls > 0) return `${this.#stuckCalls} isolated-vm call(s) stuck after dispose`;
    const sample = sampleProc(pid);
    if (!sample || this.#isolatesCpuMs === undefined) return undefined;
    this.#points.push({ at: now, unexplainedMs: sample.processCpuMs - sample.mainThreadCpuMs - this.#isolatesCpuMs });
    this.#points = this.#points.filter((point) => point.at >= now - this.#limits.forMs * 2);
    if (isRunaway(this.#points, this.#limits.forMs, this.#limits.excessCores)) return 'runaway CPU outside every isolate';
    this.#rssStrikes = sample.rssBytes > this.#limits.maxRssBytes ? this.#rssStrikes + 1 : 0;
    if (this.#rssStrikes >= 2) return `RSS ${Math.round(sample.rssBytes / 1048576)} MB over budget`;
    return undefined;
  }
}
