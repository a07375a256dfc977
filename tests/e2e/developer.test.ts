/**
 * The developer platform in a real browser: a person allows a CLI sign-in (RFC 8628) from the link the CLI
 * prints, and the CLI's poll then receives its token.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { browserSkip, launchBrowser, serveTestHost, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

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

      // A wrong code is refused on the page, clearly.
      await page.goto(`${served.url}/device`);
      await page.getByTestId('device-login-input').fill('bcdf ghjk');
      await page.getByTestId('device-login-continue').click();
      await page.getByText('No pending sign-in has this code.').waitFor();
    } finally {
      await context.close();
    }
  });
});
