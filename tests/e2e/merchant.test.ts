/**
 * Browser test of the merchant side of the shell, against a real host and a real local HTTP receiver as the
 * merchant's webhook endpoint: the owner opens a merchant, sets the endpoint, shows a dynamic QR code on the
 * POS, a payer pays it, the owner sees the order, refunds part of it, sees the refund, the statement line and
 * the signed webhook deliveries (and redelivers one). Then a payer's payment code made on the device with the
 * network off: a fresh code after the minute rolls (injected clock), charged once at the POS, a replay refused.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultConfig } from '../../host/src/config.ts';
import { verifyWebhook } from '../../host/src/merchants/webhooks.ts';
import { apiCall, browserSkip, launchBrowser, serveTestHost, signInPage, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

const PIN = '480915';

/** The merchant's server: records every webhook it receives and answers 200. */
async function startReceiver(): Promise<{ url: string; received: { headers: IncomingHttpHeaders; body: string }[]; server: Server }> {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/atrium-hooks`, received, server };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A payer with a PIN and 500 CNY, signed up over the API. */
async function payer(served: ServedHost, handle: string): Promise<{ accessToken: string }> {
  const session = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle, displayName: handle, password: TEST_PASSWORD });
  await apiCall(served, 'PUT', '/v1/wallet/pin', session.accessToken, { pin: PIN });
  const res = await fetch(`${served.url}/v1/wallet/topups`, {
    method: 'POST',
    headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json', 'idempotency-key': `top-${handle}` },
    body: JSON.stringify({ amount: 50_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }),
  });
  assert.equal(res.status, 201, await res.text());
  return session;
}

/** Opens the till of the owner's (only) merchant. */
async function openTill(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/merchant/pos`);
  await page.getByTestId('pos-connect').click();
  await page.getByTestId('pos-till').waitFor();
}

describe('shell: merchant pages in a real browser', () => {
  let served: ServedHost;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost({ development: { ...defaultConfig().development, allowLocalNetwork: true } });
    served.host.services.wallet.webhooks.start(200);
    receiver = await startReceiver();
    browser = await launchBrowser();
    owner = await browser.newContext({ locale: 'en-US' });
    page = await owner.newPage();
    await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'ada', displayName: 'Ada', password: TEST_PASSWORD });
    await signInPage(page, served.url, 'ada');
  });
  after(async () => {
    await owner?.close();
    await browser?.close();
    await new Promise((r) => receiver?.server.close(r));
    await served?.[Symbol.asyncDispose]();
  });

  it('sells with a dynamic QR, sees the order, refunds part of it, and sees the refund, the statement line and the signed webhooks', { skip: browserSkip }, async () => {
    // Open a merchant account in the shell, and point its webhooks at the local receiver.
    await page.goto(`${served.url}/merchants`);
    await page.getByTestId('merchant-name').fill('Ada Noodles');
    await page.getByTestId('merchant-city').fill('Beijing');
    await page.getByTestId('merchant-create-submit').click();
    await page.getByTestId('merchant-balances').waitFor();
    const merchantId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2] ?? '');
    assert.match(merchantId, /^mch_/);
    await page.getByTestId('merchant-page-webhooks').click();
    await page.getByTestId('webhook-url').fill(receiver.url);
    await page.getByTestId('webhook-save').click();
    // Saved on the host (the log reloads with the endpoint, which brings the Clear button) before anything is
    // paid: a payment's event only gets a delivery when the merchant has an endpoint at that moment.
    await page.getByTestId('webhook-clear').waitFor();
    await page.getByTestId('webhook-log').filter({ hasText: 'No events delivered yet' }).waitFor();

    // The till shows a dynamic QR code for 12.00; a payer scans it and pays with the PIN.
    await openTill(page, served.url);
    await page.getByTestId('pos-amount').fill('12.00');
    await page.getByTestId('pos-description').fill('Beef noodles');
    await page.getByTestId('pos-show-qr').click();
    const payload = await page.getByTestId('pos-qr').getAttribute('data-value');
    assert.match(payload ?? '', /^000201/);
    const bob = await payer(served, 'bob');
    const scanned = await apiCall(served, 'POST', '/v1/orders/scan', bob.accessToken, { payload });
    assert.equal(scanned.order.amount, 1_200);
    const paid = await fetch(`${served.url}/v1/orders/${scanned.order.id}/pay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.accessToken}`, 'content-type': 'application/json', 'idempotency-key': 'pay-noodles' },
      body: JSON.stringify({ pin: PIN }),
    });
    assert.equal(paid.status, 200, await paid.text());
    await page.locator('[data-testid="pos-status"][data-status="SUCCESS"]').waitFor();

    // The owner finds the order (filtered to paid ones) and refunds 4.50 of it.
    await page.goto(`${served.url}/merchants/${merchantId}/orders`);
    await page.getByTestId('orders-status').selectOption('SUCCESS');
    await page.locator('[data-testid="order-row"][data-status="SUCCESS"]').filter({ hasText: 'Beef noodles' }).click();
    await page.locator('[data-testid="order-status"][data-status="SUCCESS"]').waitFor();
    await page.getByTestId('refund-amount').fill('20');
    await page.getByText('More than is left to refund').waitFor();
    assert.equal(await page.getByTestId('refund-submit').isDisabled(), true);
    await page.getByTestId('refund-amount').fill('4.50');
    await page.getByTestId('refund-reason').fill('Too salty');
    await page.getByTestId('refund-submit').click();
    await page.locator('[data-testid="refund-row"][data-amount="450"]').filter({ hasText: 'Too salty' }).waitFor();
    await page.locator('[data-testid="order-refunded"][data-amount="450"]').waitFor();
    const wallet = await apiCall(served, 'GET', '/v1/wallet', bob.accessToken);
    assert.equal(wallet.balances.find((b: { currency: string }) => b.currency === 'CNY').balance, 50_000 - 1_200 + 450, 'the payer has the refund');

    // Today's statement: the payment and the refund lines, totals that add up.
    await page.goto(`${served.url}/merchants/${merchantId}/statement`);
    await page.locator('[data-testid="statement-line"][data-kind="payment"][data-amount="1200"]').waitFor();
    await page.locator('[data-testid="statement-line"][data-kind="refund"][data-amount="-450"]').waitFor();
    await page.locator('[data-testid="statement-total"][data-currency="CNY"][data-credits="1200"][data-debits="450"][data-closing="750"]').waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('statement-csv').click();
    const csv = await (await download).createReadStream().then(async (stream) => {
      let text = '';
      for await (const chunk of stream) text += chunk;
      return text;
    });
    assert.match(csv, /,refund,CNY,-450,/);

    // The webhook log: payment and refund delivered to the receiver (HTTP 200), signed with Atrium's key.
    await page.goto(`${served.url}/merchants/${merchantId}/webhooks`);
    for (const type of ['payment.succeeded', 'refund.succeeded']) {
      await page.locator(`[data-testid="webhook-delivery"][data-event-type="${type}"][data-status="succeeded"]`).locator('[data-testid="webhook-attempt"][data-status-code="200"]').waitFor();
    }
    const jwks = await apiCall(served, 'GET', '/v1/webhook-keys');
    const events = receiver.received.map((r) => verifyWebhook(r.headers['atrium-signature'] as string, r.body, jwks, Date.now()));
    assert.deepEqual(events.map((e) => e.type).sort(), ['payment.succeeded', 'refund.succeeded']);
    const refundEvent = events.find((e) => e.type === 'refund.succeeded')!;
    assert.deepEqual((refundEvent.data as { amount: number; outRefundNo: string }).amount, 450);

    // Manual redelivery: the same event (same id, for the receiver to deduplicate) arrives again.
    await page.locator('[data-testid="webhook-delivery"][data-event-type="refund.succeeded"]').getByTestId('webhook-redeliver').click();
    await page.locator('[data-testid="webhook-delivery"][data-event-type="refund.succeeded"][data-attempts="2"]').waitFor();
    await until('the redelivered event', () => (receiver.received.length === 3 ? true : undefined));
    assert.equal(verifyWebhook(receiver.received[2]!.headers['atrium-signature'] as string, receiver.received[2]!.body, jwks, Date.now()).id, refundEvent.id);

    // API keys: a new key's secret is shown once; revoking it stops it at once.
    await page.goto(`${served.url}/merchants/${merchantId}/keys`);
    await page.getByTestId('key-name').fill('Website');
    await page.getByTestId('key-create-submit').click();
    const secret = (await page.getByTestId('key-secret-value').textContent())?.trim() ?? '';
    assert.match(secret, /^mk_/);
    const asKey = () => fetch(`${served.url}/v1/merchant-api/orders/NOPE-0001`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal((await asKey()).status, 404, 'the key works (no such order)');
    await page.getByTestId('key-secret-done').click();
    await page.getByTestId('key-secret').waitFor({ state: 'detached' });
    const row = page.locator('[data-testid="key-row"][data-revoked="false"]').filter({ hasText: 'Website' });
    await row.getByTestId('key-revoke').click();
    await row.getByTestId('key-revoke').click();
    await page.locator('[data-testid="key-row"][data-revoked="true"]').filter({ hasText: 'Website' }).waitFor();
    assert.equal((await asKey()).status, 401);
  });

  it('shows a payment code made on the device while offline, fresh after the minute rolls; the POS charges it once', { skip: browserSkip }, async () => {
    await payer(served, 'cyd');
    const device = await browser.newContext({ locale: 'en-US' });
    try {
      // The device's clock starts 10 s before the host's minute: the next minute comes after a short jump.
      const minute = Math.floor(Date.now() / 60_000) * 60_000;
      await device.clock.install({ time: minute - 10_000 });
      const phone = await device.newPage();
      await signInPage(phone, served.url, 'cyd');
      await phone.goto(`${served.url}/wallet/payment-code`);
      await phone.getByTestId('paycode-enable').click();
      const digits = phone.getByTestId('paycode-digits');
      const first = (await digits.getAttribute('data-code')) ?? '';
      assert.match(first, /^13\d{16}$/);
      await phone.getByTestId('paycode-barcode').locator('img').waitFor();
      await phone.getByTestId('paycode-qr').locator('img').waitFor();

      // Network off; the minute rolls: a new code, computed on the device.
      await device.setOffline(true);
      await device.clock.fastForward(15_000);
      await phone.locator('[data-testid="paycode-digits"]').and(phone.locator(`:not([data-code="${first}"])`)).waitFor();
      const fresh = (await digits.getAttribute('data-code')) ?? '';
      assert.match(fresh, /^13\d{16}$/);
      assert.equal(fresh.slice(0, 10), first.slice(0, 10), 'same device number');
      assert.equal(fresh[10], '0', 'the first code of the new minute');
      await phone.getByTestId('paycode-offline').waitFor();
      await phone.getByTestId('paycode-barcode').and(phone.locator(`[data-value="${fresh}"]`)).waitFor();

      // The cashier scans it: charged once; the same code again is refused.
      await openTill(page, served.url);
      await page.getByTestId('pos-amount').fill('8.80');
      await page.getByTestId('pos-auth-code').fill(fresh);
      await page.getByTestId('pos-charge').click();
      await page.locator('[data-testid="pos-status"][data-status="SUCCESS"]').waitFor();
      const cydWallet = await apiCall(served, 'POST', '/v1/auth/signin', undefined, { handle: 'cyd', password: TEST_PASSWORD });
      const balance = (await apiCall(served, 'GET', '/v1/wallet', cydWallet.accessToken)).balances.find((b: { currency: string }) => b.currency === 'CNY').balance;
      assert.equal(balance, 50_000 - 880);
      await page.getByTestId('pos-auth-code').fill(fresh);
      await page.getByTestId('pos-charge').click();
      await page.getByTestId('pos-error').filter({ hasText: 'This payment code was already used' }).waitFor();

      // Back online, the device learns its code was used and shows the next one of the minute.
      await device.setOffline(false);
      await device.clock.fastForward(4_000);
      await phone.locator(`[data-testid="paycode-digits"][data-code^="${fresh.slice(0, 10)}1"]`).waitFor();
    } finally {
      await device.close();
    }
  });
});
