/**
 * Browser test of paying inside a mini-app: a person tops up with a test card and sets a PIN, opens the Corner
 * Shop sample (miniapps/shop, its backend served for its `.test` domain), fills a cart and checks out; the shell's
 * pay sheet shows the merchant and the amount, a wrong PIN is refused in the sheet, the right one pays, the app
 * shows "Paid" once its backend got Atrium's signed webhook, and the bill is in the wallet.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { loadDevApps } from '../../host/src/apps/dev-loader.ts';
import { seedDemoShop } from '../../host/src/seed.ts';
import { apiCall, browserSkip, launchBrowser, serveTestHost, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

const MINIAPPS = fileURLToPath(new URL('../../miniapps', import.meta.url));
const PIN = '480915';

describe('shell: paying inside a mini-app in a real browser', () => {
  let served: ServedHost;
  let browser: Browser;
  let merchantId: string;
  let grace: { accessToken: string };

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost();
    const s = served.host.services;
    // What a development host does at its first start: @grace's shop merchant, bound to the sample app.
    grace = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'grace', displayName: 'Grace Hopper', password: TEST_PASSWORD });
    merchantId = (await seedDemoShop(s, (await apiCall(served, 'GET', '/v1/me', grace.accessToken)).id)).id;
    await loadDevApps({ registry: s.apps.registry, root: MINIAPPS, backends: { network: s.apps.network, atriumUrl: served.url, merchantKey: (appId) => s.wallet.appPayments.developmentKey(appId) } });
    s.wallet.webhooks.start(200);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await served?.[Symbol.asyncDispose]();
  });

  it('checks out in the Corner Shop, confirms the pay sheet with the PIN, sees "Paid" and finds the bill', { skip: browserSkip }, async () => {
    const context = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'en-US' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(`${served.url}/signup`);
      await page.getByTestId('signup-handle').fill('pat');
      await page.getByTestId('signup-display-name').fill('Pat Payer');
      await page.getByTestId('signup-password').fill(TEST_PASSWORD);
      await page.getByTestId('signup-submit').click();
      await page.getByTestId('home-display-name').waitFor();

      // A funded wallet: 100 CNY from a test card, and a payment PIN.
      await page.goto(`${served.url}/wallet`);
      await page.getByTestId('test-card-succeeds').first().click();
      await page.getByTestId('topup-amount').fill('100');
      await page.getByTestId('topup-currency').selectOption('CNY');
      await page.getByTestId('topup-submit').click();
      await page.locator('[data-testid="balance-CNY"][data-minor="10000"]').waitFor();
      await page.getByTestId('pin-new').fill(PIN);
      await page.getByTestId('pin-repeat').fill(PIN);
      await page.getByTestId('pin-submit').click();
      await page.getByTestId('pin-saved').waitFor();

      // The shop: its products come from its backend; two noodles and a milk tea.
      await page.goto(`${served.url}/a/dev.atrium.shop`);
      await page.getByTestId('miniapp-view').waitFor();
      await page.getByText('Beef noodles').waitFor();
      const add = page.getByRole('button', { name: 'Add', exact: true });
      await add.nth(0).click();
      await page.getByText('Total: ¥25.00').waitFor();
      await add.nth(0).click();
      await page.getByText('Total: ¥50.00').waitFor();
      await add.nth(2).click();
      await page.getByText('Total: ¥62.00').waitFor();
      await page.getByRole('button', { name: 'Checkout' }).click();

      // The shell's pay sheet: the merchant, the order's amount and description — not the app's say.
      await page.getByTestId('pay-prompt').waitFor();
      assert.equal(await page.getByTestId('pay-prompt-merchant').innerText(), 'Corner Shop');
      assert.match(await page.getByTestId('pay-prompt-amount').innerText(), /62\.00/);
      assert.equal(await page.getByTestId('pay-prompt-amount').getAttribute('data-minor'), '6200');
      assert.equal(await page.getByTestId('pay-prompt-description').innerText(), 'Corner Shop: 3 items');
      assert.match(await page.getByTestId('pay-prompt-app').innerText(), /Corner Shop asks you to pay/);

      await page.getByTestId('pay-prompt-pin').fill('111111');
      await page.getByTestId('pay-prompt-submit').click();
      await page.getByTestId('pay-prompt-error').filter({ hasText: '4 tries left' }).waitFor();
      await page.getByTestId('pay-prompt-pin').fill(PIN);
      await page.getByTestId('pay-prompt-submit').click();
      await page.getByTestId('pay-prompt').waitFor({ state: 'detached' });

      // The app learns of it from requestPayment, then its backend confirms (it got the signed webhook).
      await page.getByText('Confirmed by the shop', { exact: false }).waitFor({ timeout: 15_000 });
      await page.getByText('Paid', { exact: true }).waitFor();

      const deliveries = (await apiCall(served, 'GET', `/v1/merchants/${merchantId}/webhook-deliveries`, grace.accessToken)).deliveries;
      assert.deepEqual(deliveries.map((d: any) => [d.eventType, d.status]), [['payment.succeeded', 'succeeded']]);

      // The bill, in the wallet.
      await page.goto(`${served.url}/wallet/bills`);
      const bill = page.locator('[data-testid="bill"][data-kind="payment"]');
      await bill.waitFor();
      assert.match(await bill.innerText(), /Corner Shop/);
      assert.match(await bill.innerText(), /62\.00/);
      await page.goto(`${served.url}/wallet`);
      await page.locator('[data-testid="balance-CNY"][data-minor="3800"]').waitFor();
      assert.deepEqual(problems, [], 'no script errors');
    } finally {
      await context.close();
    }
  });
});
