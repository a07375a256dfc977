/**
 * The developer platform in a real browser: a person allows a CLI sign-in (RFC 8628) from the link the CLI
 * prints, and the CLI's poll then receives its token.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, launchBrowser, serveTestHost, signInPage, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';
import { bundleMiniApp } from '../../devtools/src/build/bundle.ts';
import type { Manifest } from '../../sdk/src/manifest.ts';
import { PLATFORM } from '../../host/src/developer/index.ts';
import { GALLERY, galleryPackage } from '../helpers/gallery.ts';

const TODO = fileURLToPath(new URL('../../miniapps/todo', import.meta.url));

describe('shell: the developer platform in a real browser', () => {
  let served: ServedHost;
  let browser: Browser;

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await served?.[Symbol.asyncDispose]();
  });

  it('allows a CLI sign-in from the link the CLI shows, and the CLI gets its token', { skip: browserSkip }, async () => {
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${served.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, any> };
    };
    const started = await post('/v1/developer/device-authorizations', { clientName: 'atrium CLI on build-box' });
    assert.equal(started.status, 200);
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await page.goto(`${served.url}/signup`);
      await page.getByTestId('signup-handle').fill('ada');
      await page.getByTestId('signup-display-name').fill('Ada');
      await page.getByTestId('signup-password').fill(TEST_PASSWORD);
      await page.getByTestId('signup-submit').click();
      await page.getByTestId('home-display-name').waitFor();

      await page.goto(started.body.verification_uri_complete);
      assert.equal(await page.getByTestId('device-login-input').inputValue(), started.body.user_code, 'the link fills the code in');
      await page.getByTestId('device-login-continue').click();
      await page.getByTestId('device-login-client').filter({ hasText: 'atrium CLI on build-box' }).waitFor();
      await page.getByTestId('device-login-allow').click();
      await page.locator('[data-testid="device-login-result"][data-outcome="allowed"]').waitFor();

      await new Promise((resolve) => setTimeout(resolve, 50));
      const issued = await post('/v1/developer/device-authorizations/token', { device_code: started.body.device_code });
      assert.equal(issued.status, 200, JSON.stringify(issued.body));
      assert.match(issued.body.token, /^atk_/);
      const me = await fetch(`${served.url}/v1/developer/tokens`, { headers: { authorization: `Bearer ${issued.body.token}` } });
      assert.equal(me.status, 403, 'an API token cannot mint more tokens');
      const account = await fetch(`${served.url}/v1/developer`, { headers: { authorization: `Bearer ${issued.body.token}` } });
      assert.equal(account.status, 200, 'allowing the CLI turned developer mode on');
      assert.equal(((await account.json()) as { name: string }).name, 'Ada');

      // A wrong code is refused on the page, clearly.
      await page.goto(`${served.url}/device`);
      await page.getByTestId('device-login-input').fill('bcdf ghjk');
      await page.getByTestId('device-login-continue').click();
      await page.getByText('No pending sign-in has this code.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('opens a preview link for a tester, and refuses it to anyone else', { skip: browserSkip }, async () => {
    const d = served.host.services.developer;
    const { identity } = served.host.services;
    const [dev] = await Promise.all(['devon', 'tess', 'eve'].map((handle) => identity.createAccount({ handle, displayName: handle, password: TEST_PASSWORD })));
    await d.apps.enable(dev!.id, 'Devon Labs');
    const APP = 'dev.devon.todo';
    await d.apps.create({ userId: dev!.id }, { appId: APP, name: 'Todo preview' });
    await d.members.set({ userId: dev!.id }, APP, 'tess', 'tester');
    const base = JSON.parse(readFileSync(`${TODO}/manifest.json`, 'utf8')) as Manifest;
    const manifest: Manifest = { ...base, app_id: APP, version: { name: '2.0.0-beta', code: 2 }, window: { ...base.window, navigation_bar_title_text: 'Todo beta' } };
    const bundle = await bundleMiniApp(TODO, manifest);
    await d.versions.upload({ userId: dev!.id }, APP, { manifest, bundle, bytes: Buffer.from(bundle) });
    const link = await d.previews.create({ userId: dev!.id }, APP, 2);

    for (const [who, allowed] of [['tess', true], ['eve', false]] as const) {
      const context = await browser.newContext({ locale: 'en-US' });
      try {
        const page = await context.newPage();
        await signInPage(page, served.url, who);
        await page.goto(link.url.replace(served.host.services.config.publicUrl, served.url));
        if (allowed) await page.getByTestId('miniapp-title').filter({ hasText: 'Todo beta' }).waitFor();
        else await page.locator('[data-testid="miniapp-failed"][data-code="APP_ROLE_REQUIRED"]').waitFor();
      } finally {
        await context.close();
      }
    }
  });

  it('shows an image from the released version’s package assets', { skip: browserSkip }, async () => {
    const d = served.host.services.developer;
    const owner = await served.host.services.identity.createAccount({ handle: 'gail', displayName: 'Gail', password: TEST_PASSWORD });
    await d.apps.enable(owner.id, 'Gail Labs');
    await d.apps.create({ userId: owner.id }, { appId: GALLERY, name: 'Gallery' });
    const pkg = await galleryPackage(1);
    await d.versions.upload(PLATFORM, GALLERY, { manifest: pkg.manifest, bundle: pkg.bundle, bytes: Buffer.from(pkg.bytes) });
    await d.versions.submit(PLATFORM, GALLERY, 1);
    await d.versions.approve(PLATFORM, GALLERY, 1);
    await d.releases.release(PLATFORM, GALLERY, 1, 100);
    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
      });
      await signInPage(page, served.url, 'gail');
      await page.goto(`${served.url}/a/${GALLERY}`);
      const image = page.getByRole('img', { name: 'Logo' });
      await image.waitFor();
      await page.waitForFunction(() => [...document.querySelectorAll('img')].some((img) => img.alt === 'Logo' && img.complete && img.naturalWidth === 4));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
