/**
 * @module Browser tests: Debian's Chromium driven by playwright-core, against a real host served on
 * 127.0.0.1 with a temporary database. Without Chromium the tests are skipped with a clear reason.
 */
import { existsSync } from 'node:fs';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createHost, type Host } from '../../host/src/app.ts';
import type { HostConfig } from '../../host/src/config.ts';
import { tempDatabase } from '../../host/src/db/database.ts';
import { serveHost } from '../../host/src/server.ts';
import { TEST_PASSWORD, testConfig } from './host.ts';

export const CHROMIUM = process.env.ATRIUM_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests are skipped, or false when they run. */
export const browserSkip: string | false = existsSync(CHROMIUM)
  ? false
  : `Chromium not found at ${CHROMIUM}: run "apt-get update && apt-get install -y chromium" (or set ATRIUM_CHROMIUM) to run the browser tests`;

if (browserSkip) process.stderr.write(`\n⚠ browser tests skipped — ${browserSkip}\n\n`);

/** Launches headless Chromium the way this machine needs it. */
export async function launchBrowser(): Promise<Browser & AsyncDisposable> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-quic', '--no-first-run', '--disable-sync'],
  });
  return Object.assign(browser, { [Symbol.asyncDispose]: () => browser.close() });
}

/** A real host listening on 127.0.0.1 (an ephemeral port). */
export interface ServedHost extends AsyncDisposable {
  url: string;
  host: Host;
}

/** Serves a fresh host over HTTP for browser tests (`overrides` on top of the test configuration). */
export async function serveTestHost(overrides: Partial<HostConfig> = {}): Promise<ServedHost> {
  const database = tempDatabase();
  let host: Host | undefined;
  const { server, port } = await serveHost(() => host, { hostname: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${port}`;
  host = createHost({ db: database, config: testConfig({ ...overrides, publicUrl: url }), logger: pino({ level: process.env.TEST_LOG ?? 'silent' }) });
  return {
    url,
    host,
    async [Symbol.asyncDispose]() {
      host?.services.stop();
      if ('closeAllConnections' in server) server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await host?.services.bus.close();
      await database[Symbol.asyncDispose]();
    },
  };
}

/** Calls the served host's API as a client would; throws on any status ≥ 300, returns the JSON body. */
export async function apiCall(served: ServedHost, method: string, path: string, token?: string, json?: unknown): Promise<any> {
  const res = await fetch(`${served.url}${path}`, {
    method,
    headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? undefined : res.json();
}

/** Signs `handle` (password {@link TEST_PASSWORD}) in through the shell's sign-in page and waits for Home. */
export async function signInPage(page: Page, url: string, handle: string): Promise<void> {
  await page.goto(`${url}/signin`);
  await page.getByTestId('signin-handle').fill(handle);
  await page.getByTestId('signin-password').fill(TEST_PASSWORD);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('home-display-name').waitFor();
}
