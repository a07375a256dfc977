import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createShopBackend } from '../../miniapps/shop/backend/app.ts';
import { DEMO_SHOP, seedDemoShop } from '../../host/src/seed.ts';
import { startTestHost } from '../helpers/host.ts';

const APP = 'dev.atrium.shop';
const HOST = 'shop-backend.atrium-samples.test';
const PIN = '480915';
const CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };

describe("miniapps/shop: the shop's own backend", () => {
  it('prices the cart itself, creates the order with its merchant key, and learns of the payment from a verified webhook', async () => {
    await using t = await startTestHost();
    const s = t.host.services;
    await s.apps.registry.ensureDeveloper('dev_samples', 'Atrium samples');
    const { secret } = await s.apps.registry.ensureApp({ id: APP, name: 'Corner Shop', developerId: 'dev_samples' });
    const grace = await t.signUp('grace');
    const bob = await t.signUp('bob');
    const merchant = await seedDemoShop(s, grace.userId);
    assert.equal(s.wallet.webhooks.endpoint(merchant.id), DEMO_SHOP.webhookUrl);
    assert.deepEqual(s.wallet.appPayments.merchantsOf(APP), [merchant.id]);
    const firstKey = await s.wallet.appPayments.developmentKey(APP);
    const merchantKey = await s.wallet.appPayments.developmentKey(APP);
    assert.equal((await t.call('GET', '/v1/merchant-api/orders/NOPE-000001', { headers: { authorization: `Bearer ${firstKey}` } })).status, 401, "the previous start's key is revoked");

    const viaHost: typeof fetch = (input, init) => Promise.resolve(t.host.request(String(input).replace(t.config.publicUrl, ''), init));
    const backend = createShopBackend({ atriumUrl: t.config.publicUrl, appId: APP, appSecret: secret!, merchantKey, fetch: viaHost, now: () => t.clock.now() });
    const received: Request[] = [];
    s.apps.network.mapDevelopmentHost(HOST, (request) => {
      received.push(request.clone());
      return backend.fetch(request);
    });
    const post = (path: string, json: unknown) => backend.request(path, { method: 'POST', body: JSON.stringify(json), headers: { 'content-type': 'application/json' } });

    const catalogue = (await (await backend.request('/products')).json()) as { currency: string; products: Array<{ id: string; price: number }> };
    assert.equal(catalogue.currency, 'CNY');
    assert.ok(catalogue.products.length >= 3);

    const code = async () => (await s.apps.identities.issueLoginCode(APP, bob.userId)).code;
    for (const items of [[{ id: 'caviar', qty: 1 }], [{ id: 'noodles', qty: 0 }], [{ id: 'noodles', qty: 1, price: 1 }], [], [{ id: 'noodles', qty: 1 }, { id: 'noodles', qty: 1 }]]) {
      assert.equal((await post('/checkout', { code: await code(), items })).status, 400, JSON.stringify(items));
    }
    const checkout = await post('/checkout', { code: await code(), items: [{ id: 'noodles', qty: 2 }, { id: 'milktea', qty: 1 }] });
    assert.equal(checkout.status, 200, await checkout.clone().text());
    const order = (await checkout.json()) as { orderId: string; outTradeNo: string; amount: number; currency: string; token: string };
    assert.deepEqual([order.amount, order.currency], [2 * 2_500 + 1_200, 'CNY']);
    const atriumOrder = (await t.call('GET', `/v1/merchant-api/orders/${order.outTradeNo}`, { headers: { authorization: `Bearer ${merchantKey}` } })).body;
    assert.deepEqual([atriumOrder.id, atriumOrder.amount, atriumOrder.status, atriumOrder.metadata.openid], [order.orderId, 6_200, 'NOTPAY', await s.apps.identities.openid(APP, bob.userId)]);

    const query = (token = order.token) => backend.request(`/orders/${order.outTradeNo}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal((await query(`${order.token}x`)).status, 404, 'only with the order token');
    assert.equal(((await (await query()).json()) as { status: string }).status, 'unpaid');

    // bob pays in Atrium; the webhook reaches the backend, signed.
    assert.equal((await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } })).status, 204);
    await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 10_000, currency: 'CNY', card: CARD }, headers: { 'idempotency-key': 'shop-topup' } });
    const paid = await t.call('POST', `/v1/orders/${order.orderId}/pay`, { token: bob.accessToken, json: { pin: PIN }, headers: { 'idempotency-key': 'shop-pay' } });
    assert.equal(paid.status, 200, paid.text);
    assert.equal(await s.wallet.webhooks.deliverDue(), 1);
    const state = (await (await query()).json()) as { status: string; transactionId: string; amount: number };
    assert.deepEqual([state.status, state.transactionId, state.amount], ['paid', paid.body.transferId, 6_200]);
    assert.equal(s.wallet.webhooks.deliveries(merchant.id)[0]!.status, 'succeeded');

    // A forged event is refused; the real one again is accepted once (deduplicated); too late, it is a replay.
    const delivered = received[0]!;
    const body = await delivered.clone().text();
    const forged = body.replace('"amount":6200', '"amount":1');
    const signature = delivered.headers.get('atrium-signature')!;
    const send = (text: string, sig: string) => backend.request('/webhooks/atrium', { method: 'POST', body: text, headers: { 'content-type': 'application/json', 'atrium-signature': sig } });
    assert.equal((await send(forged, signature)).status, 400);
    assert.equal((await send(body, signature.replace(/v1=.*/, 'v1=AAAA'))).status, 400);
    assert.equal((await send(body, signature)).status, 204);
    t.clock.advance(301_000);
    assert.equal((await send(body, signature)).status, 400);
  });
});
