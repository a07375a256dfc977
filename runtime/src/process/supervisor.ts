/** @module The host-side supervisor: starts the runtime child, talks to it with timed requests, restarts it when it dies or runs away. */

import { fork, type ChildProcess } from 'node:child_process';
import type { Json } from '../../../sdk/src/protocol.ts';
import { findBridgeApi, sanitizeBridgeResult, type BridgeResult } from '../bridge/registry.ts';
import { failure, type RuntimeFailure } from '../codes.ts';
import { DEFAULT_LIMITS, type RuntimeLimits } from '../config.ts';
import { launchOptionsSchema, type AppBundle, type HostBridge, type LaunchOptions, type Outcome, type PageInfo, type RuntimeOutput, type SessionSnapshot, type SubpackageLoader } from '../session/types.ts';
import { checkEventDetail } from '../bridge/json.ts';
import { batchMessages, childStatsSchema, parseFromChild, type ChildRequest, type ChildStats, type FromChild } from './ipc.ts';
import { DEFAULT_RUNAWAY, RunawayMonitor, type RunawayOptions } from './proc-stat.ts';

export type { RunawayOptions } from './proc-stat.ts';

/** Options of `createRuntimeSupervisor`. */
export interface RuntimeSupervisorOptions {
  /** Answers host-side bridge calls (only for sessions launched through this supervisor, only registry APIs). */
  bridge: HostBridge;
  /**
   * Sends a sub-package's bundle (`{ code, cacheKey }`, the cache key naming the app version and the sub-package)
   * when a session first opens one of its pages. Only asked for sessions launched through this supervisor.
   */
  subpackage?: SubpackageLoader;
  /** Patches, page stacks, refused renders, crashed and evicted sessions, logs. */
  onOutput?: (output: RuntimeOutput) => void;
  /** Sessions lost when the child exited or was replaced; re-create them from stored state (`launch` with `restore`). */
  onSessionsLost?: (sessionIds: string[], reason: RuntimeFailure) => void;
  /** Called when a new child is ready (after a start or a restart). */
  onReady?: (pid: number, restarts: number) => void;
  limits?: Partial<RuntimeLimits>;
  /** The view module the child loads (`sdk/src/view/index.ts` by default). */
  viewModule?: string;
  /** Longest wait for any request, ms. @default 15000 */
  requestTimeoutMs?: number;
  /** Extra Node flags for the child (e.g. `--cpu-prof` when finding where time goes); appended to the defaults. */
  execArgv?: string[];
  runaway?: Partial<RunawayOptions>;
}

/** The host's handle on the runtime. Every method resolves with an `Outcome`; none rejects. */
export interface RuntimeSupervisor {
  /** Resolves when the first child is ready. */
  readonly ready: Promise<void>;
  /** The current child's pid. */
  readonly pid: number | undefined;
  /** Children started after the first. */
  readonly restarts: number;
  launch(sessionId: string, bundle: AppBundle, options: LaunchOptions): Promise<Outcome<{ pages: PageInfo[] }>>;
  event(sessionId: string, pageId: number, handler: string, detail: Json): Promise<Outcome>;
  /** Navigation the shell asks for: `navigateBack` (its back button, `{ delta? }`), or a `navigator` tap's `{ url }`. */
  navigate(sessionId: string, api: 'navigateTo' | 'redirectTo' | 'navigateBack' | 'switchTab' | 'reLaunch', args?: Json): Promise<Outcome>;
  snapshot(sessionId: string): Promise<Outcome<{ snapshot: SessionSnapshot }>>;
  close(sessionId: string): Promise<Outcome>;
  stats(): Promise<Outcome<{ stats: ChildStats | undefined; sessionIds: string[] }>>;
  /** Replaces the child now (its sessions are reported lost). */
  restart(reason?: string): Promise<void>;
  /** Stops the child and the supervisor. */
  stop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

const CHILD_ENTRY = new URL('./child.ts', import.meta.url);
/** A child that is not ready this long after its start is replaced, ms. */
const STARTUP_TIMEOUT_MS = 30_000;

interface Pending {
  resolve: (outcome: Outcome<Record<string, unknown>>) => void;
  timer: NodeJS.Timeout;
}

/**
 * Starts the runtime child process and supervises it.
 * @example
 * const runtime = createRuntimeSupervisor({ bridge: (sessionId, api, args) => handlers.call(sessionId, api, args),
 *   onOutput: (out) => out.type === 'patches' && socket.send(out), onSessionsLost: (ids) => relaunch(ids) });
 * await runtime.ready;
 * const launched = await runtime.launch('s1', { code, cacheKey: 'todo@3' }, { pages: manifest.pages });
 */
export function createRuntimeSupervisor(options: RuntimeSupervisorOptions): RuntimeSupervisor {
  const runaway = { ...DEFAULT_RUNAWAY, ...options.runaway };
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  const maxDetailChars = options.limits?.maxEventDetailBytes ?? DEFAULT_LIMITS.maxEventDetailBytes;
  const maxDetailDepth = options.limits?.maxJsonDepth ?? DEFAULT_LIMITS.maxJsonDepth;
  const pending = new Map<number, Pending>();
  const live = new Set<string>();
  let child: ChildProcess | undefined;
  /** Cache keys whose code the current child received (it keeps the most recent ones; see child.ts). */
  const sentBundles = new Set<string>();
  let childReady: Promise<void> = Promise.resolve();
  let nextRid = 1;
  let restarts = 0;
  let quickRestarts = 0;
  let started = 0;
  let stopping = false;
  let stats: ChildStats | undefined;
  const monitor = new RunawayMonitor(runaway);
  let sampler: NodeJS.Timeout | undefined;
  let markReady: (() => void) | undefined;
  let readyNow = false;

  /** Requests made while no child is ready wait on this; it settles when the next child says it is ready. */
  function awaitNextChild(): void {
    if (markReady) return; // already waiting for one
    childReady = new Promise((resolve) => (markReady = resolve));
  }

  function spawn(): void {
    sentBundles.clear(); // a new child holds no code yet
    started = Date.now();
    readyNow = false;
    awaitNextChild();
    const proc = fork(CHILD_ENTRY, [], {
      execArgv: ['--no-node-snapshot', ...(options.execArgv ?? [])],
      // No host secrets in the child: a minimal environment, not the host's.
      env: { NODE_ENV: process.env.NODE_ENV ?? 'production', PATH: process.env.PATH ?? '' },
      serialization: 'json',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = proc;
    monitor.reset();
    stats = undefined;
    proc.on('message', (raw: unknown) => onMessage(proc, raw));
    proc.on('exit', (code, signal) => onExit(proc, code === null ? `signal ${signal}` : `exit code ${code}`));
    proc.on('error', () => undefined);
    proc.send({ type: 'init', limits: options.limits ?? {}, viewModule: options.viewModule });
  }

  function onMessage(proc: ChildProcess, raw: unknown): void {
    if (proc !== child) return;
    if ((raw as { type?: unknown } | null)?.type === 'batch') {
      const messages = batchMessages(raw);
      if (!messages) return options.onOutput?.({ type: 'log', level: 'error', message: 'runtime child sent a malformed batch' });
      for (const message of messages) {
        if ((message as { type?: unknown } | null)?.type === 'batch') continue; // no nesting
        onMessage(proc, message);
      }
      return;
    }
    const message = parseFromChild(raw);
    if (!message) {
      options.onOutput?.({ type: 'log', level: 'error', message: 'runtime child sent a malformed message' });
      return;
    }
    switch (message.type) {
      case 'ready':
        readyNow = true;
        markReady?.();
        markReady = undefined;
        options.onReady?.(message.pid, restarts);
        return;
      case 'fatal':
        options.onOutput?.({ type: 'log', level: 'error', message: message.message });
        return;
      case 'heartbeat':
        monitor.heartbeat(message.stats.isolatesCpuMs, message.stats.stuckCalls);
        stats = message.stats;
        return;
      case 'response': {
        const waiting = pending.get(message.rid);
        if (!waiting) return;
        pending.delete(message.rid);
        clearTimeout(waiting.timer);
        waiting.resolve(message.outcome as Outcome<Record<string, unknown>>);
        return;
      }
      case 'bridge':
        answerBridge(proc, message.callId, message.sessionId, message.api, message.args);
        return;
      case 'subpackage':
        answerSubpackage(proc, message.callId, message.sessionId, message.name);
        return;
      case 'output': {
        const output = message.output as RuntimeOutput;
        if (output.type === 'session-crashed') live.delete(output.sessionId);
        options.onOutput?.(output);
        return;
      }
    }
  }

  function answerBridge(proc: ChildProcess, callId: number, sessionId: string, api: string, args: Json): void {
    const reply = (result: BridgeResult): void => {
      if (proc === child && proc.connected) proc.send({ type: 'bridge-reply', callId, result });
    };
    // Defence in depth: a compromised child may not call for sessions it was not given or APIs the host does not own.
    if (!live.has(sessionId) || findBridgeApi(api)?.side !== 'host') {
      reply({ ok: false, ...failure('PERMISSION_DENIED') });
      return;
    }
    Promise.resolve()
      .then(() => options.bridge(sessionId, api, args))
      .then(
        (result) => reply(sanitizeBridgeResult(result)),
        () => reply({ ok: false, ...failure('BRIDGE_FAILED') }),
      );
  }

  function answerSubpackage(proc: ChildProcess, callId: number, sessionId: string, name: string): void {
    const reply = (result: Outcome<{ bundle: AppBundle }>): void => {
      if (proc === child && proc.connected) proc.send({ type: 'subpackage-reply', callId, result });
    };
    const loader = options.subpackage;
    if (!live.has(sessionId) || !loader) {
      reply({ ok: false, ...failure(loader ? 'PERMISSION_DENIED' : 'SUBPACKAGE_UNAVAILABLE') });
      return;
    }
    Promise.resolve()
      .then(() => loader(sessionId, name))
      .then(
        (result) => reply(result.ok ? { ok: true, bundle: { code: result.bundle.code, cacheKey: result.bundle.cacheKey } } : { ok: false, code: String(result.code).slice(0, 64), message: String(result.message).slice(0, 2000) }),
        () => reply({ ok: false, ...failure('SUBPACKAGE_UNAVAILABLE') }),
      );
  }

  function onExit(proc: ChildProcess, why: string): void {
    if (proc !== child) return;
    child = undefined;
    readyNow = false;
    // Before telling the owner: whatever it sends now (re-creating lost sessions) waits for the next child.
    awaitNextChild();
    for (const [rid, waiting] of pending) {
      clearTimeout(waiting.timer);
      waiting.resolve({ ok: false, ...failure('RUNTIME_RESTARTED') });
      pending.delete(rid);
    }
    const lost = [...live];
    live.clear();
    if (lost.length > 0) options.onSessionsLost?.(lost, failure('RUNTIME_RESTARTED', `The runtime process stopped (${why})`));
    if (stopping) return;
    options.onOutput?.({ type: 'log', level: 'warn', message: `runtime child stopped (${why}); restarting` });
    restarts++;
    // Back off only while children keep dying young (a crash loop); a child that lived 30 s restarts at once.
    quickRestarts = Date.now() - started < 30_000 ? quickRestarts + 1 : 0;
    const delay = Math.min(5000, 50 * 2 ** Math.min(7, quickRestarts));
    setTimeout(() => {
      if (!stopping) spawn();
    }, delay).unref();
  }

  function sample(): void {
    const proc = child;
    if (!proc?.pid) return;
    if (!readyNow) {
      if (Date.now() - started > STARTUP_TIMEOUT_MS) kill(proc, 'did not become ready');
      return;
    }
    const why = monitor.check(proc.pid);
    if (why) kill(proc, why);
  }

  function kill(proc: ChildProcess, why: string): void {
    options.onOutput?.({ type: 'log', level: 'error', message: `killing runtime child ${proc.pid}: ${why}` });
    proc.kill('SIGKILL');
  }

  async function request(body: ChildRequest, track?: (outcome: Outcome<Record<string, unknown>>) => void): Promise<Outcome<Record<string, unknown>>> {
    if (stopping) return { ok: false, ...failure('RUNTIME_UNAVAILABLE') };
    const ready = readyNow || (await Promise.race([childReady.then(() => true), delay(requestTimeoutMs).then(() => false)]));
    const proc = child;
    if (!ready || !proc?.connected) return { ok: false, ...failure('RUNTIME_UNAVAILABLE') };
    const rid = nextRid++;
    const outcome = await new Promise<Outcome<Record<string, unknown>>>((resolve) => {
      const timer = setTimeout(() => {
        pending.delete(rid);
        resolve({ ok: false, ...failure('TIMEOUT', `The runtime did not answer ${body.op} within ${requestTimeoutMs} ms`) });
      }, requestTimeoutMs);
      pending.set(rid, { resolve, timer });
      proc.send({ type: 'request', rid, request: body });
    });
    track?.(outcome);
    return outcome;
  }

  spawn();
  sampler = setInterval(sample, runaway.sampleMs);
  sampler.unref();

  const supervisor: RuntimeSupervisor = {
    get ready() {
      return childReady;
    },
    get pid() {
      return child?.pid;
    },
    get restarts() {
      return restarts;
    },
    async launch(sessionId, bundle, launchOptions) {
      const valid = launchOptionsSchema.safeParse(launchOptions);
      if (!valid.success) {
        const issue = valid.error.issues[0];
        return { ok: false, ...failure('INVALID_ARGUMENT', `launch options: ${issue?.path.join('.') || '(options)'}: ${issue?.message ?? 'invalid'}`) };
      }
      live.add(sessionId);
      // The current child keeps the code of versions it launched: send only the cache key for those.
      const sentTo = child;
      let outcome = sentBundles.has(bundle.cacheKey) ? await request({ op: 'launch', sessionId, bundle: { cacheKey: bundle.cacheKey }, options: launchOptions }) : undefined;
      if (outcome === undefined || (!outcome.ok && outcome.code === 'BUNDLE_NOT_LOADED')) {
        outcome = await request({ op: 'launch', sessionId, bundle, options: launchOptions });
        if (outcome.ok && child === sentTo) sentBundles.add(bundle.cacheKey);
      }
      if (!outcome.ok && outcome.code !== 'SESSION_EXISTS') live.delete(sessionId);
      return outcome as Outcome<{ pages: PageInfo[] }>;
    },
    async event(sessionId, pageId, handler, detail) {
      const checked = checkEventDetail(detail, maxDetailChars, maxDetailDepth);
      return checked.ok ? request({ op: 'event', sessionId, pageId, handler, detail: checked.detail }) : checked;
    },
    async navigate(sessionId, api, args = {}) {
      const checked = checkEventDetail(args, maxDetailChars, maxDetailDepth);
      return checked.ok ? request({ op: 'navigate', sessionId, api, args: checked.detail }) : checked;
    },
    async snapshot(sessionId) {
      return (await request({ op: 'snapshot', sessionId })) as Outcome<{ snapshot: SessionSnapshot }>;
    },
    async close(sessionId) {
      const outcome = await request({ op: 'close', sessionId });
      live.delete(sessionId);
      return outcome;
    },
    async stats() {
      const outcome = await request({ op: 'stats' });
      // The answer's counters are fresh (the last heartbeat's may be 500 ms old).
      const fresh = outcome.ok ? childStatsSchema.safeParse(outcome.stats) : undefined;
      return outcome.ok ? { ok: true, stats: fresh?.success ? fresh.data : stats, sessionIds: (outcome.sessionIds as string[] | undefined) ?? [] } : outcome;
    },
    async restart(reason = 'restart requested') {
      const proc = child;
      if (!proc) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      kill(proc, reason);
      await exited;
    },
    async stop() {
      stopping = true;
      if (sampler) clearInterval(sampler);
      sampler = undefined;
      const proc = child;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    },
    [Symbol.asyncDispose]() {
      return supervisor.stop();
    },
  };
  return supervisor;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
