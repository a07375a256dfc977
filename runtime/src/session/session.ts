/** @module One session (person × app version): its isolate, serial entry queue, page stack, renders, timers and calls. */

import type { GuestInbound, Json } from '../../../sdk/src/protocol.ts';
import { checkEventDetail } from '../bridge/json.ts';
import { validateCall } from '../bridge/validate-call.ts';
import { failure, RuntimeError, toFailure, type RuntimeCode, type RuntimeFailure } from '../codes.ts';
import type { RuntimeLimits } from '../config.ts';
import type { GuestIsolate, KillReason } from '../isolate/guest-isolate.ts';
import { unframeOutput } from '../isolate/prelude.ts';
import type { Watchdog } from '../isolate/watchdog.ts';
import type { ViewOps } from '../view/ops.ts';
import { CallRouter } from './calls.ts';
import { runTimedEntry, type EntryDeps } from './entry.ts';
import { RenderFlusher } from './flusher.ts';
import { parseGuestOutput, type GuestResult } from './guest-output.ts';
import { buildSnapshot, runLaunchHooks } from './lifecycle.ts';
import { isNavigationApi, navigate, type NavigationApi } from './navigation.ts';
import { PageStack } from './page-stack.ts';
import { CpuWindow, rateLimitedLogs, TokenBucket } from './rate.ts';
import type { Semaphore } from './semaphore.ts';
import type { AppBundle, HostBridge, LaunchOptions, Outcome, PageInfo, RuntimeClock, RuntimeOutput, SessionSnapshot } from './types.ts';

/** What a session needs from the manager. */
export interface SessionDeps {
  sessionId: string;
  guest: GuestIsolate;
  bundle: AppBundle;
  options: LaunchOptions;
  limits: RuntimeLimits;
  view: ViewOps;
  clock: RuntimeClock;
  watchdog: Watchdog;
  runQueue: Semaphore;
  bridge: HostBridge;
  emit: (output: RuntimeOutput) => void;
  /** Called once when the session ends (crashed or closed). */
  ended: (session: Session) => void;
  /** Fetches a sub-package's bundle and runs it in this session's isolate (inside the session's queue). */
  loadSubpackage: (session: Session, name: string) => Promise<void>;
}

/** Lifecycle states. */
export type SessionState = 'starting' | 'live' | 'crashed' | 'closed';

/** A running session. Every entry into its isolate goes through one serial queue. */
export class Session {
  readonly id: string;
  readonly deps: SessionDeps;
  state: SessionState = 'starting';
  lastActive: number;
  endCode: RuntimeCode | undefined;
  readonly #stack: PageStack;
  readonly #flusher: RenderFlusher;
  readonly #calls: CallRouter;
  readonly #entryDeps: EntryDeps;
  readonly #eventTokens: TokenBucket;
  readonly #emit: (output: RuntimeOutput) => void;
  readonly #cpu: CpuWindow;
  #cpuSeen: bigint;
  #queue: Promise<unknown> = Promise.resolve();
  #queued = 0;
  #launch: SessionSnapshot['launch'] = { path: '', query: {}, scene: 0 };
  /** Sub-package of each sub-package route. */
  readonly #subpackageOf = new Map<string, string>();
  /** Sub-packages whose code runs in the isolate. */
  readonly #loaded = new Set<string>();

  constructor(deps: SessionDeps) {
    this.id = deps.sessionId;
    this.deps = deps;
    const { limits, clock, options } = deps;
    this.lastActive = clock.now();
    this.#emit = rateLimitedLogs(deps.emit, this.id, new TokenBucket(limits.logLinesPerSecond, limits.logLinesPerSecond * 2, clock.now));
    for (const sub of options.subpackages ?? []) for (const route of sub.pages) this.#subpackageOf.set(route, sub.name);
    this.#stack = new PageStack([...options.pages, ...this.#subpackageOf.keys()], options.tabBar ?? [], limits.maxPages);
    this.#flusher = new RenderFlusher({ sessionId: this.id, limits, view: deps.view, clock, emit: this.#emit });
    this.#calls = new CallRouter(this, {
      sessionId: this.id,
      limits,
      clock,
      bridge: deps.bridge,
      scopes: new Set(options.scopes ?? []),
      navigate: (api, args) => this.#navigate(api, args),
      fireTimer: (id) => this.#enter({ t: 'timer', id }),
    });
    const { guest, watchdog, runQueue } = deps;
    const tokens = new TokenBucket(limits.entriesPerSecond, limits.entryBurst, clock.now);
    this.#entryDeps = { guest, limits, clock, watchdog, runQueue, tokens, alive: () => this.alive, endCode: () => this.endCode };
    this.#eventTokens = new TokenBucket(limits.eventsPerSecond, limits.eventsPerSecond, clock.now);
    this.#cpu = new CpuWindow(limits.cpuBudgetMs, limits.cpuWindowMs, clock.now);
    this.#cpuSeen = deps.guest.cpuNs();
  }

  /** True while the session can run entries. */
  get alive(): boolean {
    return this.state === 'starting' || this.state === 'live';
  }

  /** No entry queued and no bridge call waiting for the host. */
  get idle(): boolean {
    return this.#queued === 0 && this.#calls.inFlight === 0;
  }

  /** Runs the launch hooks (or restores a snapshot); resolves with the page stack once the first view is flushed. */
  async start(): Promise<PageInfo[]> {
    const target = { stack: this.#stack, enter: (msg: GuestInbound, options?: { collect: boolean }) => this.#enterOrFail(msg, options?.collect ?? true), prepare: (route: string) => this.#prepare(route) };
    await this.enqueue(async () => {
      this.#launch = await runLaunchHooks(target, this.deps.options);
      if (this.state === 'starting') this.state = 'live';
      this.#emitPages(); // before the first patches, which the queue flushes as it drains
    });
    return this.#stack.info();
  }

  /** Dispatches a shell event after checking its size, rate, page and handler name. */
  async event(pageId: number, handler: string, detail: unknown): Promise<Outcome> {
    this.lastActive = this.deps.clock.now();
    const { limits } = this.deps;
    if (!this.alive) return { ok: false, ...failure(this.endCode ?? 'SESSION_CRASHED') };
    if (!this.#eventTokens.take()) return { ok: false, ...failure('RATE_LIMITED', 'Too many events; slow down') };
    const checked = checkEventDetail(detail, limits.maxEventDetailBytes, limits.maxJsonDepth);
    if (!checked.ok) return checked;
    if (!this.#stack.find(pageId)) return { ok: false, ...failure('PAGE_NOT_FOUND', `No page ${pageId} is open`) };
    if (!this.#flusher.handlers(pageId).has(handler)) {
      return { ok: false, ...failure('EVENT_HANDLER_UNKNOWN', `Page ${pageId} shows no handler ${JSON.stringify(handler.slice(0, 64))}`) };
    }
    try {
      const result = await this.enqueue(() => this.#enter({ t: 'event', pageId, handler, detail: checked.detail }));
      return result.ok ? { ok: true } : { ok: false, code: result.code, message: result.message };
    } catch (error) {
      return { ok: false, ...toFailure(error) };
    }
  }

  /** Asks the guest for its pages' data; the result re-creates the session later (`restore`). */
  async snapshot(): Promise<SessionSnapshot> {
    return this.enqueue(async () => {
      const result = await this.#enter({ t: 'snapshot' });
      if (!result.ok) throw new RuntimeError('APP_ERROR', `The app could not snapshot: ${result.message}`);
      return buildSnapshot(this.#launch, this.#stack, result.snapshots ?? []);
    });
  }

  /** Navigation the shell asks for (its back button, a `navigator` tap), under the rules of the app's own calls. */
  async navigate(api: string, args: Json): Promise<Outcome> {
    this.lastActive = this.deps.clock.now();
    if (!this.alive) return { ok: false, ...failure(this.endCode ?? 'SESSION_CRASHED') };
    if (!isNavigationApi(api)) return { ok: false, ...failure('INVALID_ARGUMENT', `${api.slice(0, 64)} is not a navigation API`) };
    if (!this.#eventTokens.take()) return { ok: false, ...failure('RATE_LIMITED', 'Too many events; slow down') };
    const checked = validateCall(api, args, new Set(), this.deps.limits);
    if (!checked.ok) return { ok: false, ...checked.error };
    const done = this.enqueue(() => this.#navigate(api, checked.call.args));
    return done.then(() => ({ ok: true }) as const, (error: unknown) => ({ ok: false, ...toFailure(error) }));
  }

  /** The sub-packages loaded into this session so far. */
  get loadedSubpackages(): string[] {
    return [...this.#loaded];
  }

  /** Charges CPU used since the last look (between entries too); stops the session over budget. */
  chargeCpu(): boolean {
    const now = this.deps.guest.cpuNs();
    const delta = now - this.#cpuSeen;
    this.#cpuSeen = now;
    if (this.#cpu.charge(delta)) return true;
    this.crash('CPU_BUDGET_EXCEEDED', `The app used more than ${this.deps.limits.cpuBudgetMs} ms of CPU in ${this.deps.limits.cpuWindowMs} ms`);
    return false;
  }

  /** Runs a task in the session's serial queue; the session flushes renders when the queue drains. */
  enqueue<T>(task: () => Promise<T>): Promise<T> {
    if (this.#queued >= this.deps.limits.maxQueuedEntries) {
      this.crash('RATE_LIMITED', 'The app queued too much work');
      return Promise.reject(new RuntimeError('RATE_LIMITED'));
    }
    this.#queued++;
    const run = async (): Promise<T> => {
      try {
        if (!this.alive) throw new RuntimeError(this.endCode ?? 'SESSION_CRASHED');
        return await task();
      } finally {
        this.#queued--;
        if (this.#queued === 0 && this.alive) this.#flusher.request();
      }
    };
    if (this.#queued > 1) {
      const result = this.#queue.then(run, run);
      this.#queue = result.catch(() => undefined);
      return result;
    }
    // Nothing queued: start now rather than a microtask later (a tap waits on it). The queue points at this task
    // before it runs, so whatever it enqueues runs after it.
    const settled = Promise.withResolvers<void>();
    this.#queue = settled.promise;
    const result = run();
    void result.then(() => settled.resolve(), () => settled.resolve());
    return result;
  }

  /** Queues a reply entry for a bridge call. */
  reply(id: number, outcome: { ok: true; result: Json } | RuntimeFailure): void {
    const msg: GuestInbound =
      'code' in outcome
        ? { t: 'reply', id, ok: false, error: { code: outcome.code, message: outcome.message } }
        : { t: 'reply', id, ok: true, result: outcome.result };
    this.enqueue(() => this.#enter(msg)).catch(() => undefined);
  }

  /** Ends the session because of a limit or failure; the owner is told with `session-crashed`. */
  crash(code: RuntimeCode, message?: string): void {
    if (!this.alive) return;
    this.#end('crashed', code);
    const reported = failure(code, message);
    this.deps.emit({ type: 'session-crashed', sessionId: this.id, code: reported.code, message: reported.message });
  }

  /** Ends the session on request (close, eviction). */
  close(): void {
    if (!this.alive) return;
    this.#end('closed', 'SESSION_NOT_FOUND');
  }

  #end(state: 'crashed' | 'closed', code: RuntimeCode): void {
    this.state = state;
    this.endCode = code;
    this.#calls.close();
    this.#flusher.close();
    const reason: KillReason = code === 'TIMEOUT' || code === 'CPU_BUDGET_EXCEEDED' || code === 'MEMORY_LIMIT' || code === 'RATE_LIMITED' ? code : 'SESSION_CRASHED';
    this.deps.guest.kill(reason);
    this.deps.ended(this);
  }

  async #enterOrFail(msg: GuestInbound, collect = true): Promise<void> {
    const result = collect ? await this.#enter(msg) : await this.#enterOnce(msg);
    if (!collect && this.alive) this.#checkHeap();
    if (!result.ok && result.code === 'APP_NOT_REGISTERED') {
      this.crash('APP_NOT_REGISTERED');
      throw new RuntimeError('APP_NOT_REGISTERED');
    }
  }

  /** One timed entry, then its output: logs, defensive parse, CPU and heap accounting, renders and calls. */
  async #enter(msg: GuestInbound, chain = 0): Promise<GuestResult> {
    const result = await this.#enterOnce(msg);
    // Continuations of promises resolved in this entry ran after the dispatcher returned; collect what they did
    // within the same queued task, so that patches and answers keep their order.
    const again = msg.t === 'flush' ? result.ok && result.more === true : !(result.ok && result.more === false);
    if (again && (result.ok || result.code !== 'APP_NOT_REGISTERED') && chain < MAX_FLUSH_CHAIN && this.alive) {
      // What a tap or a timer rendered at once goes to the shell now (within the flush rate), not after the
      // entry that collects its continuations: the person sees the synchronous part of a handler ~0.3 ms
      // sooner, and a continuation's render follows as its own patch (or coalesces under the rate).
      if (msg.t === 'event' || msg.t === 'timer') this.#flusher.request();
      // Let the patches just emitted leave (the child sends them in a microtask) before the heap read, which
      // takes the isolate back from isolated-vm's thread (tens of µs on a cold machine).
      await Promise.resolve();
      this.#checkHeap();
      await this.#enter({ t: 'flush' }, chain + 1);
    }
    if (chain === 0 && this.alive) this.#checkHeap();
    return result;
  }

  async #enterOnce(msg: GuestInbound): Promise<GuestResult> {
    const { limits } = this.deps;
    const emit = this.#emit;
    if (!this.alive) throw new RuntimeError(this.endCode ?? 'SESSION_CRASHED');
    const entry = await runTimedEntry(this.#entryDeps, msg);
    if (!entry.ok) {
      if (!entry.fatal) {
        const escaped: GuestResult = { ok: false, ...entry.failure };
        this.#apply(msg, escaped);
        return escaped;
      }
      emit({ type: 'log', level: 'error', sessionId: this.id, message: `entry ${msg.t} failed: ${entry.failure.code} (${entry.cause})` });
      this.crash(entry.failure.code as RuntimeCode);
      throw new RuntimeError(this.endCode ?? 'SESSION_CRASHED');
    }
    if (entry.elapsedMs > limits.entryWarnMs) {
      emit({ type: 'log', level: 'warn', sessionId: this.id, message: `slow entry ${msg.t}: ${entry.elapsedMs.toFixed(1)} ms` });
    }
    if (!this.chargeCpu()) throw new RuntimeError('CPU_BUDGET_EXCEEDED');
    const { logs, output } = unframeOutput(entry.framed);
    for (const line of logs) emit({ type: 'log', level: 'debug', sessionId: this.id, message: `guest: ${line}` });
    const result = parseGuestOutput(output, limits);
    this.#apply(msg, result);
    return result;
  }

  /**
   * isolated-vm enforces memoryLimit itself (collecting first); this backstop catches what it let through. It
   * runs after every entry: after the last of a chain (no guest code runs between chains, so the next chain
   * starts from a checked heap), and within a chain before each flush entry, once the patches the previous
   * entry rendered have been sent. Never between a render and its send: the read takes the isolate back from
   * isolated-vm's thread, tens of µs on a cold machine, on the path of every tap's patch.
   */
  #checkHeap(): void {
    const { limits, guest } = this.deps;
    if (guest.heapBytes() > HEAP_BACKSTOP_FACTOR * limits.memoryLimitMb * 1024 * 1024) {
      this.crash('MEMORY_LIMIT');
      throw new RuntimeError('MEMORY_LIMIT');
    }
  }

  #apply(msg: GuestInbound, result: GuestResult): void {
    const isErrorHook = msg.t === 'app' && msg.hook === 'error';
    if (!result.ok) {
      this.#emit({ type: 'log', level: 'warn', sessionId: this.id, message: `app error in ${msg.t}: ${result.code}: ${result.message}` });
      if (!isErrorHook && result.code !== 'APP_NOT_REGISTERED') this.#reportToApp(`${result.code}: ${result.message}`);
      return;
    }
    for (const render of result.renders) {
      if (!this.#stack.find(render.pageId)) continue;
      const refused = this.#flusher.queue(render.pageId, render.tree);
      if (refused && !isErrorHook) this.#reportToApp(`${refused.code}: ${refused.message}`);
    }
    if (this.#queued > 1) this.#flusher.request();
    this.#calls.route(result.calls);
  }

  #reportToApp(error: string): void {
    this.enqueue(() => this.#enter({ t: 'app', hook: 'error', error })).catch(() => undefined);
  }

  async #navigate(api: NavigationApi, args: Json): Promise<void> {
    await navigate(
      {
        stack: this.#stack,
        enter: (msg) => this.#enter(msg),
        prepare: (route) => this.#prepare(route),
        unloaded: (pageId) => this.#flusher.forget(pageId),
        pagesChanged: () => this.#emitPages(),
      },
      api,
      args,
    );
  }

  /**
   * Before a page of a sub-package opens: loads that sub-package's code into the isolate the first time
   * (inside the session's queue, so at most once per session).
   */
  async #prepare(route: string): Promise<void> {
    const name = this.#subpackageOf.get(route);
    if (name === undefined || this.#loaded.has(name)) return;
    await this.deps.loadSubpackage(this, name);
    this.#loaded.add(name);
  }

  #emitPages(): void {
    if (this.alive) this.deps.emit({ type: 'pages', sessionId: this.id, pages: this.#stack.info() });
  }
}

/** `flush` entries one entry may lead to (continuations that keep awaiting resolved promises). */
const MAX_FLUSH_CHAIN = 16;

/** Heap in use (with external memory) after an entry beyond this many times `memoryLimitMb` ends the session. */
const HEAP_BACKSTOP_FACTOR = 2;
