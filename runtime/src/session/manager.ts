/** @module The session manager: launches sessions from the warm pool, routes events, evicts idle sessions and revives them. */

import { availableParallelism } from 'node:os';
import type { Json } from '../../../sdk/src/protocol.ts';
import { failure, RuntimeError, toFailure } from '../codes.ts';
import { resolveLimits, type RuntimeLimits } from '../config.ts';
import { createCompileCache, type CompileCache } from '../isolate/compile-cache.ts';
import { GuestIsolate } from '../isolate/guest-isolate.ts';
import { wrapBundle } from '../isolate/prelude.ts';
import { createIsolatePool, type IsolatePool } from '../isolate/pool.ts';
import { createWatchdog, type Watchdog } from '../isolate/watchdog.ts';
import type { ViewOps } from '../view/ops.ts';
import { Semaphore } from './semaphore.ts';
import { Session } from './session.ts';
import { SYSTEM_CLOCK, type AppBundle, type HostBridge, type LaunchOptions, type Outcome, type PageInfo, type RuntimeClock, type RuntimeOutput, type SessionSnapshot, type SubpackageLoader } from './types.ts';

/** Options of `createSessionManager`. */
export interface SessionManagerOptions {
  limits?: Partial<RuntimeLimits>;
  view: ViewOps;
  bridge: HostBridge;
  emit: (output: RuntimeOutput) => void;
  /** @default the system clock */
  clock?: RuntimeClock;
  /** Evicted sessions remembered for transparent revival. @default 10000 */
  maxEvicted?: number;
  /**
   * Fetches a sub-package's bundle for a session, the first time the session opens one of its pages. Without
   * it, sub-package pages cannot open (SUBPACKAGE_UNAVAILABLE).
   */
  loadSubpackage?: SubpackageLoader;
}

/** Counters for the supervisor's runaway check and for benchmarks. */
export interface ManagerStats {
  sessions: number;
  evicted: number;
  poolReady: number;
  runningEntries: number;
  /** CPU used by every isolate this process ever ran (live ones read now), ms. */
  isolatesCpuMs: number;
  /** Calls into disposed isolates still pending 2 s later: stuck isolated-vm threads (the process must restart). */
  stuckCalls: number;
  /** Sub-package bundles fetched and run in a session's isolate, ever (each is loaded once per session that opens it). */
  subpackageLoads: number;
}

/** How long a call into a disposed isolate may stay pending before its thread counts as stuck, ms. */
const STUCK_AFTER_MS = 2000;

interface Evicted {
  bundle: AppBundle;
  options: LaunchOptions;
  snapshot: SessionSnapshot;
}

/** Owns every session of the runtime process. */
export class SessionManager {
  readonly limits: RuntimeLimits;
  readonly #options: SessionManagerOptions;
  readonly #clock: RuntimeClock;
  readonly #sessions = new Map<string, Session>();
  readonly #evicted = new Map<string, Evicted>();
  readonly #pool: IsolatePool;
  readonly #cache: CompileCache = createCompileCache();
  readonly #watchdog: Watchdog;
  readonly #runQueue: Semaphore;
  #retiredCpuNs = 0n;
  #subpackageLoads = 0;
  #housekeeping: unknown;
  #lastSweep: number;
  #closed = false;

  constructor(options: SessionManagerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.limits = resolveLimits(options.limits, availableParallelism());
    this.#watchdog = createWatchdog(this.limits.watchdogIntervalMs);
    this.#runQueue = new Semaphore(this.limits.maxConcurrentEntries);
    this.#pool = createIsolatePool({
      size: this.limits.warmPoolSize,
      create: () => GuestIsolate.create(this.limits),
      onError: (error) => options.emit({ type: 'log', level: 'error', message: `warm pool refill failed: ${String(error)}` }),
    });
    this.#lastSweep = this.#clock.now();
  }

  /** Fills the warm pool and starts housekeeping (CPU sampling between entries, idle eviction). */
  async start(): Promise<void> {
    await this.#pool.fill();
    this.#arm();
  }

  /** Launches a session (or re-creates it from `options.restore`). */
  async launch(sessionId: string, bundle: AppBundle, options: LaunchOptions): Promise<Outcome<{ pages: PageInfo[] }>> {
    if (this.#closed) return { ok: false, ...failure('RUNTIME_UNAVAILABLE') };
    const existing = this.#sessions.get(sessionId);
    if (existing?.alive) return { ok: false, ...failure('SESSION_EXISTS') };
    this.#evicted.delete(sessionId);
    let guest: GuestIsolate | undefined;
    try {
      guest = await this.#pool.take();
      await this.#load(guest, bundle);
      const session = new Session({
        sessionId,
        guest,
        bundle,
        options,
        limits: this.limits,
        view: this.#options.view,
        clock: this.#clock,
        watchdog: this.#watchdog,
        runQueue: this.#runQueue,
        bridge: this.#options.bridge,
        emit: this.#options.emit,
        ended: (ended) => this.#ended(ended),
        loadSubpackage: (owner, name) => this.#loadSubpackage(owner, name),
      });
      const launched = guest;
      guest = undefined;
      this.#sessions.set(sessionId, session);
      const pages = await session.start();
      // Off the launch's path: the answer goes out first.
      void this.#cache.recordRun(launched.isolate, bundle.code, bundle.cacheKey, wrapBundle).catch(() => undefined);
      return { ok: true, pages };
    } catch (error) {
      if (guest) {
        this.#retiredCpuNs += guest.cpuNs();
        guest.dispose();
      }
      const session = this.#sessions.get(sessionId);
      if (session?.alive) session.crash(error instanceof RuntimeError ? error.code : 'SESSION_CRASHED');
      return { ok: false, ...toFailure(error) };
    }
  }

  /** Dispatches a shell event; an evicted session is first re-created from its snapshot. */
  async event(sessionId: string, pageId: number, handler: string, detail: Json): Promise<Outcome> {
    const session = this.#sessions.get(sessionId) ?? (await this.#revive(sessionId));
    if (!session) return { ok: false, ...failure('SESSION_NOT_FOUND') };
    return session.event(pageId, handler, detail);
  }

  /** Navigation asked for by the shell (back button, `navigator` component): `navigateBack`, `navigateTo`, … */
  async navigate(sessionId: string, api: string, args: Json): Promise<Outcome> {
    const session = this.#sessions.get(sessionId) ?? (await this.#revive(sessionId));
    if (!session) return { ok: false, ...failure('SESSION_NOT_FOUND') };
    return session.navigate(api, args);
  }

  /** Snapshots a live session (page stack and data). */
  async snapshot(sessionId: string): Promise<Outcome<{ snapshot: SessionSnapshot }>> {
    const evicted = this.#evicted.get(sessionId);
    if (evicted) return { ok: true, snapshot: evicted.snapshot };
    const session = this.#sessions.get(sessionId);
    if (!session?.alive) return { ok: false, ...failure('SESSION_NOT_FOUND') };
    try {
      return { ok: true, snapshot: await session.snapshot() };
    } catch (error) {
      return { ok: false, ...toFailure(error) };
    }
  }

  /** Ends a session and disposes its isolate. */
  async close(sessionId: string): Promise<Outcome> {
    const evicted = this.#evicted.delete(sessionId);
    const session = this.#sessions.get(sessionId);
    if (!session && !evicted) return { ok: false, ...failure('SESSION_NOT_FOUND') };
    session?.close();
    return { ok: true };
  }

  /** True while any entry runs or waits, or any session has queued work or calls waiting for the host. */
  get busy(): boolean {
    if (this.#runQueue.active > 0 || this.#runQueue.waiting > 0) return true;
    for (const session of this.#sessions.values()) if (session.alive && !session.idle) return true;
    return false;
  }

  /** Ids of the live and evicted sessions. */
  sessionIds(): string[] {
    return [...this.#sessions.keys(), ...this.#evicted.keys()];
  }

  stats(): ManagerStats {
    let cpu = this.#retiredCpuNs;
    for (const session of this.#sessions.values()) cpu += session.deps.guest.cpuNs();
    return {
      sessions: this.#sessions.size,
      evicted: this.#evicted.size,
      poolReady: this.#pool.ready,
      runningEntries: this.#runQueue.active,
      isolatesCpuMs: Number(cpu / 1000n) / 1000,
      stuckCalls: this.#watchdog.stuck(STUCK_AFTER_MS),
      subpackageLoads: this.#subpackageLoads,
    };
  }

  /** Charges CPU used between entries and evicts sessions idle for `idleEvictMs` (snapshot first). */
  async sweep(): Promise<void> {
    const now = this.#clock.now();
    for (const session of [...this.#sessions.values()]) if (session.alive) session.chargeCpu();
    if (now - this.#lastSweep < this.limits.idleSweepMs) return;
    this.#lastSweep = now;
    const idle = [...this.#sessions.values()].filter((s) => s.state === 'live' && s.idle && now - s.lastActive >= this.limits.idleEvictMs);
    await Promise.all(idle.map((session) => this.#evict(session)));
  }

  /** Closes every session and the pool. */
  dispose(): void {
    this.#closed = true;
    if (this.#housekeeping !== undefined) this.#clock.clearTimeout(this.#housekeeping);
    for (const session of [...this.#sessions.values()]) session.close();
    this.#pool.dispose();
    this.#watchdog.stop();
    this.#cache.clear();
  }

  /** Compiles (through the per-version code cache) and runs a bundle's top level in `guest`, under the watchdog. */
  async #load(guest: GuestIsolate, bundle: AppBundle): Promise<void> {
    let trip: () => void = () => undefined;
    const tripped = new Promise<never>((_, reject) => {
      trip = () => reject(new RuntimeError('TIMEOUT'));
    });
    const stop = this.#watchdog.watch(guest, this.limits.entryTimeoutMs + this.limits.watchdogGraceMs, this.limits.entryTimeoutMs * 3 + 5000, () => {
      guest.kill('TIMEOUT');
      trip();
    });
    const load = guest.load(bundle.code, bundle.cacheKey, this.#cache, this.limits.entryTimeoutMs);
    tripped.catch(() => this.#watchdog.abandon(load));
    try {
      await Promise.race([load, tripped]);
    } finally {
      stop();
    }
  }

  /**
   * A session opens a page of a sub-package it has not loaded: fetch the bundle from the owner and run it in the
   * session's isolate, in a run-queue slot. A fetch failure refuses the navigation; a bundle that fails to load
   * (top-level throw, timeout) ends the session, as its isolate may hold half of it.
   */
  async #loadSubpackage(session: Session, name: string): Promise<void> {
    const loader = this.#options.loadSubpackage;
    if (!loader) throw new RuntimeError('SUBPACKAGE_UNAVAILABLE', `The sub-package ${name} cannot be fetched here`);
    const fetched = await loader(session.id, name);
    if (!fetched.ok) throw new RuntimeError('SUBPACKAGE_UNAVAILABLE', `The sub-package ${name} could not be fetched: ${fetched.code}: ${fetched.message}`.slice(0, 500));
    if (!session.alive) throw new RuntimeError(session.endCode ?? 'SESSION_CRASHED');
    const release = await this.#runQueue.acquire();
    try {
      await this.#load(session.deps.guest, fetched.bundle);
      this.#subpackageLoads++;
    } catch (error) {
      const failed = toFailure(error);
      this.#options.emit({ type: 'log', level: 'warn', sessionId: session.id, message: `sub-package ${name} failed to load: ${failed.code}: ${failed.message}` });
      session.crash(failed.code === 'TIMEOUT' || failed.code === 'MEMORY_LIMIT' ? failed.code : 'SESSION_CRASHED', `The sub-package ${name} failed to load: ${failed.message}`);
      throw error instanceof RuntimeError ? error : new RuntimeError('SESSION_CRASHED');
    } finally {
      release();
    }
    session.chargeCpu();
  }

  async #evict(session: Session): Promise<void> {
    try {
      const snapshot = await session.snapshot();
      if (!session.alive || session.state !== 'live') return;
      session.close();
      this.#evicted.set(session.id, { bundle: session.deps.bundle, options: { ...session.deps.options, restore: undefined }, snapshot });
      const limit = this.#options.maxEvicted ?? 10_000;
      for (const oldest of this.#evicted.keys()) {
        if (this.#evicted.size <= limit) break;
        this.#evicted.delete(oldest);
      }
      this.#options.emit({ type: 'session-evicted', sessionId: session.id, snapshot });
    } catch {
      session.crash('SESSION_CRASHED', 'The idle session could not be snapshotted');
    }
  }

  async #revive(sessionId: string): Promise<Session | undefined> {
    const evicted = this.#evicted.get(sessionId);
    if (!evicted) return undefined;
    const outcome = await this.launch(sessionId, evicted.bundle, { ...evicted.options, restore: evicted.snapshot });
    return outcome.ok ? this.#sessions.get(sessionId) : undefined;
  }

  #ended(session: Session): void {
    if (this.#sessions.get(session.id) === session) this.#sessions.delete(session.id);
    this.#retiredCpuNs += session.deps.guest.cpuNs();
  }

  #arm(): void {
    if (this.#closed) return;
    this.#housekeeping = this.#clock.setTimeout(() => {
      this.sweep()
        .catch((error: unknown) => this.#options.emit({ type: 'log', level: 'error', message: `sweep failed: ${String(error)}` }))
        .finally(() => this.#arm());
    }, Math.min(1000, this.limits.idleSweepMs));
  }
}
