/**
 * @module `GuestRuntime`: the guest framework's dispatcher. It turns each message from the runtime into calls of
 * the app's hooks and handlers, settles bridge promises on replies, fires timers, re-renders the pages whose data
 * changed (once per entry), and answers with a `GuestOutbound` JSON string.
 *
 * Errors: a hook, handler, render or timer that throws makes the entry answer `{ ok: false, code: 'APP_ERROR' }`
 * (message only, never a stack); its renders and bridge calls stay queued and go out with the next entry. The
 * runtime passes every failed entry (and every refused view) back to the app's `onError` as
 * `{ t: 'app', hook: 'error' }`, so the guest does not call it for these itself. An async hook or handler that
 * rejects after its entry is invisible to the runtime: the guest calls `onError` and `console.error` for it.
 */
import type { AppDefinition, AppInstance } from '../app.ts';
import { AtriumError } from '../errors.ts';
import { toRoot } from '../jsx-runtime.ts';
import type { PageDefinition } from '../page.ts';
import type { BridgeCall, GuestOutbound, Json, Render, ViewNode } from '../protocol.ts';
import { setActiveSink, type BridgeSink } from './context.ts';
import { hasHandler, missingHandlers, openPage, type LivePage } from './live-page.ts';
import { parseGuestMessage, type GuestMessage } from './messages.ts';
import { TimerTable } from './timers.ts';

/** What `startApp` takes: the app and every page by its manifest path. */
export interface StartAppOptions {
  /** The default export of `src/app.ts`. */
  app?: AppDefinition<any>;
  /** Pages by path (`'pages/index'`), exactly as in the manifest's `pages`. */
  pages: Record<string, PageDefinition<any, any>>;
}

type Failure = { code: string; message: string };
const MAX_MESSAGE = 500;
/** setData callbacks may cause more renders; at most this many rounds per entry. */
const MAX_RENDER_ROUNDS = 4;

/** Describes a thrown value as `Name: message`, bounded, never with a stack. */
export function describeError(error: unknown): string {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : typeof error === 'string' ? error : `Thrown ${typeof error}`;
    return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
  } catch {
    return 'Uncaught exception';
  }
}

const normalizeRoute = (route: string): string => route.replace(/^\/+/, '');

/** The dispatcher state of one app. */
export class GuestRuntime implements BridgeSink {
  readonly app: AppInstance<object>;
  readonly #appDefinition: AppDefinition<any> | undefined;
  readonly #pages = new Map<string, PageDefinition>();
  readonly #live = new Map<number, LivePage>();
  readonly #dirty = new Set<number>();
  readonly #pending = new Map<number, { resolve: (value: Json) => void; reject: (error: AtriumError) => void }>();
  readonly #timers: TimerTable;
  #calls: BridgeCall[] = [];
  #callSeq = 0;
  #entryError: string | undefined;

  constructor(options: StartAppOptions) {
    this.#appDefinition = options.app;
    this.app = { globalData: (options.app?.options.globalData ?? {}) as object };
    for (const [route, page] of Object.entries(options.pages)) {
      if (page?.kind !== 'atrium.page') throw new TypeError(`startApp: pages["${route}"] is not a definePage(...)`);
      this.#pages.set(normalizeRoute(route), page);
    }
    this.#timers = new TimerTable({ call: (api, args) => this.call(api, args), run: (where, fn) => this.#run(where, fn) });
  }

  /**
   * Adds the pages of a sub-package bundle the runtime just loaded (`registerSubpackage`). A route may be
   * registered once; the runtime loads each sub-package at most once per session.
   */
  addPages(name: string, pages: Record<string, PageDefinition<any, any>>): void {
    const added: Array<[string, PageDefinition]> = [];
    for (const [route, page] of Object.entries(pages)) {
      const path = normalizeRoute(route);
      if (page?.kind !== 'atrium.page') throw new TypeError(`registerSubpackage(${name}): pages["${route}"] is not a definePage(...)`);
      if (this.#pages.has(path)) throw new TypeError(`registerSubpackage(${name}): page "${path}" is already registered`);
      added.push([path, page]);
    }
    for (const [path, page] of added) this.#pages.set(path, page);
  }

  /** The dispatcher registered with `__atriumRegister`: one message string in, one `GuestOutbound` string out. */
  dispatch(json: string): string {
    setActiveSink(this);
    this.#entryError = undefined;
    const msg = typeof json === 'string' ? parseGuestMessage(json) : undefined;
    if (!msg) return JSON.stringify({ ok: false, code: 'BAD_MESSAGE', message: 'The guest cannot read this message' } satisfies GuestOutbound);
    const failure = this.#handle(msg);
    const snapshots = msg.t === 'snapshot' ? [...this.#live.values()].map((page) => ({ pageId: page.pageId, data: page.data as Json })) : undefined;
    if (failure) return JSON.stringify({ ok: false, ...failure } satisfies GuestOutbound);
    const renders = this.#renderDirty();
    if (this.#entryError !== undefined) {
      for (const render of renders) this.#dirty.add(render.pageId);
      return JSON.stringify({ ok: false, code: 'APP_ERROR', message: this.#entryError } satisfies GuestOutbound);
    }
    const out: GuestOutbound = { ok: true, renders, calls: this.#calls };
    if (snapshots) out.snapshots = snapshots;
    let output: string;
    try {
      output = JSON.stringify(out);
    } catch (error) {
      // A render that is not JSON (a cycle, a BigInt): drop the renders, keep the calls for the next entry.
      return JSON.stringify({ ok: false, code: 'APP_ERROR', message: `render: ${describeError(error)}` } satisfies GuestOutbound);
    }
    this.#calls = [];
    return output;
  }

  /** Queues a bridge call; its promise settles when the runtime's reply arrives. */
  call(api: string, args: Json): Promise<Json> {
    const id = ++this.#callSeq;
    this.#calls.push({ id, api, args });
    return new Promise<Json>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }

  setTimer(fn: (...args: unknown[]) => unknown, delay: unknown, repeat: boolean, args: unknown[]): number {
    return this.#timers.set(fn, delay, repeat, args);
  }

  clearTimer(id: unknown): void {
    this.#timers.clear(id);
  }

  #handle(msg: GuestMessage): Failure | undefined {
    switch (msg.t) {
      case 'flush':
      case 'snapshot':
        return undefined;
      case 'reply': {
        const pending = this.#pending.get(msg.id);
        if (!pending) return undefined;
        this.#pending.delete(msg.id);
        if (msg.ok) pending.resolve(msg.result);
        else pending.reject(new AtriumError(String(msg.error.code), String(msg.error.message ?? msg.error.code)));
        return undefined;
      }
      case 'timer':
        this.#timers.fire(msg.id);
        return undefined;
      case 'app': {
        const options = this.#appDefinition?.options;
        if (msg.hook === 'error') this.#reportToApp(msg.error);
        else if (msg.hook === 'launch') this.#run('app onLaunch', () => options?.onLaunch?.call(this.app, msg.options));
        else if (msg.hook === 'show') this.#run('app onShow', () => options?.onShow?.call(this.app, msg.options));
        else this.#run('app onHide', () => options?.onHide?.call(this.app));
        return undefined;
      }
      case 'page':
        return this.#pageHook(msg);
      case 'event': {
        const page = this.#live.get(msg.pageId);
        if (!page) return { code: 'PAGE_NOT_FOUND', message: `No open page with id ${msg.pageId}` };
        if (!hasHandler(page, msg.handler)) return { code: 'EVENT_HANDLER_UNKNOWN', message: `${page.route} has no handler "${msg.handler.slice(0, 64)}"` };
        const handler = page.instance[msg.handler] as (detail: Json) => unknown;
        this.#run(`${page.route} ${msg.handler}`, () => handler.call(page.instance, msg.detail));
        return undefined;
      }
    }
  }

  #pageHook(msg: Extract<GuestMessage, { t: 'page' }>): Failure | undefined {
    if (msg.hook === 'load' || msg.hook === 'restore') {
      const route = normalizeRoute(msg.route);
      const definition = this.#pages.get(route);
      if (!definition) return { code: 'PAGE_NOT_FOUND', message: `The app has no page "${route.slice(0, 256)}"` };
      if (this.#live.has(msg.pageId)) return { code: 'BAD_MESSAGE', message: `Page id ${msg.pageId} is already open` };
      const restored = msg.hook === 'restore' ? msg.data : undefined;
      let page: LivePage;
      try {
        page = openPage({ pageId: msg.pageId, route, query: msg.query, definition, restored, markDirty: (id) => this.#dirty.add(id) });
      } catch (error) {
        return { code: 'APP_ERROR', message: `${route} data: ${describeError(error)}` };
      }
      this.#live.set(msg.pageId, page);
      this.#dirty.add(msg.pageId);
      if (msg.hook === 'load') this.#run(`${route} onLoad`, () => definition.options.onLoad?.call(page.instance as never, msg.query));
      return undefined;
    }
    const page = this.#live.get(msg.pageId);
    if (!page) return { code: 'PAGE_NOT_FOUND', message: `No open page with id ${msg.pageId}` };
    const options = page.definition.options;
    const hooks = { show: options.onShow, hide: options.onHide, unload: options.onUnload, reachBottom: options.onReachBottom, pullDownRefresh: options.onPullDownRefresh };
    const hook = hooks[msg.hook];
    const hookName = `on${msg.hook[0]?.toUpperCase() ?? ''}${msg.hook.slice(1)}`;
    this.#run(`${page.route} ${hookName}`, () => hook?.call(page.instance as never));
    if (msg.hook === 'unload') {
      this.#live.delete(msg.pageId);
      this.#dirty.delete(msg.pageId);
    }
    return undefined;
  }

  /** Renders every dirty page (in id order), then runs its setData callbacks; repeats while callbacks set data. */
  #renderDirty(): Render[] {
    const renders = new Map<number, Render>();
    for (let round = 0; round < MAX_RENDER_ROUNDS && this.#dirty.size > 0; round++) {
      const ids = [...this.#dirty].sort((a, b) => a - b);
      this.#dirty.clear();
      for (const id of ids) {
        const page = this.#live.get(id);
        if (!page) continue;
        let tree: ViewNode | undefined;
        this.#run(`${page.route} render`, () => {
          const out = page.definition.options.render.call(page.instance as never, page.data) as unknown;
          if (out === null || (typeof out !== 'object' && typeof out !== 'string')) throw new TypeError('render must return a view element');
          tree = toRoot(out as ViewNode);
        });
        if (tree === undefined) continue;
        for (const name of missingHandlers(page, tree)) console.warn(`${page.route}: the view names handler "${name}", which the page does not define`);
        renders.set(id, { pageId: id, tree });
        const callbacks = page.callbacks;
        page.callbacks = [];
        for (const callback of callbacks) this.#run(`${page.route} setData callback`, callback);
      }
    }
    return [...renders.values()];
  }

  /** Runs app code: a throw becomes this entry's APP_ERROR (later ones are logged), a rejection goes to onError. */
  #run(where: string, fn: () => unknown): void {
    let result: unknown;
    try {
      result = fn();
    } catch (error) {
      const message = `${where}: ${describeError(error)}`;
      if (this.#entryError === undefined) this.#entryError = message;
      else console.error(message);
      return;
    }
    if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
      (result as PromiseLike<unknown>).then(undefined, (error: unknown) => {
        const message = `${where}: ${describeError(error)}`;
        console.error(message);
        this.#reportToApp(message);
      });
    }
  }

  /** Calls the app's onError; an error inside onError is only logged. */
  #reportToApp(message: string): void {
    const onError = this.#appDefinition?.options.onError;
    if (!onError) return;
    try {
      onError.call(this.app, message);
    } catch (error) {
      console.error(`app onError: ${describeError(error)}`);
    }
  }
}
