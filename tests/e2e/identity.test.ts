/**
 * Browser tests of the shell's front door: sign up → sign out → sign in; scan-to-login across two
 * browser contexts (the QR code is decoded from the page's pixels); revoking a device signs it out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import jsqr from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { browserSkip, launchBrowser, serveTestHost, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

const DESKTOP_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36';

async function signUp(page: Page, url: string, handle: string, displayName: string): Promise<void> {
  await page.goto(`${url}/signup`);
  await page.getByTestId('signup-handle').fill(handle);
  await page.getByTestId('signup-display-name').fill(displayName);
  await page.getByTestId('signup-password').fill(TEST_PASSWORD);
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('home-display-name').filter({ hasText: displayName }).waitFor();
}

/** Reads the QR code the page shows, from its pixels, as a phone camera would. */
async function readQr(page: Page): Promise<string> {
  const qr = page.getByTestId('login-qr');
  await qr.waitFor();
  const png = PNG.sync.read(await qr.screenshot());
  // jsqr is CommonJS with a `default` member: the same function, typed correctly under nodenext.
  const code = jsqr.default(new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.length), png.width, png.height);
  assert.ok(code, 'the QR code decodes');
  return code.data;
}

describe('shell: identity in a real browser', () => {
  let served: ServedHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const newContext = async (userAgent: string) => {
    const context = await browser.newContext({ userAgent, locale: 'en-US' });
    contexts.push(context);
    return context;
  };

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost();
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await served?.[Symbol.asyncDispose]();
  });

  it('signs up, signs out and signs back in', { skip: browserSkip }, async () => {
    const page = await (await newContext(DESKTOP_UA)).newPage();
    await signUp(page, served.url, 'ada', 'Ada Lovelace');
    await page.goto(`${served.url}/settings`);
    await page.getByTestId('signout').click();
    await page.getByTestId('signin-handle').waitFor();
    await page.goto(`${served.url}/home`);
    await page.getByTestId('signin-handle').waitFor(); // signed out: home sends to sign-in
    await page.getByTestId('signin-handle').fill('ada');
    await page.getByTestId('signin-password').fill(TEST_PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('home-display-name').filter({ hasText: 'Ada Lovelace' }).waitFor();
    await page.reload(); // the session survives a reload (refresh cookie), with no token in storage
    await page.getByTestId('home-display-name').filter({ hasText: 'Ada Lovelace' }).waitFor();
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    assert.ok(!/rt_|eyJ/.test(stored), 'no token is readable by page scripts');
  });

  it('signs a second browser in by scanning its QR code', { skip: browserSkip }, async () => {
    const phone = await (await newContext(PHONE_UA)).newPage();
    await signUp(phone, served.url, 'grace', 'Grace Hopper');
    const desktop = await (await newContext(DESKTOP_UA)).newPage();
    await desktop.goto(`${served.url}/login-qr`);
    const link = await readQr(desktop);
    assert.match(link, new RegExp(`^${served.url}/l/lt_[0-9a-z]+$`));
    assert.equal(await desktop.getByTestId('login-qr-link').textContent(), link);

    await phone.goto(link);
    await phone.getByText('Chrome on Windows').waitFor();
    const started = Date.now();
    await phone.getByTestId('confirm-login').click();
    await desktop.getByTestId('home-display-name').filter({ hasText: 'Grace Hopper' }).waitFor({ timeout: 5000 });
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 2000, `signed in ${elapsed} ms after the confirmation`);
  });

  it('revokes a device from another one, which is then signed out', { skip: browserSkip }, async () => {
    const phone = await (await newContext(PHONE_UA)).newPage();
    await signUp(phone, served.url, 'alan', 'Alan Turing');
    const laptop = await (await newContext(DESKTOP_UA)).newPage();
    await laptop.goto(`${served.url}/signin`);
    await laptop.getByTestId('signin-handle').fill('alan');
    await laptop.getByTestId('signin-password').fill(TEST_PASSWORD);
    await laptop.getByTestId('signin-submit').click();
    await laptop.getByTestId('home-display-name').waitFor();

    await phone.goto(`${served.url}/devices`);
    const rows = phone.getByTestId('device-row');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2);
    const laptopRow = rows.filter({ hasText: 'Chrome on Windows' });
    const deviceId = await laptopRow.getAttribute('data-device-id');
    assert.ok(deviceId);
    await phone.getByTestId(`revoke-device-${deviceId}`).click();
    const confirm = phone.getByTestId('confirm-revoke');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await rows.nth(1).waitFor({ state: 'detached' });

    await laptop.getByTestId('signin-handle').waitFor({ timeout: 15_000 });
  });
});
