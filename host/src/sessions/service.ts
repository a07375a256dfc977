/**
 * @module Mini-app sessions on the host: launches an app version in the sandboxed runtime for a person on a
 * device, relays events from the shell and patches, page stacks, UI and prompts back over the device's socket,
 * and answers host-side bridge calls. The runtime child process starts on the first launch.
 */
import type { Logger } from 'pino';
import type { BridgeResult, HostBridgeHandlers } from '../../../runtime/src/bridge/registry.ts';
import type { RuntimeSupervisor } from '../../../runtime/src/process/supervisor.ts';
import type { LaunchOptions, SessionSnapshot } from '../../../runtime/src/session/types.ts';
import type { Json, PatchRecord, WireNode } from '../../../sdk/src/protocol.ts';
import { PATCH } from '../../../sdk/src/protocol.ts';
import { applyPatches } from '../../../sdk/src/view/index.ts';
import { manifestRoutes, subpackageRoutes, type Manifest } from '../../../sdk/src/manifest.ts';
import { readSubpackageCode } from '../../../devtools/src/build/package.ts';
import type { AppRegistry } from '../apps/registry.ts';
import type { RunnableVersion } from '../apps/registry.ts';
import { AtriumError, isAtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Caller } from '../identity/service.ts';
import type { SocketHub } from '../realtime/hub.ts';
import type { SessionContext } from './bridge-handlers.ts';
import type { Prompter, PromptResult } from './prompter.ts';
import type { AppBuildErrorMessage, AppReloadMessage, LaunchResult } from './protocol.ts';

interface LiveSession {
  id: string;
  userId: string;
  deviceId: string;
  appId: string;
  /** The version it runs until it ends (a new release reaches the next launch). */
  versionCode: number;
  manifest: Manifest;
  pages: Array<{ pageId: number; route: string }>;
  titles: Map<number, string>;
  /** The shell's view of each page, kept so a reloaded shell can be re-sent whole trees. */
  mirrors: Map<number, WireNode | undefined>;
  /** What the runtime needs to run it again: the bundle and launch options. */
  bundle: { code: string; cacheKey: string };
  options: LaunchOptions;
  /** The newest state snapshot (page stack and data), taken a moment after activity; re-creates the session. */
  snapshot: SessionSnapshot | undefined;
  snapshotTimer: NodeJS.Timeout | undefined;
  /** Sub-packages the runtime fetched for this session, in order (each once, unless the runtime re-created it). */
  subpackageFetches: string[];
}

/** How long after the last activity a session's state is snapshotted. */
const SNAPSHOT_AFTER_MS = 1500;
/** Apps one person may have running at once (like a phone keeping a few recent apps). */
const MAX_SESSIONS_PER_PERSON = 10;
/** Sub-package bundles kept in memory (read from their version's package on first use). */
const CACHED_SUBPACKAGES = 64;

/** Options of {@link MiniAppSessions}. */
export interface MiniAppSessionsOptions {
  registry: AppRegistry;
  /** The version code a person gets now (release and rollout), or a preview token's version. */
  pickVersion: (appId: string, userId: string, preview: string | undefined) => Promise<number>;
  hub: SocketHub;
  prompter: Prompter;
  random: Random;
  logger: Logger;
  /** Makes the runtime supervisor (called once, on the first launch). */
  createRuntime: (hooks: {
    bridge: (sessionId: string, api: string, args: Json) => Promise<BridgeResult>;
    onOutput: (output: RuntimeOutputLike) => void;
    onSessionsLost: (ids: string[]) => void;
    subpackage: (sessionId: string, name: string) => Promise<SubpackageOutcome>;
  }) => RuntimeSupervisor;
  handlers: () => HostBridgeHandlers;
}

/** A sub-package's bundle for the runtime, or why not. */
export type SubpackageOutcome = { ok: true; bundle: { code: string; cacheKey: string } } | { ok: false; code: string; message: string };

/** What the runtime reports (kept structural so the host does not depend on the runtime's internals). */
export type RuntimeOutputLike =
  | { type: 'patches'; sessionId: string; pageId: number; patches: PatchRecord[] }
  | { type: 'pages'; sessionId: string; pages: Array<{ pageId: number; route: string }> }
  | { type: 'render-refused'; sessionId: string; pageId: number; code: string; message: string }
  | { type: 'session-crashed'; sessionId: string; code: string; message: string }
  | { type: 'session-evicted'; sessionId: string }
  | { type: 'log'; level: string; sessionId?: string; message: string };

const NAVIGATION_APIS = {
  navigate: 'navigateTo',
  redirect: 'redirectTo',
  switchTab: 'switchTab',
  reLaunch: 'reLaunch',
  navigateBack: 'navigateBack',
} as const;

/** All live mini-app sessions of this host process. */
export class MiniAppSessions {
  readonly #o: MiniAppSessionsOptions;
  readonly #sessions = new Map<string, LiveSession>();
  /** Sub-package code by `<appId>@<versionCode>/<name>` (least recently used dropped first). */
  readonly #subpackageCode = new Map<string, string>();
  /** Development: each app's problems from its last check (`atrium dev`), shown to sessions launched after it. */
  readonly #devProblems = new Map<string, string[]>();
  #runtime: RuntimeSupervisor | undefined;

  constructor(options: MiniAppSessionsOptions) {
    this.#o = options;
  }

  /** The bridge handlers' view of a session. */
  context(sessionId: string): SessionContext | undefined {
    const s = this.#sessions.get(sessionId);
    if (!s) return undefined;
    return {
      session: s.id,
      userId: s.userId,
      deviceId: s.deviceId,
      appId: s.appId,
      appName: s.manifest.name,
      permissions: s.manifest.req_permissions ?? [],
      networkDomains: s.manifest.network_domains ?? [],
      pages: manifestRoutes(s.manifest),
      topPageId: () => s.pages.at(-1)?.pageId,
      rememberTitle: (pageId, title) => void s.titles.set(pageId, title),
    };
  }

  /**
   * Launches the version the caller gets (the release, their rollout bucket, or a preview link's version) on
   * their device. Running sessions keep their version; the next launch gets the new one.
   */
  async launch(caller: Caller, input: { appId: string; path?: string | undefined; query?: Record<string, string> | undefined; preview?: string | undefined }): Promise<LaunchResult> {
    const app = await this.#o.registry.get(input.appId);
    const version = await this.#pickVersion(input.appId, caller.userId, input.preview);
    const manifest = version.manifest;
    if (input.path !== undefined && !manifestRoutes(manifest).includes(input.path)) throw new AtriumError({ code: 'NOT_FOUND', detail: `The app has no page ${input.path}.` });
    await this.#makeRoom(caller.userId);
    const id = newId(this.#o.random, 'ses');
    const tabs = manifest.tab_bar?.items;
    const options: LaunchOptions = {
      pages: manifest.pages,
      ...(manifest.subpackages?.length ? { subpackages: manifest.subpackages.map((sub) => ({ name: sub.name, pages: subpackageRoutes(sub) })) } : {}),
      ...(tabs ? { tabBar: tabs.map((t) => t.page) } : {}),
      scopes: (manifest.req_permissions ?? []).map((p) => p.name),
      ...(input.path ? { path: input.path } : {}),
      query: input.query ?? {},
      scene: 1001,
    };
    const bundle = { code: version.bundle, cacheKey: `${app.id}@${version.versionCode}:${version.bundleSha256.slice(0, 16)}` };
    const session: LiveSession = { id, userId: caller.userId, deviceId: caller.deviceId, appId: app.id, versionCode: version.versionCode, manifest, pages: [], titles: new Map(), mirrors: new Map(), bundle, options, snapshot: undefined, snapshotTimer: undefined, subpackageFetches: [] };
    this.#sessions.set(id, session);
    const runtime = await this.#ensureRuntime();
    const outcome = await runtime.launch(id, bundle, options);
    if (!outcome.ok) {
      this.#forget(id);
      throw new AtriumError({ code: 'APP_LAUNCH_FAILED', detail: `${outcome.code}: ${outcome.message}` });
    }
    this.#scheduleSnapshot(session);
    const problems = this.#devProblems.get(app.id);
    if (problems) {
      const message: AppBuildErrorMessage = { t: 'app.build_error', session: id, appId: app.id, lines: problems };
      this.#o.hub.sendToDevice(caller.deviceId, message);
    }
    return this.#launchResult(session);
  }

  /** Relays an event from the shell; the runtime refuses handlers the page's view does not name. */
  async event(caller: Caller, input: { session: string; pageId: number; handler: string; detail: unknown }): Promise<void> {
    const s = this.#own(caller, input.session);
    // A live session's runtime exists; its requests wait (bounded) for a child that is restarting.
    const runtime = this.#runtime ?? (await this.#ensureRuntime());
    const outcome = await runtime.event(s.id, input.pageId, input.handler, (input.detail ?? null) as Json);
    this.#scheduleSnapshot(s);
    if (!outcome.ok) throw new AtriumError({ code: 'APP_EVENT_REFUSED', detail: `${outcome.code}: ${outcome.message}` });
  }

  async #pickVersion(appId: string, userId: string, preview: string | undefined): Promise<RunnableVersion> {
    let code: number;
    try {
      code = await this.#o.pickVersion(appId, userId, preview);
    } catch (error) {
      // A development host runs the apps it loaded from folders before anything is released.
      if (!(isAtriumError(error) && error.code === 'APP_NOT_RELEASED' && !preview)) throw error;
      code = await this.#o.registry.currentVersionCode(appId).catch(() => {
        throw error;
      });
    }
    return this.#o.registry.runnable(appId, code);
  }

  /** Replaces the runtime process now (operators; tests of recovery). Sessions are re-created where possible. */
  async restartRuntime(reason = 'requested'): Promise<void> {
    await this.#runtime?.restart(reason);
  }

  /**
   * Development (`atrium dev`): tells the shell of every live session of the app that a new version is out
   * (`{ t: 'app.reload', session, appId }`); the shell closes the session and launches the app again.
   * Returns how many sessions were told.
   */
  reloadApp(appId: string): number {
    this.#devProblems.delete(appId);
    let told = 0;
    for (const s of this.#sessions.values()) {
      if (s.appId !== appId) continue;
      const message: AppReloadMessage = { t: 'app.reload', session: s.id, appId };
      this.#o.hub.sendToDevice(s.deviceId, message);
      told++;
    }
    return told;
  }

  /**
   * Development (`atrium dev`): the app's new source does not build, or its type check or lints failed. Its live
   * sessions keep running (the last good version, or the new one when only the checks failed); their shells
   * show the located problems (`{ t: 'app.build_error', session, appId, lines }`). With `sticky`, sessions
   * launched later are shown them too, until {@link buildPassed} or the next reload.
   */
  buildFailed(appId: string, lines: string[], options: { sticky?: boolean } = {}): number {
    if (options.sticky) this.#devProblems.set(appId, lines.slice(0, 20));
    let told = 0;
    for (const s of this.#sessions.values()) {
      if (s.appId !== appId) continue;
      const message: AppBuildErrorMessage = { t: 'app.build_error', session: s.id, appId, lines: lines.slice(0, 20) };
      this.#o.hub.sendToDevice(s.deviceId, message);
      told++;
    }
    return told;
  }

  /** Development: the app's checks passed; later launches no longer show the last problems. */
  buildPassed(appId: string): void {
    this.#devProblems.delete(appId);
  }

  /** Re-attaches a (reloaded) shell: moves the session to this device and re-sends the stack and whole views. */
  async resume(caller: Caller, input: { session: string }): Promise<LaunchResult> {
    const s = this.#own(caller, input.session);
    s.deviceId = caller.deviceId;
    this.#sendPages(s);
    for (const [pageId, mirror] of s.mirrors) {
      if (mirror) this.#o.hub.sendToDevice(s.deviceId, { t: 'app.patch', session: s.id, pageId, patches: [[PATCH.MOUNT, mirror]] });
    }
    return this.#launchResult(s);
  }

  /** The shell's back button on the app's page stack. */
  async back(caller: Caller, input: { session: string }): Promise<void> {
    const s = this.#own(caller, input.session);
    const outcome = await (await this.#ensureRuntime()).navigate(s.id, 'navigateBack', { delta: 1 });
    if (!outcome.ok) throw new AtriumError({ code: 'APP_EVENT_REFUSED', detail: `${outcome.code}: ${outcome.message}` });
  }

  /** A `navigator` tap: open an app page the way its `openType` says. */
  async navigate(caller: Caller, input: { session: string; url: string; openType: 'navigate' | 'redirect' | 'switchTab' | 'reLaunch' | 'navigateBack' }): Promise<void> {
    const s = this.#own(caller, input.session);
    const api = NAVIGATION_APIS[input.openType];
    const outcome = await (await this.#ensureRuntime()).navigate(s.id, api, api === 'navigateBack' ? { delta: 1 } : { url: input.url });
    if (!outcome.ok) throw new AtriumError({ code: 'APP_EVENT_REFUSED', detail: `${outcome.code}: ${outcome.message}` });
  }

  /** Ends a session (the person closed the app). */
  async close(caller: Caller, input: { session: string }): Promise<void> {
    const s = this.#own(caller, input.session);
    this.#forget(s.id);
    await this.#runtime?.close(s.id);
  }

  /** The person's answer to a prompt, from their own session only. */
  promptReply(caller: Caller, input: { session: string; promptId: number; result: PromptResult }): void {
    const s = this.#own(caller, input.session);
    this.#o.prompter.reply(s.id, input.promptId, input.result);
  }

  /** The runtime child's counters (RSS, sessions, pool, sub-packages loaded), or undefined before the first launch. */
  async runtimeStats(): Promise<{ rssBytes: number; sessions: number; poolReady: number; subpackageLoads: number } | undefined> {
    if (!this.#runtime) return undefined;
    const outcome = await this.#runtime.stats();
    const stats = outcome.ok ? outcome.stats : undefined;
    return stats ? { rssBytes: stats.rssBytes, sessions: stats.sessions, poolReady: stats.poolReady, subpackageLoads: stats.subpackageLoads } : undefined;
  }

  /** The sub-packages the runtime has fetched for a session so far (observability, and tests of lazy loading). */
  subpackageFetches(sessionId: string): string[] {
    return [...(this.#sessions.get(sessionId)?.subpackageFetches ?? [])];
  }

  /**
   * The runtime asks for a sub-package's bundle: the first time the session opens one of its pages. The code
   * comes from the session's own version's package; its cache key names the version, so compiled code is cached
   * per version as for the main bundle.
   */
  async #subpackage(sessionId: string, name: string): Promise<SubpackageOutcome> {
    const s = this.#sessions.get(sessionId);
    if (!s) return { ok: false, code: 'SESSION_NOT_FOUND', message: 'No such session' };
    if (!s.manifest.subpackages?.some((sub) => sub.name === name)) return { ok: false, code: 'PAGE_NOT_FOUND', message: `The app has no sub-package ${name}` };
    const key = `${s.appId}@${s.versionCode}/${name}`;
    let code = this.#subpackageCode.get(key);
    if (code === undefined) {
      const version = await this.#o.registry.version(s.appId, s.versionCode);
      code = version.package ? readSubpackageCode(version.package, name) : undefined;
      if (code === undefined) return { ok: false, code: 'SUBPACKAGE_UNAVAILABLE', message: `Version ${s.versionCode} has no sub-package ${name}` };
      if (this.#subpackageCode.size >= CACHED_SUBPACKAGES) this.#subpackageCode.delete(this.#subpackageCode.keys().next().value!);
    } else this.#subpackageCode.delete(key);
    this.#subpackageCode.set(key, code);
    s.subpackageFetches.push(name);
    this.#o.logger.debug({ session: s.id, app: s.appId, subpackage: name }, 'sub-package fetched');
    return { ok: true, bundle: { code, cacheKey: `${s.bundle.cacheKey}/${name}` } };
  }

  /** Stops the runtime child (shutdown). */
  async stop(): Promise<void> {
    for (const id of [...this.#sessions.keys()]) this.#forget(id);
    await this.#runtime?.stop();
  }

  #launchResult(s: LiveSession): LaunchResult {
    const { manifest } = s;
    const tabs = manifest.tab_bar?.items;
    return {
      session: s.id,
      app: { id: s.appId, name: manifest.name, version: manifest.version.name, versionCode: s.versionCode },
      window: {
        title: manifest.window?.navigation_bar_title_text ?? manifest.name,
        ...(manifest.window?.background_color ? { backgroundColor: manifest.window.background_color } : {}),
        ...(manifest.window?.navigation_bar_background_color ? { navigationBarBackgroundColor: manifest.window.navigation_bar_background_color } : {}),
        ...(manifest.window?.navigation_bar_text_style ? { navigationBarTextStyle: manifest.window.navigation_bar_text_style } : {}),
      },
      ...(tabs ? { tabBar: tabs.map((t) => ({ path: t.page, text: t.text })) } : {}),
    };
  }

  /** A person keeps at most {@link MAX_SESSIONS_PER_PERSON} apps running; launching one more closes the oldest. */
  async #makeRoom(userId: string): Promise<void> {
    const mine = [...this.#sessions.values()].filter((s) => s.userId === userId);
    for (const s of mine.slice(0, Math.max(0, mine.length - MAX_SESSIONS_PER_PERSON + 1))) {
      this.#o.hub.sendToDevice(s.deviceId, { t: 'app.crashed', session: s.id, code: 'SESSION_CLOSED', message: 'Closed to make room for another app. Reload it to continue.' });
      this.#forget(s.id);
      await this.#runtime?.close(s.id);
    }
  }

  #own(caller: Caller, sessionId: string): LiveSession {
    const s = this.#sessions.get(sessionId);
    if (!s || s.userId !== caller.userId) throw new AtriumError({ code: 'SESSION_NOT_FOUND' });
    return s;
  }

  async #ensureRuntime(): Promise<RuntimeSupervisor> {
    if (!this.#runtime) {
      this.#runtime = this.#o.createRuntime({
        bridge: (sessionId, api, args) => {
          const handler = (this.#o.handlers() as unknown as Record<string, (s: string, a: unknown) => Promise<BridgeResult>>)[api];
          return handler ? handler(sessionId, args) : Promise.resolve({ ok: false, code: 'UNKNOWN_API', message: `No host handler for ${api}.` });
        },
        onOutput: (output) => this.#onOutput(output),
        onSessionsLost: (ids) => {
          for (const id of ids) void this.#recreate(id);
        },
        subpackage: (sessionId, name) => this.#subpackage(sessionId, name),
      });
    }
    await this.#runtime.ready;
    return this.#runtime;
  }

  #onOutput(output: RuntimeOutputLike): void {
    if (output.type === 'log') {
      this.#o.logger[output.level === 'error' ? 'error' : output.level === 'warn' ? 'warn' : 'debug']({ session: output.sessionId }, output.message);
      return;
    }
    const s = this.#sessions.get(output.sessionId);
    if (!s) return;
    switch (output.type) {
      case 'patches':
        // To the device first (a person is waiting); then the mirror a reconnecting shell is given.
        this.#o.hub.sendToDevice(s.deviceId, { t: 'app.patch', session: s.id, pageId: output.pageId, patches: output.patches });
        s.mirrors.set(output.pageId, applyPatches(s.mirrors.get(output.pageId), output.patches));
        return;
      case 'pages':
        s.pages = output.pages.map((p) => ({ pageId: p.pageId, route: p.route }));
        for (const pageId of [...s.mirrors.keys()]) if (!s.pages.some((p) => p.pageId === pageId)) s.mirrors.delete(pageId);
        this.#sendPages(s);
        this.#scheduleSnapshot(s);
        return;
      case 'render-refused':
        this.#o.logger.warn({ session: s.id, app: s.appId, code: output.code }, output.message);
        this.#o.hub.sendToDevice(s.deviceId, { t: 'app.ui', session: s.id, kind: 'toast', title: output.message.slice(0, 64), icon: 'error', durationMs: 3000 });
        return;
      case 'session-crashed':
        this.#crashed(s.id, output.code, output.message);
        return;
      case 'session-evicted':
        return; // the runtime revives it transparently on the next event
    }
  }

  /** Snapshots the session's state a moment after its last activity (debounced), for re-creation. */
  #scheduleSnapshot(s: LiveSession): void {
    clearTimeout(s.snapshotTimer);
    s.snapshotTimer = setTimeout(() => {
      void this.#runtime?.snapshot(s.id).then((outcome) => {
        if (outcome.ok && this.#sessions.has(s.id)) s.snapshot = outcome.snapshot;
      });
    }, SNAPSHOT_AFTER_MS);
    s.snapshotTimer.unref();
  }

  /**
   * The runtime process was replaced: launch the session again from its last snapshot (the shell gets whole
   * trees and carries on), or tell the shell it crashed when there is none.
   */
  async #recreate(sessionId: string): Promise<void> {
    const s = this.#sessions.get(sessionId);
    if (!s) return;
    if (!s.snapshot) return this.#crashed(sessionId, 'RUNTIME_RESTARTED', 'The app stopped unexpectedly. Reload it.');
    s.mirrors.clear();
    const outcome = await (await this.#ensureRuntime()).launch(s.id, s.bundle, { ...s.options, restore: s.snapshot });
    if (!outcome.ok) this.#crashed(sessionId, outcome.code, 'The app could not be restored. Reload it.');
    else this.#o.logger.info({ session: s.id, app: s.appId }, 'session re-created after a runtime restart');
  }

  #sendPages(s: LiveSession): void {
    const title = s.manifest.window?.navigation_bar_title_text ?? s.manifest.name;
    this.#o.hub.sendToDevice(s.deviceId, { t: 'app.page', session: s.id, stack: s.pages.map((p) => ({ ...p, title: s.titles.get(p.pageId) ?? title })) });
  }

  #crashed(sessionId: string, code: string, message: string): void {
    const s = this.#sessions.get(sessionId);
    if (!s) return;
    this.#o.hub.sendToDevice(s.deviceId, { t: 'app.crashed', session: s.id, code, message });
    this.#forget(sessionId);
  }

  #forget(sessionId: string): void {
    clearTimeout(this.#sessions.get(sessionId)?.snapshotTimer);
    this.#sessions.delete(sessionId);
    this.#o.prompter.cancelAll(sessionId);
  }
}
