/**
 * Browser test of a mini-app in the shell: the Todo sample opened from its link, used, reloaded (the session
 * resumes with its state), a detail page opened and left with the shell's back button, and the app's menu.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { loadDevApps } from '../../host/src/apps/dev-loader.ts';
import { browserSkip, launchBrowser, serveTestHost, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

const MINIAPPS = fileURLToPath(new URL('../../miniapps', import.meta.url));

/** A guest (what the SDK's framework produces, written by hand) whose "Crash" button loops forever. */
const CRASHY = `
const pages = {};
const view = (id) => ({ type: 'view', props: {}, children: [
  { type: 'text', props: {}, children: ['Taps: ' + pages[id].taps] },
  { type: 'button', props: { onTap: 'tap' }, children: ['Tap'] },
  { type: 'button', props: { onTap: 'crash' }, children: ['Crash'] },
] });
globalThis.__atriumRegister((raw) => {
  const msg = JSON.parse(raw);
  const out = { ok: true, renders: [], calls: [] };
  if (msg.t === 'page' && (msg.hook === 'load' || msg.hook === 'restore')) { pages[msg.pageId] = { taps: 0 }; out.renders.push({ pageId: msg.pageId, tree: view(msg.pageId) }); }
  if (msg.t === 'event' && msg.handler === 'tap') { pages[msg.pageId].taps += 1; out.renders.push({ pageId: msg.pageId, tree: view(msg.pageId) }); }
  if (msg.t === 'event' && msg.handler === 'crash') { for (;;) {} }
  return JSON.stringify(out);
});
`;

describe('shell: a mini-app in a real browser', () => {
  let served: ServedHost;
  let browser: Browser;

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost();
    const { registry, network } = served.host.services.apps;
    await loadDevApps({ registry, root: MINIAPPS, backends: { network, atriumUrl: served.url } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await served?.[Symbol.asyncDispose]();
  });

  it('opens the Todo sample from its link, adds and completes items, and finds them after a reload', { skip: browserSkip }, async () => {
    const context = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
    });
    try {
      await page.goto(`${served.url}/signup`);
      await page.getByTestId('signup-handle').fill('ada');
      await page.getByTestId('signup-display-name').fill('Ada');
      await page.getByTestId('signup-password').fill(TEST_PASSWORD);
      await page.getByTestId('signup-submit').click();
      await page.getByTestId('home-display-name').waitFor();

      await page.goto(`${served.url}/a/dev.atrium.todo`);
      await page.getByTestId('miniapp-view').waitFor();
      assert.equal(await page.getByTestId('miniapp-title').textContent(), 'Todo');

      const input = page.locator('.mp-input');
      await input.pressSequentially('Milk', { delay: 20 });
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText('1 left of 1').waitFor();
      // The field shows the app's value again once the person stopped typing (it may settle a frame later).
      await page.waitForFunction(() => (document.querySelector('.mp-input') as HTMLInputElement | null)?.value === '', undefined, { timeout: 5000 });
      assert.equal(await input.inputValue(), '', 'the app cleared its draft');
      await input.pressSequentially('Bread', { delay: 20 });
      await input.press('Enter');
      await page.getByText('2 left of 2').waitFor();
      await page.locator('.mp-checkbox input').first().check();
      await page.getByText('1 left of 2').waitFor();

      await page.reload();
      await page.getByText('1 left of 2').waitFor();
      assert.equal(await page.locator('.mp-checkbox input').first().isChecked(), true, 'resumed with its state');

      await page.getByRole('button', { name: 'Details' }).nth(1).click();
      await page.locator('[data-testid="miniapp-view"][data-route="pages/detail"]').waitFor();
      // The page sets its title with atrium.setNavigationBarTitle once it has read the item.
      await page.getByTestId('miniapp-title').filter({ hasText: 'Bread' }).waitFor();
      await page.getByTestId('miniapp-back').click();
      await page.locator('[data-testid="miniapp-view"][data-route="pages/index"]').waitFor();

      await page.getByRole('button', { name: 'Clear done' }).click();
      await page.getByText('1 left of 1').waitFor();
      await page.getByTestId('miniapp-toast').filter({ hasText: 'Cleared' }).waitFor();
      assert.deepEqual(problems, [], 'no script errors and no CSP violations');
    } finally {
      await context.close();
    }
  });

  it('asks for consent in a sheet, lets the person revoke it from the app menu, remembers a denial, and logs access', { skip: browserSkip }, async () => {
    const context = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${served.url}/signup`);
      await page.getByTestId('signup-handle').fill('grace');
      await page.getByTestId('signup-display-name').fill('Grace Hopper');
      await page.getByTestId('signup-password').fill(TEST_PASSWORD);
      await page.getByTestId('signup-submit').click();
      await page.getByTestId('home-display-name').waitFor();

      await page.goto(`${served.url}/a/dev.atrium.profile`);
      await page.getByTestId('miniapp-view').waitFor();
      await page.getByRole('button', { name: 'Greet me' }).click();
      await page.getByText('To greet you by your name').waitFor(); // the manifest's reason, in the sheet
      await page.getByTestId('consent-allow').click();
      await page.getByText('Hello, Grace Hopper!').waitFor();

      await page.getByTestId('miniapp-menu').click();
      await page.getByTestId('miniapp-menu-permissions').click();
      await page.getByTestId('permission-row').first().waitFor();
      await page.getByTestId('revoke-permission-userInfo').click();
      await page.getByTestId('permission-row').first().waitFor({ state: 'detached' });
      await page.keyboard.press('Escape');

      await page.getByRole('button', { name: 'Greet me' }).click();
      await page.getByTestId('consent-deny').click();
      await page.getByText('You said no', { exact: false }).waitFor();
      await page.getByRole('button', { name: 'Greet me' }).click();
      await page.getByText('You said no', { exact: false }).waitFor(); // remembered: no second sheet
      assert.equal(await page.getByTestId('consent-allow').count(), 0);

      // The app's backend exchanges a one-use login code for the openid (atrium.login → atrium.request).
      await page.getByRole('button', { name: 'Sign in to the backend' }).click();
      await page.getByText('Your openid here:', { exact: false }).waitFor();

      await page.getByTestId('miniapp-menu').click();
      await page.getByTestId('miniapp-menu-accessLog').click();
      await page.getByTestId('access-log-entry').nth(4).waitFor();
      const apis = await page.getByTestId('access-log-entry').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-api')}:${row.getAttribute('data-outcome')}`));
      for (const expected of ['getUserProfile:allowed', 'getUserProfile:denied', 'login:allowed', 'request:allowed']) assert.ok(apis.includes(expected), `${expected} in ${apis.join(' | ')}`);
    } finally {
      await context.close();
    }
  });

  it('shows a crashed app with Reload, and the reloaded app works', { skip: browserSkip }, async () => {
    const { registry } = served.host.services.apps;
    await registry.ensureDeveloper('dev_tests', 'Tests');
    await registry.ensureApp({ id: 'dev.tests.crashy', name: 'Crashy', developerId: 'dev_tests' });
    const manifest = { app_id: 'dev.tests.crashy', name: 'Crashy', version: { name: '1.0.0', code: 1 }, pages: ['pages/index'] };
    await registry.addVersion({ appId: 'dev.tests.crashy', versionCode: 1, versionName: '1.0.0', manifest, bundle: CRASHY, channel: 'development' });
    const context = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'en-US' });
    const page = await context.newPage();
    try {
      await page.goto(`${served.url}/signup`);
      await page.getByTestId('signup-handle').fill('lin');
      await page.getByTestId('signup-display-name').fill('Lin');
      await page.getByTestId('signup-password').fill(TEST_PASSWORD);
      await page.getByTestId('signup-submit').click();
      await page.getByTestId('home-display-name').waitFor();

      await page.goto(`${served.url}/a/dev.tests.crashy`);
      await page.getByRole('button', { name: 'Tap' }).click();
      await page.getByText('Taps: 1').waitFor();
      await page.getByRole('button', { name: 'Crash' }).click();
      await page.getByTestId('miniapp-crashed').waitFor({ timeout: 15_000 });
      await page.getByTestId('miniapp-reload').click();
      await page.getByText('Taps: 0').waitFor();
      await page.getByRole('button', { name: 'Tap' }).click();
      await page.getByText('Taps: 1').waitFor();
    } finally {
      await context.close();
    }
  });
});
