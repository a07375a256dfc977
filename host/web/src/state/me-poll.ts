/**
 * @module Keeps the account fresh while the tab is visible and the realtime socket is down: `GET /v1/me`
 * every 5 s, so a device signed out elsewhere notices within seconds (while the socket is connected, its 4403
 * close says so at once), and a token refresh after sleep.
 */
import { getMe } from '../api/account.ts';
import { hasSession, refreshIfStale } from '../api/client.ts';
import { realtimeConnected } from '../realtime/connection.ts';
import { updateMe } from './session.ts';

const POLL_MS = 5_000;

/** Starts polling; returns the function that stops it. */
export function startMePolling(): () => void {
  let busy = false;
  const tick = async (): Promise<void> => {
    if (busy || document.visibilityState !== 'visible' || !hasSession() || realtimeConnected()) return;
    busy = true;
    try {
      updateMe(await getMe());
    } catch {
      // A lost session is reported by the client; network hiccups wait for the next tick.
    } finally {
      busy = false;
    }
  };
  const wake = (): void => {
    if (document.visibilityState !== 'visible') return;
    refreshIfStale();
    void tick();
  };
  const timer = setInterval(() => void tick(), POLL_MS);
  document.addEventListener('visibilitychange', wake);
  window.addEventListener('online', wake);
  return () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', wake);
    window.removeEventListener('online', wake);
  };
}
