/**
 * @module `startApp`: the bundle entry's one call. It registers the guest framework's dispatcher with the
 * runtime's prelude (`globalThis.__atriumRegister`, callable once) and installs the host-granted timers as the
 * global `setTimeout`/`setInterval`/`clear*` when the isolate has none.
 */
import { atrium } from '../bridge/client.ts';
import { GUEST_GLOBALS } from '../protocol.ts';
import { setActiveSink } from './context.ts';
import { GuestRuntime, type StartAppOptions } from './runtime.ts';

/**
 * Starts the app: call it once, at the top level of the bundle's entry (generated from the manifest by the
 * host's bundler or the CLI, see `createEntrySource`).
 * @example
 * import { startApp } from '@atrium/sdk';
 * import app from './src/app.ts';
 * import index from './src/pages/index.tsx';
 * startApp({ app, pages: { 'pages/index': index } });
 */
export function startApp(options: StartAppOptions): void {
  const g = globalThis as Record<string, unknown>;
  const register = g[GUEST_GLOBALS.REGISTER];
  if (typeof register !== 'function') {
    throw new Error(`startApp: ${GUEST_GLOBALS.REGISTER} is missing — the bundle must run inside the Atrium runtime, and startApp may run only once`);
  }
  const runtime = new GuestRuntime(options);
  setActiveSink(runtime);
  for (const name of ['setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] as const) {
    if (typeof g[name] !== 'function') Object.defineProperty(g, name, { value: atrium[name], writable: true, configurable: true });
  }
  // Sub-package bundles, loaded later into this isolate, add their pages here (registerSubpackage).
  Object.defineProperty(g, GUEST_GLOBALS.ADD_PAGES, {
    value: (name: string, pages: StartAppOptions['pages']) => {
      runtime.addPages(String(name), pages);
      return runtime;
    },
    writable: false,
    enumerable: false,
    configurable: true,
  });
  (register as (dispatch: (msg: string) => string) => void)((msg) => runtime.dispatch(msg));
}

export type { StartAppOptions };
