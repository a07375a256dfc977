import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { buildMpm, parseMpm } from '../../../host/src/wallet/emvco.ts';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

const PIN = '480915';

async function world() {
  const t = await startTestHost();
  const ada = await t.signUp('ada');
  const bob = await t.signUp('bob');
  const m = (await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: '阿达面馆', qrName: 'ADA NOODLES', city: 'Beijing', countryCode: 'CN' } })).body;
  const k = (await t.call('POST', `/v1/merchants/${m.id}/keys`, { token: ada.accessToken, json: { name: 'pos', scopes: ['orders:read', 'orders:write'] } })).body;
  await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } });
  await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 10_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, headers: { 'idempotency-key': 'top' } });
  const api = (method: string, path: string, json?: unknown) => t.call(method, `/v1/merchant-api${path}`, { json, headers: { authorization: `Bearer ${k.secret}` } });
  return { t, ada, bob, merchant: m, api, secret: k.secret as string };
}

describe('merchants: QR codes, scan to pay', () => {
  it("refuses a display name that cannot go into a QR code without an ASCII qrName", async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    expectProblem(await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: '阿达面馆', city: 'Beijing', countryCode: 'CN' } }), 400, 'VALIDATION_FAILED');
  });

  it("renders an order's dynamic code (JSON, SVG, PNG that decodes back); scanning it opens the order, and paying it works", async () => {
    const { t, bob, api, merchant, secret } = await world();
    await using _ = t;
    const order = (await api('POST', '/orders', { outTradeNo: 'T-000001', amount: 2_372, currency: 'CNY', description: 'Noodles' })).body;
    const qr = await api('GET', '/orders/T-000001/qr');
    assert.equal(qr.status, 200, qr.text);
    const parsed = parseMpm(qr.body.payload);
    assert.deepEqual([parsed.initiation, parsed.amount, parsed.currency, parsed.merchantName, parsed.merchantCity, parsed.atrium?.orderId, parsed.atrium?.merchantId], ['dynamic', '23.72', 'CNY', 'ADA NOODLES', 'Beijing', order.id, merchant.id]);
    assert.equal(qr.body.expiresAt, order.expiresAt, 'a 2 h order: the code lives as long');
    const svg = await api('GET', '/orders/T-000001/qr?format=svg');
    assert.match(svg.headers.get('content-type') ?? '', /^image\/svg\+xml/);
    assert.match(svg.text, /^<svg/);
    const png = await t.host.request('/v1/merchant-api/orders/T-000001/qr?format=png', { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(png.headers.get('content-type'), 'image/png');
    const image = PNG.sync.read(Buffer.from(await png.arrayBuffer()));
    const decoded = jsqr.default(new Uint8ClampedArray(image.data), image.width, image.height); // CommonJS: `default` is the function
    assert.equal(decoded?.data, qr.body.payload, 'the PNG decodes to the payload');

    const scanned = await t.call('POST', '/v1/orders/scan', { token: bob.accessToken, json: { payload: qr.body.payload } });
    assert.equal(scanned.status, 200, scanned.text);
    assert.deepEqual([scanned.body.kind, scanned.body.order.id, scanned.body.order.amount, scanned.body.order.merchantName], ['order', order.id, 2_372, '阿达面馆']);
    const paid = await t.call('POST', `/v1/orders/${order.id}/pay`, { token: bob.accessToken, json: { pin: PIN }, headers: { 'idempotency-key': 'p1' } });
    assert.equal(paid.body.status, 'SUCCESS');
    expectProblem(await api('GET', '/orders/T-000001/qr'), 409, 'ORDER_NOT_PAYABLE');
  });

  it('refuses forged, foreign and expired codes', async () => {
    const { t, bob, api, merchant } = await world();
    await using _ = t;
    const order = (await api('POST', '/orders', { outTradeNo: 'T-000001', amount: 2_372, currency: 'CNY', description: 'Noodles' })).body;
    const forged = buildMpm({ merchantId: merchant.id, merchantName: 'ADA NOODLES', merchantCity: 'Beijing', countryCode: 'CN', currency: 'CNY', order: { id: order.id, amount: 1, expiresAt: order.expiresAt } });
    expectProblem(await t.call('POST', '/v1/orders/scan', { token: bob.accessToken, json: { payload: forged } }), 400, 'WALLET_QR_INVALID');
    const pix = '00020126650014br.gov.bcb.pix0119nubank@thalesog.com0220Gerado por Pix-Utils52040000530398654041.005802BR5914Thales Ogliari6009Sao Paulo62070503***63046069';
    expectProblem(await t.call('POST', '/v1/orders/scan', { token: bob.accessToken, json: { payload: pix } }), 400, 'WALLET_QR_INVALID');
    expectProblem(await t.call('POST', '/v1/orders/scan', { token: bob.accessToken, json: { payload: 'hello' } }), 400, 'WALLET_QR_INVALID');
    const qr = (await api('GET', '/orders/T-000001/qr')).body;
    t.clock.advance(2 * 3600_000);
    const bobAgain = await t.signIn('bob');
    expectProblem(await t.call('POST', '/v1/orders/scan', { token: bobAgain.accessToken, json: { payload: qr.payload } }), 409, 'ORDER_EXPIRED');
  });

  it("pays a merchant's static code with an amount the payer enters", async () => {
    const { t, ada, bob, merchant } = await world();
    await using _ = t;
    const qr = await t.call('GET', `/v1/merchants/${merchant.id}/qr?currency=CNY`, { token: ada.accessToken });
    assert.equal(parseMpm(qr.body.payload).initiation, 'static');
    const scanned = await t.call('POST', '/v1/orders/scan', { token: bob.accessToken, json: { payload: qr.body.payload } });
    assert.deepEqual([scanned.body.kind, scanned.body.merchant.id, scanned.body.merchant.name, scanned.body.currency], ['merchant', merchant.id, '阿达面馆', 'CNY']);
    const json = { merchantId: merchant.id, amount: 1_250, currency: 'CNY', note: 'two buns', pin: PIN };
    const paid = await t.call('POST', '/v1/orders/pay-merchant', { token: bob.accessToken, json, headers: { 'idempotency-key': 's1' } });
    const again = await t.call('POST', '/v1/orders/pay-merchant', { token: bob.accessToken, json, headers: { 'idempotency-key': 's1' } });
    assert.equal(paid.status, 200, paid.text);
    assert.equal(again.text, paid.text);
    assert.deepEqual([paid.body.status, paid.body.amount, paid.body.description], ['SUCCESS', 1_250, 'two buns']);
    const m = await t.call('GET', `/v1/merchants/${merchant.id}`, { token: ada.accessToken });
    assert.equal(m.body.balances.find((b: { currency: string }) => b.currency === 'CNY').balance, 1_250);
    expectProblem(await t.call('POST', '/v1/orders/pay-merchant', { token: bob.accessToken, json: { ...json, amount: 9_000 }, headers: { 'idempotency-key': 's2' } }), 402, 'WALLET_INSUFFICIENT_FUNDS');
  });
});
