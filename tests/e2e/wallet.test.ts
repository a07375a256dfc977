/**
 * Browser test of the wallet: top up with a test card, set the payment PIN, scan a merchant's dynamic QR code
 * from a picture (the order is in THB, the money in CNY: the conversion is shown before paying), pay with the
 * PIN after a wrong one, and see the bill — against a real host, with the merchant's side driven over its API.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultConfig } from '../../host/src/config.ts';
import { browserSkip, launchBrowser, serveTestHost, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

const PIN = '480915';

async function signUp(page: Page, url: string, handle: string, displayName: string): Promise<void> {
  await page.goto(`${url}/signup`);
  await page.getByTestId('signup-handle').fill(handle);
  await page.getByTestId('signup-display-name').fill(displayName);
  await page.getByTestId('signup-password').fill(TEST_PASSWORD);
  await page.getByTestId('signup-submit').click();
  await page.getByTestId('home-display-name').filter({ hasText: displayName }).waitFor();
}

/** Calls the host's API over HTTP; `auth` is a person's access token or a merchant's `mk_` key. */
async function api(url: string, method: string, path: string, options: { auth?: string; json?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  if (options.auth) headers.authorization = `Bearer ${options.auth}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${url}${path}`, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
}

async function json(response: Response): Promise<any> {
  const body = await response.json();
  assert.ok(response.ok, `${response.status} ${JSON.stringify(body)}`);
  return body;
}

describe('shell: wallet in a real browser', () => {
  let served: ServedHost;
  let browser: Browser;
  let context: BrowserContext;
  const dir = mkdtempSync(join(tmpdir(), 'atrium-wallet-e2e-'));

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost({ wallet: { ...defaultConfig().wallet, fxRates: { 'CNY/THB': '4.9512' }, micropayConfirmAbove: 1_000 } });
    browser = await launchBrowser();
    context = await browser.newContext({ locale: 'en-US' });
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await served?.[Symbol.asyncDispose]();
    rmSync(dir, { recursive: true, force: true });
  });

  it('tops up with a test card, sets a PIN, scans a merchant’s dynamic QR picture, pays with the PIN and sees the bill', { skip: browserSkip }, async () => {
    const page = await context.newPage();
    await signUp(page, served.url, 'payer', 'Pat Payer');

    // The wallet, from home.
    await page.locator(`a[href="/wallet"]`).first().click();
    await page.getByTestId('wallet-balances').waitFor();
    await page.getByTestId('topup-test-mode').filter({ hasText: 'Test mode' }).waitFor();
    await page.getByTestId('test-card-succeeds').first().click();
    assert.equal(await page.getByTestId('topup-card').inputValue(), '4242424242424242');
    await page.getByTestId('topup-amount').fill('100');
    await page.getByTestId('topup-currency').selectOption('CNY');
    await page.getByTestId('topup-submit').click();
    await page.getByTestId('topup-done').waitFor();
    await page.locator('[data-testid="balance-CNY"][data-minor="10000"]').waitFor();

    // A declining test card says so, and moves no money.
    await page.getByTestId('test-card-declined: card_declined').click();
    await page.getByTestId('topup-amount').fill('5');
    await page.getByTestId('topup-submit').click();
    await page.getByTestId('topup-error').waitFor();
    await page.locator('[data-testid="balance-CNY"][data-minor="10000"]').waitFor();

    await page.getByTestId('pin-new').fill(PIN);
    await page.getByTestId('pin-repeat').fill(PIN);
    await page.getByTestId('pin-submit').click();
    await page.getByTestId('pin-saved').waitFor();
    await page.getByTestId('pin-current').waitFor(); // now it is "change the PIN"

    // The merchant's side, over the API: an owner, a merchant, a key, an order in THB, its QR code as PNG.
    const owner = await json(await api(served.url, 'POST', '/v1/auth/signup', { json: { handle: 'owner', displayName: 'Owen', password: TEST_PASSWORD } }));
    const merchant = await json(await api(served.url, 'POST', '/v1/merchants', { auth: owner.accessToken, json: { name: 'Thai Tea House', qrName: 'THAI TEA HOUSE', city: 'Bangkok', countryCode: 'TH' } }));
    const key = await json(await api(served.url, 'POST', `/v1/merchants/${merchant.id}/keys`, { auth: owner.accessToken, json: { name: 'pos', scopes: ['orders:read', 'orders:write'] } }));
    const order = await json(await api(served.url, 'POST', '/v1/merchant-api/orders', { auth: key.secret, json: { outTradeNo: 'TEA-000001', amount: 4_951, currency: 'THB', description: 'Two iced teas' } }));
    const png = await api(served.url, 'GET', '/v1/merchant-api/orders/TEA-000001/qr?format=png', { auth: key.secret });
    assert.equal(png.headers.get('content-type'), 'image/png');
    const picture = join(dir, 'order-qr.png');
    writeFileSync(picture, Buffer.from(await png.arrayBuffer()));

    // Scan it by uploading the picture: the pay sheet opens on the order.
    await page.getByTestId('tab-scan').click();
    await page.getByTestId('scan-upload').setInputFiles(picture);
    await page.getByTestId('pay-sheet').waitFor();
    assert.match(await page.getByTestId('pay-payee').innerText(), /Thai Tea House/);
    assert.match(await page.getByTestId('pay-amount').innerText(), /49\.51/);
    // Paid from the CNY balance: the conversion is shown before confirming.
    const quote = await page.getByTestId('pay-quote').innerText(); // waits for the wallet, then the quote
    assert.equal(await page.getByTestId('pay-from').inputValue(), 'CNY');
    assert.match(quote, /CN¥10\.00|¥10\.00/, quote);

    // A wrong PIN is refused with the tries left; the right one pays.
    await page.getByTestId('pay-pin').fill('111111');
    await page.getByTestId('pay-submit').click();
    await page.getByTestId('pay-error').filter({ hasText: '4 tries left' }).waitFor();
    await page.getByTestId('pay-pin').fill(PIN);
    await page.getByTestId('pay-submit').click();
    await page.getByTestId('pay-done').waitFor();

    const paid = await json(await api(served.url, 'GET', '/v1/merchant-api/orders/TEA-000001', { auth: key.secret }));
    assert.equal(paid.status, 'SUCCESS');
    assert.equal(paid.id, order.id);

    // The bill: its detail page, then the list with a filter.
    await page.getByTestId('pay-done-bill').click();
    await page.getByTestId('bill-detail').waitFor();
    assert.match(await page.getByTestId('bill-detail-counterparty').innerText(), /Thai Tea House/);
    assert.match(await page.getByTestId('bill-detail-amount').innerText(), /10\.00/);
    await page.goto(`${served.url}/wallet/bills`);
    await page.locator('[data-testid="bill"][data-kind="payment"]').waitFor();
    await page.getByTestId('bills-direction').selectOption('in');
    await page.locator('[data-testid="bill"][data-kind="payment"]').waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-testid="bill"][data-kind="topup"]').count(), 1);

    // The wallet shows what is left.
    await page.goto(`${served.url}/wallet`);
    await page.locator('[data-testid="balance-CNY"][data-minor="9000"]').waitFor();
  });

  it('sends to a contact with a note, pays a receive link, pays a POS with the payment code after confirming, and locks after wrong PINs', { skip: browserSkip }, async (t) => {
    const ada = await json(await api(served.url, 'POST', '/v1/auth/signup', { json: { handle: 'ada', displayName: 'Ada Lovelace', password: TEST_PASSWORD } }));
    const bob = await json(await api(served.url, 'POST', '/v1/auth/signup', { json: { handle: 'bob', displayName: 'Bob Byte', password: TEST_PASSWORD } }));
    await json(await api(served.url, 'PUT', '/v1/wallet/pin', { auth: ada.accessToken, json: { pin: PIN } }).then((r) => (r.status === 204 ? new Response('{}', { status: 200 }) : r)));
    const topUp = await fetch(`${served.url}/v1/wallet/topups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ada.accessToken}`, 'content-type': 'application/json', 'idempotency-key': 'ada-topup-1' },
      body: JSON.stringify({ amount: 50_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' } }),
    });
    assert.equal(topUp.status, 201);
    await json(await api(served.url, 'POST', '/v1/contacts/requests', { auth: bob.accessToken, json: { handle: 'ada', message: 'hi' } }));
    const { incoming } = await json(await api(served.url, 'GET', '/v1/contacts/requests', { auth: ada.accessToken }));
    await json(await api(served.url, 'POST', `/v1/contacts/requests/${incoming[0].id}/accept`, { auth: ada.accessToken, json: {} }));

    const second = await browser.newContext({ locale: 'en-US' });
    t.after(() => second.close());
    const page = await second.newPage();
    await page.goto(`${served.url}/signin`);
    await page.getByTestId('signin-handle').fill('ada');
    await page.getByTestId('signin-password').fill(TEST_PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('home-display-name').waitFor();

    // Send to a contact, with a note.
    await page.goto(`${served.url}/wallet`);
    await page.locator('[data-testid="send-contact"][data-handle="bob"]').click();
    await page.getByTestId('pay-amount-input').fill('12.34');
    await page.getByTestId('pay-note').fill('lunch');
    await page.getByTestId('pay-pin').fill(PIN);
    await page.getByTestId('pay-submit').click();
    await page.getByTestId('pay-done-bill').click();
    await page.getByTestId('bill-detail').filter({ hasText: 'lunch' }).waitFor();
    assert.match(await page.getByTestId('bill-detail-counterparty').innerText(), /Bob Byte/);
    const bobBills = await json(await api(served.url, 'GET', '/v1/wallet/transactions', { auth: bob.accessToken }));
    assert.deepEqual([bobBills.transactions[0].amount, bobBills.transactions[0].note, bobBills.transactions[0].direction], [1_234, 'lunch', 'in']);

    // My receive QR code holds my receive link.
    const mine = await json(await api(served.url, 'GET', '/v1/wallet/receive-code', { auth: ada.accessToken }));
    await page.goto(`${served.url}/wallet/receive`);
    assert.equal(await page.getByTestId('receive-qr').getAttribute('data-value'), mine.url);

    // Bob's receive link, pasted into the scanner: the pay sheet for Bob, with the amount entered.
    const bobs = await json(await api(served.url, 'GET', '/v1/wallet/receive-code', { auth: bob.accessToken }));
    await page.getByTestId('tab-scan').click();
    await page.getByTestId('scan-paste').fill(bobs.url);
    await page.getByTestId('scan-paste-submit').click();
    await page.getByTestId('pay-payee').filter({ hasText: 'Bob Byte' }).waitFor();
    await page.getByTestId('pay-amount-input').fill('5');
    await page.getByTestId('pay-pin').fill(PIN);
    await page.getByTestId('pay-submit').click();
    await page.getByTestId('pay-done').waitFor();

    // The payment code: turned on, shown, charged by a POS above the confirmation limit, confirmed with the PIN.
    const owner = await json(await api(served.url, 'POST', '/v1/auth/signup', { json: { handle: 'shopkeeper', displayName: 'Sam', password: TEST_PASSWORD } }));
    const merchant = await json(await api(served.url, 'POST', '/v1/merchants', { auth: owner.accessToken, json: { name: 'Corner Shop', qrName: 'CORNER SHOP', city: 'Shanghai', countryCode: 'CN' } }));
    const key = await json(await api(served.url, 'POST', `/v1/merchants/${merchant.id}/keys`, { auth: owner.accessToken, json: { name: 'pos', scopes: ['orders:read', 'orders:write'] } }));
    await page.goto(`${served.url}/wallet/payment-code`);
    await page.getByTestId('paycode-enable').click();
    const code = await page.getByTestId('paycode-digits').getAttribute('data-code');
    assert.match(code ?? '', /^\d{18}$/);
    await page.getByTestId('paycode-qr').locator('img').waitFor();
    const charge = await api(served.url, 'POST', '/v1/merchant-api/micropay', { auth: key.secret, json: { outTradeNo: 'POS-000001', authCode: code, amount: 2_000, currency: 'CNY', description: 'Groceries' } });
    assert.equal(charge.status, 202, await charge.clone().text());
    await page.getByTestId('paycode-pending').filter({ hasText: 'Corner Shop' }).waitFor({ timeout: 5_000 }); // pushed (wallet.update): the poll pauses while the socket is up
    await page.getByTestId('paycode-pin').fill(PIN);
    await page.getByTestId('paycode-confirm').click();
    await page.getByTestId('paycode-pending').waitFor({ state: 'detached' });
    const charged = await json(await api(served.url, 'GET', '/v1/merchant-api/orders/POS-000001', { auth: key.secret }));
    assert.equal(charged.status, 'SUCCESS');

    // Money in from another device: the open wallet screen shows it without a reload (wallet.update on the socket).
    await page.goto(`${served.url}/wallet`);
    const before = Number(await page.getByTestId('balance-CNY').getAttribute('data-minor'));
    const moreMoney = await fetch(`${served.url}/v1/wallet/topups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ada.accessToken}`, 'content-type': 'application/json', 'idempotency-key': 'ada-topup-live' },
      body: JSON.stringify({ amount: 700, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' } }),
    });
    assert.equal(moreMoney.status, 201);
    await page.locator(`[data-testid="balance-CNY"][data-minor="${before + 700}"]`).waitFor({ timeout: 5_000 });

    // The shop's static code (no amount in it), scanned from a picture: the payer enters the amount.
    const staticPng = await api(served.url, 'GET', `/v1/merchants/${merchant.id}/qr?currency=CNY&format=png`, { auth: owner.accessToken });
    assert.equal(staticPng.headers.get('content-type'), 'image/png');
    const staticPicture = join(dir, 'static-qr.png');
    writeFileSync(staticPicture, Buffer.from(await staticPng.arrayBuffer()));
    await page.getByTestId('tab-scan').click();
    await page.getByTestId('scan-upload').setInputFiles(staticPicture);
    await page.getByTestId('pay-payee').filter({ hasText: 'Corner Shop' }).waitFor();
    await page.getByTestId('pay-amount-input').fill('3.21');
    await page.getByTestId('pay-note').fill('gum');
    await page.getByTestId('pay-pin').fill(PIN);
    await page.getByTestId('pay-submit').click();
    await page.getByTestId('pay-done-bill').click();
    await page.getByTestId('bill-detail').filter({ hasText: 'Corner Shop' }).waitFor();
    assert.match(await page.getByTestId('bill-detail-amount').innerText(), /3\.21/);

    // Five wrong PINs lock payments, and the sheet says how long to wait.
    await page.goto(`${served.url}/wallet`);
    await page.locator('[data-testid="send-contact"][data-handle="bob"]').click();
    await page.getByTestId('pay-amount-input').fill('1');
    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.getByTestId('pay-pin').fill('000000');
      await page.getByTestId('pay-submit').click();
      await page.getByTestId('pay-error').filter({ hasText: attempt < 5 ? `${5 - attempt} tr` : 'Try again in 15 minutes' }).waitFor();
    }
    await page.getByTestId('pay-pin').fill(PIN);
    await page.getByTestId('pay-submit').click();
    await page.getByTestId('pay-error').filter({ hasText: /Try again in 1[45] minutes/ }).waitFor();
    await page.goto(`${served.url}/wallet`);
    await page.locator(`[data-testid="balance-CNY"][data-minor="${50_000 - 1_234 - 500 - 2_000 + 700 - 321}"]`).waitFor();
  });

  it('runs a till: a dynamic QR code for an amount, paid by a customer, and its status', { skip: browserSkip }, async (t) => {
    const owner = await json(await api(served.url, 'POST', '/v1/auth/signup', { json: { handle: 'tilly', displayName: 'Tilly Till', password: TEST_PASSWORD } }));
    const merchant = await json(await api(served.url, 'POST', '/v1/merchants', { auth: owner.accessToken, json: { name: 'Noodle Bar', qrName: 'NOODLE BAR', city: 'Beijing', countryCode: 'CN' } }));
    const buyer = await json(await api(served.url, 'POST', '/v1/auth/signup', { json: { handle: 'buyer', displayName: 'Bea Buyer', password: TEST_PASSWORD } }));
    assert.equal((await api(served.url, 'PUT', '/v1/wallet/pin', { auth: buyer.accessToken, json: { pin: PIN } })).status, 204);
    const topUp = await fetch(`${served.url}/v1/wallet/topups`, {
      method: 'POST',
      headers: { authorization: `Bearer ${buyer.accessToken}`, 'content-type': 'application/json', 'idempotency-key': 'buyer-topup-1' },
      body: JSON.stringify({ amount: 10_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2040, cvc: '123' } }),
    });
    assert.equal(topUp.status, 201);

    const till = await browser.newContext({ locale: 'en-US' });
    t.after(() => till.close());
    const page = await till.newPage();
    await page.goto(`${served.url}/signin`);
    await page.getByTestId('signin-handle').fill('tilly');
    await page.getByTestId('signin-password').fill(TEST_PASSWORD);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('home-display-name').waitFor();
    await page.goto(`${served.url}/wallet`);
    await page.getByTestId('wallet-pos').click();
    await page.locator(`[data-testid="pos-merchant"][data-id="${merchant.id}"]`).getByTestId('pos-connect').click();
    await page.getByTestId('pos-amount').fill('18.80');
    await page.getByTestId('pos-description').fill('Beef noodles');
    await page.getByTestId('pos-show-qr').click();
    await page.locator('[data-testid="pos-status"][data-status="NOTPAY"]').waitFor();
    const payload = await page.getByTestId('pos-qr').getAttribute('data-value');
    assert.ok(payload?.startsWith('000201'), String(payload));

    // The customer scans and pays (over the API here; the first test does it in the shell).
    const scanned = await json(await api(served.url, 'POST', '/v1/orders/scan', { auth: buyer.accessToken, json: { payload } }));
    assert.deepEqual([scanned.kind, scanned.order.amount, scanned.order.description], ['order', 1_880, 'Beef noodles']);
    const pay = await fetch(`${served.url}/v1/orders/${scanned.order.id}/pay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${buyer.accessToken}`, 'content-type': 'application/json', 'idempotency-key': 'buyer-pay-1' },
      body: JSON.stringify({ pin: PIN }),
    });
    assert.equal(pay.status, 200);
    await page.locator('[data-testid="pos-status"][data-status="SUCCESS"]').waitFor();
    assert.equal(await page.getByTestId('pos-qr').count(), 0, 'a paid code is no longer shown');
  });
});

