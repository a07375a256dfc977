/**
 * @module Who is signed in on this tab. Restored at start from the refresh cookie, adopted after sign-in,
 * dropped on sign-out or when the server says the device was signed out; other tabs follow through a
 * BroadcastChannel.
 */
import { signOut as apiSignOut } from '../api/auth.ts';
import { adoptTokens, forgetTokens, onSessionLost, onSessionRefreshed, refreshSession } from '../api/client.ts';
import { ApiError, NETWORK_ERROR } from '../api/problem.ts';
import type { Device, Me, Session } from '../api/types.ts';
import { createStore, useStore } from './store.ts';

/** The session as screens see it. */
export type SessionState =
  | { status: 'loading' }
  /** The server could not be reached while restoring; the person may retry. */
  | { status: 'unreachable' }
  /**
   * `reason`: `revoked` when the server ended this device's session (the sign-in screen says so), `signed-out`
   * when the person signed out (here or in another tab), none when there was no session.
   */
  | { status: 'signed-out'; reason: 'revoked' | 'signed-out' | undefined }
  | { status: 'signed-in'; me: Me; device: Device };

export const sessionStore = createStore<SessionState>({ status: 'loading' });

type TabMessage = 'signed-in' | 'signed-out';
const channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('atrium-session');

onSessionRefreshed((session) => showSession(session));
onSessionLost(() => sessionStore.set({ status: 'signed-out', reason: 'revoked' }));
channel?.addEventListener('message', (event: MessageEvent<TabMessage>) => {
  if (event.data === 'signed-in') {
    // Another tab signed in: the cookie now belongs to that session, so follow it.
    refreshSession().catch(() => undefined);
  } else if (event.data === 'signed-out' && sessionStore.get().status === 'signed-in') {
    forgetTokens();
    sessionStore.set({ status: 'signed-out', reason: 'signed-out' });
  }
});

function showSession(session: Session): void {
  sessionStore.set({ status: 'signed-in', me: session.user, device: session.device });
}

/** Restores the session from the HttpOnly refresh cookie; without one, the tab is signed out. */
export async function restoreSession(): Promise<void> {
  sessionStore.set({ status: 'loading' });
  try {
    await refreshSession();
  } catch (error) {
    const offline = error instanceof ApiError && (error.code === NETWORK_ERROR || error.status >= 500);
    sessionStore.set(offline ? { status: 'unreachable' } : { status: 'signed-out', reason: undefined });
  }
}

/** Starts using a session the server just gave (sign-up, sign-in, scan-to-login). */
export function adoptSession(session: Session): void {
  adoptTokens(session);
  showSession(session);
  channel?.postMessage('signed-in' satisfies TabMessage);
}

/** Signs this device out, here and in the other tabs. */
export async function signOut(): Promise<void> {
  try {
    await apiSignOut();
  } catch {
    // Already signed out on the server, or offline: forget the session here anyway.
  }
  forgetTokens();
  sessionStore.set({ status: 'signed-out', reason: 'signed-out' });
  channel?.postMessage('signed-out' satisfies TabMessage);
}

/** Shows fresher account data (after an edit or a poll). */
export function updateMe(me: Me): void {
  const state = sessionStore.get();
  if (state.status !== 'signed-in' || JSON.stringify(state.me) === JSON.stringify(me)) return;
  sessionStore.set({ ...state, me });
}

/** The session; the component re-renders when it changes. */
export function useSession(): SessionState {
  return useStore(sessionStore);
}

/** The signed-in person, or `undefined`. */
export function useMe(): Me | undefined {
  const state = useSession();
  return state.status === 'signed-in' ? state.me : undefined;
}
