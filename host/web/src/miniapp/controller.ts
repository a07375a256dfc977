/**
 * @module One running mini-app in this tab: launches it (or resumes the session kept in `sessionStorage`
 * across reloads), feeds the socket's frames to the container's reducer, and sends the person's events,
 * navigations, back and prompt answers. Re-attaches on every reconnect; a lost session is launched afresh.
 */
import type { AppPrompt, LaunchResult } from '../../../src/sessions/protocol.ts';
import { SOCKET_CLOSED, SOCKET_TIMEOUT, SocketError } from '../realtime/messages.ts';
import type { RealtimeSocket } from '../realtime/socket.ts';
import { createStore, type Store } from '../state/store.ts';
import { initialState, reduce, type ApplyPatches, type ContainerAction, type ContainerState } from './container-state.ts';
import { containerPath, type LaunchTarget } from './launch-link.ts';
import { eventMessage, navigatorMessage, type LaunchRequest } from './outgoing.ts';
import { PendingPresses } from './pending.ts';
import { promptReply, type PromptAnswer } from './prompt-reply.ts';

/** A preview link's token (see host/src/developer/previews.ts). */
const PREVIEW_TOKEN = /^pv[0-9a-z]{24}$/;

const FRAME_TYPES = ['app.page', 'app.patch', 'app.ui', 'app.prompt', 'app.crashed'] as const;
/** The host's answer for a session it no longer has (restarted, evicted, closed elsewhere). */
const SESSION_GONE = 'SESSION_NOT_FOUND';
/** Launching may wait for a fresh isolate and the first render. */
const LAUNCH_TIMEOUT_MS = 20_000;

function storageKey(appId: string): string {
  return `atrium.miniapp.${appId}`;
}

/**
 * The session kept for this launch address in this tab (not a secret: it only works with this device's token).
 * Kept per address, so a reload resumes, while another link of the same app launches afresh.
 */
export function storedSession(target: LaunchTarget): string | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(storageKey(target.appId)) ?? 'null') as { session?: unknown; link?: unknown } | null;
    const session = value?.session;
    return typeof session === 'string' && /^ses_[0-9a-z]+$/.test(session) && value?.link === containerPath(target) ? session : undefined;
  } catch {
    return undefined;
  }
}

/** The session kept for the app, whichever address it was launched from. */
function anyStoredSession(appId: string): string | undefined {
  try {
    const session = (JSON.parse(sessionStorage.getItem(storageKey(appId)) ?? 'null') as { session?: unknown } | null)?.session;
    return typeof session === 'string' ? session : undefined;
  } catch {
    return undefined;
  }
}

function keepSession(target: LaunchTarget, session: string | undefined): void {
  try {
    if (session) sessionStorage.setItem(storageKey(target.appId), JSON.stringify({ session, link: containerPath(target) }));
    else sessionStorage.removeItem(storageKey(target.appId));
  } catch {
    // Storage disabled: a reload launches afresh.
  }
}

function codeOf(error: unknown): { code: string; message: string } {
  if (error instanceof SocketError) return { code: error.code, message: error.message };
  return { code: 'UNKNOWN', message: error instanceof Error ? error.message : String(error) };
}

/** Drives one app session for the container screen. */
export class MiniAppController {
  readonly state: Store<ContainerState> = createStore(initialState());
  /** Bumped whenever a pending press starts or ends, so buttons re-render. */
  readonly pressVersion: Store<number> = createStore(0);
  readonly presses = new PendingPresses();
  readonly #interactions = new Map<number, number>();
  readonly #target: LaunchTarget;
  readonly #socket: RealtimeSocket;
  readonly #apply: ApplyPatches;
  readonly #off: Array<() => void> = [];
  #pressTimer: ReturnType<typeof setTimeout> | undefined;
  #toastTimer: ReturnType<typeof setTimeout> | undefined;
  #attaching = false;

  constructor(target: LaunchTarget, socket: RealtimeSocket, apply: ApplyPatches) {
    this.#target = target;
    this.#socket = socket;
    this.#apply = apply;
  }

  /** Starts listening and attaches (resume when a session is kept, else launch); returns the stopper. */
  start(): () => void {
    for (const t of FRAME_TYPES) {
      this.#off.push(
        this.#socket.subscribe(t, (frame) => {
          if (frame.t === 'app.patch' && frame.session === this.state.get().session && this.presses.patched(frame.pageId)) this.#pressesChanged();
          this.#dispatch({ type: 'frame', frame });
        }),
      );
    }
    // Development hosts (`atrium dev`): a new version relaunches the app; a failed build shows its first problem.
    this.#off.push(
      this.#socket.subscribe('app.reload', (frame) => {
        if (frame.session === this.state.get().session) this.reload();
      }),
    );
    this.#off.push(
      this.#socket.subscribe('app.build_error', (frame) => {
        if (frame.session !== this.state.get().session) return;
        console.warn(`${frame.appId} does not build:\n${frame.lines.join('\n')}`);
        // `atrium dev` sends esbuild failures, and the type check's and lints' problems of a build that runs.
        const first = frame.lines[0] ?? '';
        const what = first.startsWith('TYPECHECK_FAILED') ? 'Type error' : first.startsWith('LINT_FAILED') ? 'Lint error' : 'Build failed';
        this.#dispatch({ type: 'frame', frame: { t: 'app.ui', session: frame.session, kind: 'toast', icon: 'error', title: `${what}: ${frame.lines[1] ?? first}`.slice(0, 200), durationMs: 8000 } });
      }),
    );
    this.#off.push(this.#socket.onConnected(() => void this.#attach()));
    this.#off.push(
      this.state.subscribe(() => {
        if (this.state.get().outOfSync) void this.#attach();
      }),
    );
    const other = anyStoredSession(this.#target.appId);
    if (other && other !== storedSession(this.#target)) {
      // Another address of this app was open in this tab: that session is over.
      this.#socket.request({ t: 'app.close', session: other }).catch(() => undefined);
      keepSession(this.#target, undefined);
    }
    void this.#attach();
    return () => this.#stop();
  }

  /** Leaves the app: tells the host and forgets the session. */
  close(): void {
    const session = this.state.get().session;
    if (session) this.#socket.send({ t: 'app.close', session });
    keepSession(this.#target, undefined);
    this.#stop();
  }

  /** Starts the app again from its launch page (menu "Reload", or after a crash). */
  reload(): void {
    const { session, status } = this.state.get();
    if (session && status !== 'crashed') this.#socket.send({ t: 'app.close', session });
    keepSession(this.#target, undefined);
    void this.#launch();
  }

  /** Back within the app when its stack has more than one page; false when the container should be left. */
  back(): boolean {
    const { session, stack, status } = this.state.get();
    if (!session || status !== 'running' || stack.length <= 1) return false;
    this.#socket.request({ t: 'app.back', session }).catch((error: unknown) => this.#refused(error, 'back'));
    return true;
  }

  /**
   * Sends an event for `handler` of page `pageId`. With `pressed`, that node shows its loading state until the
   * page's next patch (or the timeout).
   */
  emit(pageId: number, handler: string, detail: unknown, pressed?: number): void {
    const session = this.state.get().session;
    if (!session) return;
    if (pressed !== undefined) {
      this.#interactions.set(pageId, (this.#interactions.get(pageId) ?? 0) + 1);
      this.presses.press(pageId, pressed, Date.now());
      this.#pressesChanged();
    }
    this.#socket.request(eventMessage(session, pageId, handler, detail)).catch((error: unknown) => {
      if (pressed !== undefined) {
        this.presses.release(pageId, pressed);
        this.#pressesChanged();
      }
      this.#refused(error, `event ${handler}`);
    });
  }

  /** A navigator was tapped. */
  navigate(url: unknown, openType: unknown): void {
    const session = this.state.get().session;
    const message = session ? navigatorMessage(session, url, openType) : undefined;
    if (message) this.#socket.request(message).catch((error: unknown) => this.#refused(error, 'navigation'));
  }

  /** Answers `prompt` and takes its sheet away. */
  answer(prompt: AppPrompt, answer: PromptAnswer): void {
    this.#dispatch({ type: 'answered', promptId: prompt.promptId });
    // Waits for the connection when it is down: an unanswered prompt would otherwise time out on the host.
    this.#socket.request(promptReply(prompt, answer)).catch((error: unknown) => this.#refused(error, 'prompt answer'));
  }

  /** How many presses and submits page `pageId` has seen (fields reset to the app's value after one). */
  interactions(pageId: number): number {
    return this.#interactions.get(pageId) ?? 0;
  }

  /** True while node `nodeId` of page `pageId` waits for its page's patch. */
  isPressed(pageId: number, nodeId: number): boolean {
    return this.presses.isPending(pageId, nodeId, Date.now());
  }

  /** A request was refused: a session the host no longer has is launched afresh; anything else is only logged. */
  #refused(error: unknown, what: string): void {
    const { code } = codeOf(error);
    if (code === SESSION_GONE && this.state.get().status !== 'crashed') {
      keepSession(this.#target, undefined);
      void this.#launch();
      return;
    }
    console.warn(`${what} was not delivered`, codeOf(error));
  }

  #dispatch(action: ContainerAction): void {
    const before = this.state.get().toast;
    this.state.set((state) => reduce(state, action, this.#apply));
    const toast = this.state.get().toast;
    if (toast && toast !== before) {
      clearTimeout(this.#toastTimer);
      const id = toast.id;
      this.#toastTimer = setTimeout(() => this.#dispatch({ type: 'toast-over', id }), Math.min(Math.max(toast.durationMs || 1500, 500), 10_000));
    }
    const live = new Set(this.state.get().stack.map((page) => page.pageId));
    this.presses.prune(live, Date.now());
  }

  async #attach(): Promise<void> {
    if (this.#attaching) return;
    const session = this.state.get().session ?? storedSession(this.#target);
    if (!session || this.state.get().status === 'crashed') {
      if (this.state.get().session === undefined) await this.#launch();
      return;
    }
    this.#attaching = true;
    this.#dispatch({ type: 'resuming', session });
    try {
      const result = await this.#socket.request<LaunchResult | null>({ t: 'app.resume', session }, LAUNCH_TIMEOUT_MS);
      this.#dispatch({ type: 'resumed', result: result && typeof result === 'object' && 'app' in result ? result : undefined });
      keepSession(this.#target, session);
    } catch (error) {
      const { code } = codeOf(error);
      // Offline: the next connection tries again. Anything else means the host no longer has the session.
      if (code !== SOCKET_TIMEOUT && code !== SOCKET_CLOSED) {
        keepSession(this.#target, undefined);
        this.#attaching = false;
        await this.#launch();
      }
    } finally {
      this.#attaching = false;
    }
  }

  async #launch(): Promise<void> {
    if (this.#attaching) return;
    this.#attaching = true;
    this.#dispatch({ type: 'launching' });
    const { appId, path } = this.#target;
    // A preview link (`?preview=pv…`, from the developer platform) opens that version; it is not the app's query.
    const { preview, ...query } = this.#target.query;
    const previewToken = preview && PREVIEW_TOKEN.test(preview) ? preview : undefined;
    const message: LaunchRequest = {
      t: 'app.launch',
      appId,
      ...(path ? { path } : {}),
      ...(Object.keys(query).length ? { query } : {}),
      ...(previewToken ? { preview: previewToken } : {}),
    };
    try {
      const result = await this.#socket.request<LaunchResult>(message, LAUNCH_TIMEOUT_MS);
      keepSession(this.#target, result.session);
      this.#dispatch({ type: 'launched', result });
    } catch (error) {
      const { code, message: text } = codeOf(error);
      this.#dispatch({ type: 'failed', code, message: text });
    } finally {
      this.#attaching = false;
    }
  }

  #pressesChanged(): void {
    this.presses.prune(new Set(this.state.get().stack.map((page) => page.pageId)), Date.now());
    this.pressVersion.set((n) => n + 1);
    clearTimeout(this.#pressTimer);
    const next = this.presses.nextExpiry();
    if (next !== undefined) this.#pressTimer = setTimeout(() => this.#pressesChanged(), Math.max(0, next - Date.now()) + 10);
  }

  #stop(): void {
    for (const off of this.#off.splice(0)) off();
    clearTimeout(this.#pressTimer);
    clearTimeout(this.#toastTimer);
  }
}
