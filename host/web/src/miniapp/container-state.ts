/**
 * @module The container's state as a pure reducer over what the host says: the launch result, the page stack
 * (`app.page`), each page's mirror of its view tree (`app.patch`), toasts and titles (`app.ui`), prompts and
 * crashes. Frames for other sessions are ignored; frames that arrive before the launch is acknowledged wait.
 */
import type { PatchRecord, WireNode } from '../../../../sdk/src/protocol.ts';
import type { AppPrompt, AppServerMessage, AppUiMessage, LaunchResult } from '../../../src/sessions/protocol.ts';

/** One page of the app's stack. */
export interface StackPage {
  pageId: number;
  route: string;
  title: string;
}

/** A toast on screen. */
export type Toast = Omit<Extract<AppUiMessage, { kind: 'toast' }>, 't' | 'session' | 'kind'> & { id: number };

/** Where the container stands. */
export interface ContainerState {
  /** `launching` until the host acknowledges; `crashed` after `app.crashed`; `failed` when launching failed. */
  status: 'launching' | 'running' | 'crashed' | 'failed';
  session: string | undefined;
  app: LaunchResult['app'] | undefined;
  window: LaunchResult['window'] | undefined;
  /** The app's tab bar (pages reached with `switchTab`), when its manifest has one. */
  tabBar: NonNullable<LaunchResult['tabBar']>;
  stack: StackPage[];
  /** Each live page's mirror of its view tree (absent until its first `MOUNT`). */
  trees: ReadonlyMap<number, WireNode>;
  toast: Toast | undefined;
  /** Prompts in arrival order; the first one is shown. */
  prompts: AppPrompt[];
  /** Why it crashed or failed. */
  problem: { code: string; message: string } | undefined;
  /** A patch did not apply to a mirror: the full trees must be fetched again (`app.resume`). */
  outOfSync: boolean;
  /** Frames that came before the launch's ack named the session. */
  early: AppServerMessage[];
  /** Counts toasts, so each one gets its own id. */
  toasts: number;
}

/** What changes the state. */
export type ContainerAction =
  | { type: 'launching' }
  | { type: 'launched'; result: LaunchResult }
  /** About to re-attach to `session` (`app.resume`): its frames count from now on; the mirrors stay until the host's `MOUNT`s replace them. */
  | { type: 'resuming'; session: string }
  /** The host took the resume; its result, when it sends one, refreshes the app and window. */
  | { type: 'resumed'; result: LaunchResult | undefined }
  | { type: 'failed'; code: string; message: string }
  | { type: 'frame'; frame: AppServerMessage }
  | { type: 'answered'; promptId: number }
  | { type: 'toast-over'; id: number };

/** Applies patches to a mirror (the SDK's `applyPatches`; injected so this module stays free of it). */
export type ApplyPatches = (root: WireNode | undefined, patches: readonly PatchRecord[]) => WireNode;

/** The state before anything happened. */
export function initialState(): ContainerState {
  return { status: 'launching', session: undefined, app: undefined, window: undefined, tabBar: [], stack: [], trees: new Map(), toast: undefined, prompts: [], problem: undefined, outOfSync: false, early: [], toasts: 0 };
}

/** The title the top bar shows: the top page's, else the window's, else the app's name. */
export function currentTitle(state: ContainerState): string {
  return state.stack.at(-1)?.title || state.window?.title || state.app?.name || '';
}

/** The next state. */
export function reduce(state: ContainerState, action: ContainerAction, apply: ApplyPatches): ContainerState {
  switch (action.type) {
    case 'launching':
      return { ...initialState(), app: state.app, window: state.window, tabBar: state.tabBar, toasts: state.toasts };
    case 'launched': {
      const { result } = action;
      const running: ContainerState = { ...state, status: 'running', session: result.session, app: result.app, window: result.window, tabBar: result.tabBar ?? [], early: [], problem: undefined };
      return state.early.filter((frame) => frame.session === result.session).reduce((next, frame) => onFrame(next, frame, apply), running);
    }
    case 'resuming':
      return { ...state, session: action.session, outOfSync: false };
    case 'resumed':
      return { ...state, status: 'running', app: action.result?.app ?? state.app, window: action.result ? { ...state.window, ...action.result.window } : state.window, tabBar: action.result?.tabBar ?? state.tabBar, problem: undefined };
    case 'failed':
      return { ...state, status: 'failed', problem: { code: action.code, message: action.message } };
    case 'frame':
      if (state.status === 'launching' && state.session === undefined) return { ...state, early: [...state.early.slice(-200), action.frame] };
      return action.frame.session === state.session ? onFrame(state, action.frame, apply) : state;
    case 'answered':
      return { ...state, prompts: state.prompts.filter((prompt) => prompt.promptId !== action.promptId) };
    case 'toast-over':
      return state.toast?.id === action.id ? { ...state, toast: undefined } : state;
  }
}

function onFrame(state: ContainerState, frame: AppServerMessage, apply: ApplyPatches): ContainerState {
  switch (frame.t) {
    case 'app.page': {
      const live = new Set(frame.stack.map((page) => page.pageId));
      const trees = new Map([...state.trees].filter(([pageId]) => live.has(pageId)));
      // A page keeps the title it had (e.g. from `setNavigationBarTitle`) when the host sends none for it.
      const known = new Map(state.stack.map((page) => [page.pageId, page.title]));
      return { ...state, stack: frame.stack.map(({ pageId, route, title }) => ({ pageId, route, title: title || known.get(pageId) || '' })), trees };
    }
    case 'app.patch': {
      if (frame.patches.length === 0) return state;
      try {
        const tree = apply(state.trees.get(frame.pageId), frame.patches);
        const trees = new Map(state.trees);
        trees.set(frame.pageId, tree);
        return { ...state, trees };
      } catch {
        return { ...state, outOfSync: true };
      }
    }
    case 'app.ui':
      if (frame.kind === 'title') {
        return { ...state, stack: state.stack.map((page) => (page.pageId === frame.pageId ? { ...page, title: frame.title } : page)) };
      }
      return { ...state, toasts: state.toasts + 1, toast: { id: state.toasts + 1, title: frame.title, icon: frame.icon, durationMs: frame.durationMs } };
    case 'app.prompt':
      return state.prompts.some((prompt) => prompt.promptId === frame.promptId) ? state : { ...state, prompts: [...state.prompts, frame] };
    case 'app.crashed':
      return { ...state, status: 'crashed', problem: { code: frame.code, message: frame.message }, prompts: [], toast: undefined };
    case 'app.reload':
    case 'app.build_error':
      return state; // development hosts: the controller relaunches or shows a toast
  }
}
