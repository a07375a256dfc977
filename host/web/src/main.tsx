/** @module The shell's entry: styles, language, session restore, and the app mounted into `#app`. */
import { render } from 'preact';
import { App } from './app.tsx';
import { loadCatalog, localeStore } from './i18n/index.ts';
import { startRealtime } from './realtime/connection.ts';
import { startLocaleSync } from './state/locale-sync.ts';
import { startMePolling } from './state/me-poll.ts';
import { restoreSession } from './state/session.ts';
import './styles/app.css';

startLocaleSync();
startMePolling();
startRealtime();
void restoreSession();

function mount(): void {
  const root = document.getElementById('app');
  if (!root) return;
  root.textContent = '';
  render(<App />, root);
}

// The first screen waits for its language (a small chunk, fetched while the session restores).
loadCatalog(localeStore.get()).then(mount, mount);
