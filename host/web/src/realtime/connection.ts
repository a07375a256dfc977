/**
 * @module The tab's realtime connection: one {@link RealtimeSocket}, connected while someone is signed in,
 * re-authenticated after every token refresh; a 4403 close signs the tab out like a revoked session's 401.
 */
import { useEffect, useRef } from 'preact/hooks';
import { accessToken, onSessionRefreshed, refreshSession, reportSessionLost } from '../api/client.ts';
import { sessionStore } from '../state/session.ts';
import { useStore } from '../state/store.ts';
import { CLOSE } from './messages.ts';
import { RealtimeSocket, type SocketStatus } from './socket.ts';

/** The socket's address on this page's host. */
function socketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/v1/ws`;
}

/** The tab's socket. */
export const realtime = new RealtimeSocket({
  url: socketUrl,
  token: accessToken,
  async onAuthClose(code) {
    if (code === CLOSE.DEVICE_REVOKED) return reportSessionLost('AUTH_DEVICE_REVOKED');
    await refreshSession(); // a lost session is reported by the client, which stops the socket
  },
});

/** Starts following the session; returns the function that stops. */
export function startRealtime(): () => void {
  const follow = (): void => {
    if (sessionStore.get().status === 'signed-in') realtime.start();
    else realtime.stop();
  };
  follow();
  const offSession = sessionStore.subscribe(follow);
  const offRefresh = onSessionRefreshed(() => realtime.reauthenticate());
  const wake = (): void => {
    if (document.visibilityState === 'visible') realtime.nudge();
  };
  document.addEventListener('visibilitychange', wake);
  window.addEventListener('online', wake);
  return () => {
    offSession();
    offRefresh();
    document.removeEventListener('visibilitychange', wake);
    window.removeEventListener('online', wake);
    realtime.stop();
  };
}

/** True while the socket is authenticated (revocation then arrives as a 4403 close, no polling needed). */
export function realtimeConnected(): boolean {
  return realtime.status.get() === 'ready';
}

/**
 * True while pushed updates can arrive: the browser is online and the socket authenticated. (A socket can still
 * read as ready for a while after the network went away, until its ping goes unanswered.)
 */
export function realtimeLive(): boolean {
  return navigator.onLine && realtimeConnected();
}

/** The socket's status; the component re-renders when it changes. */
export function useRealtimeStatus(): SocketStatus {
  return useStore(realtime.status);
}

/**
 * Calls `onUpdate` whenever the host says this person's wallet moved (`wallet.update`), and when the socket
 * (re)connects, since updates sent while it was down are not replayed.
 * @example useWalletUpdates(() => void wallet.reload());
 */
export function useWalletUpdates(onUpdate: () => void): void {
  const latest = useRef(onUpdate);
  latest.current = onUpdate;
  useEffect(() => {
    const offUpdate = realtime.subscribe('wallet.update', () => latest.current());
    const offConnected = realtime.onConnected(() => latest.current());
    return () => {
      offUpdate();
      offConnected();
    };
  }, []);
}
