/**
 * `atrium.requestPayment()` on the host: only orders of a merchant bound to the app, unpaid, open and unexpired
 * reach the pay sheet; the shell pays them through the wallet's own order payment (PIN, idempotency, ledger,
 * webhook outbox) and the app learns the outcome from the order, never from the sheet's word or its own args.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppNetwork } from '../../../host/src/apps/network.ts';
import { createBridgeHandlers, type SessionContext } from '../../../host/src/sessions/bridge-handlers.ts';
import { Prompter } from '../../../host/src/sessions/prompter.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { BRIDGE_APIS } from '../../../sdk/src/bridge/registry.ts';
import { expectProblem, startTestHost, type TestHost, type TestSession } from '../../helpers/host.ts';

const APP = 'dev.ada.shop';
const OTHER_APP = 'dev.eve.games';
const PIN = '480915';
const CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
let n = 0;
const idem = (): Record<string, string> => ({ 'idempotency-key': `rp-${process.pid}-${++n}` });

/**
 * ada runs a shop: her merchant "Ada Noodles" (key, webhook endpoint) is bound to her app; eve has a merchant
 * of her own; bob has 100 CNY and a PIN, and has the app open.
 */
async function world(t: TestHost) {
  const s = t.host.services;
  const [ada, bob, eve] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('eve')];
  const ok = async (res: Promise<{ status: number; text: string; body: any }>, status = 200) => {
    const r = await res;
    assert.equal(r.status, status, r.text);
    return r.body;
  };
  await ok(t.call('POST', '/v1/developer', { token: ada.accessToken, json: { name: 'Ada' } }));
  await ok(t.call('POST', '/v1/developer/apps', { token: ada.accessToken, json: { appId: APP, name: 'Ada Shop' } }), 201);
  await ok(t.call('POST', '/v1/developer', { token: eve.accessToken, json: { name: 'Eve' } }));
  await ok(t.call('POST', '/v1/developer/apps', { token: eve.accessToken, json: { appId: OTHER_APP, name: 'Eve Games' } }), 201);
  const merchant = await ok(t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Ada Noodles', city: 'Beijing', countryCode: 'CN' } }), 201);
  const key = await ok(t.call('POST', `/v1/merchants/${merchant.id}/keys`, { token: ada.accessToken, json: { name: 'shop backend', scopes: ['orders:read', 'orders:write'] } }), 201);
  await ok(t.call('PUT', `/v1/merchants/${merchant.id}/webhook`, { token: ada.accessToken, json: { url: 'https://noodles.example/hooks' } }));
  await ok(t.call('PUT', `/v1/merchants/${merchant.id}/apps/${APP}`, { token: ada.accessToken }));
  const eveMerchant = await ok(t.call('POST', '/v1/merchants', { token: eve.accessToken, json: { name: 'Eve Games', city: 'Beijing', countryCode: 'CN' } }), 201);
  const eveKey = await ok(t.call('POST', `/v1/merchants/${eveMerchant.id}/keys`, { token: eve.accessToken, json: { name: 'k', scopes: ['orders:read', 'orders:write'] } }), 201);
  await ok(t.call('PUT', `/v1/merchants/${eveMerchant.id}/apps/${OTHER_APP}`, { token: eve.accessToken }));
  assert.equal((await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } })).status, 204);
  await ok(t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 10_000, currency: 'CNY', card: CARD }, headers: idem() }), 201);

  const merchantApi = (method: string, path: string, json?: unknown, secret: string = key.secret) => t.call(method, `/v1/merchant-api${path}`, { json, headers: { authorization: `Bearer ${secret}` } });
  const order = async (outTradeNo: string, amount = 2_500, secret: string = key.secret, extra: Record<string, unknown> = {}) =>
    ok(merchantApi('POST', '/orders', { outTradeNo, amount, currency: 'CNY', description: 'Beef noodles', ...extra }, secret), 201);

  const prompter = new Prompter({ hub: s.hub, bus: s.bus });
  const network = new AppNetwork();
  const delivered: Array<{ deviceId?: string; message: any }> = [];
  s.bus.subscribe('realtime.deliver', (e) => delivered.push(e as { deviceId?: string; message: any }));
  const ctx: SessionContext = { session: 'ses_1', userId: bob.userId, deviceId: bob.deviceId, appId: APP, appName: 'Ada Shop', permissions: [], networkDomains: [], pages: ['pages/index'], topPageId: () => 1, rememberTitle: () => undefined };
  const handlers = createBridgeHandlers({ context: (id) => (id === 'ses_1' ? ctx : undefined), identity: s.identity, ...s.apps, network, prompter, hub: s.hub, messages: s.messaging.messages, payments: s.wallet.appPayments });

  /** Waits for the pay sheet on bob's device. */
  const sheet = async () => {
    for (let i = 0; i < 200 && !delivered.some((d) => d.message.t === 'app.prompt'); i++) await new Promise((r) => setTimeout(r, 5));
    const index = delivered.findIndex((d) => d.message.t === 'app.prompt');
    assert.ok(index >= 0, 'the pay sheet was shown');
    const [prompt] = delivered.splice(index, 1);
    assert.equal(prompt!.deviceId, bob.deviceId, "on the person's device");
    return prompt!.message;
  };
  /** What the shell does when the person confirms: pays over the wallet's API with their own token and PIN. */
  const payInShell = (orderId: string, pin: string, who: TestSession = bob) => t.call('POST', `/v1/orders/${orderId}/pay`, { token: who.accessToken, json: { pin }, headers: idem() });
  const close = (prompt: any, paid: boolean) => prompter.reply(prompt.session, prompt.promptId, { kind: 'pay', paid });
  const balance = async (who: TestSession) => (await t.call('GET', '/v1/wallet', { token: who.accessToken })).body.balances.find((b: any) => b.currency === 'CNY').balance as number;
  const noPrompt = () => assert.equal(delivered.some((d) => d.message.t === 'app.prompt'), false, 'no pay sheet');
  const log = async () => (await s.apps.accessLog.list(bob.userId, APP)).entries.map((e) => [e.api, e.outcome, e.detail]);
  return { s, ada, bob, eve, merchant, key, eveKey, merchantApi, order, handlers, sheet, payInShell, close, balance, noPrompt, log, network, delivered };
}

const failure = (res: { ok: boolean }) => [res.ok, (res as { code?: string }).code];

describe('sessions: atrium.requestPayment()', () => {
  it('shows the order in the pay sheet, is paid by the shell with the PIN after a wrong one, resolves once paid, and enqueues the webhook', async () => {
    await using t = await startTestHost();
    const w = await world(t);
    const created = await w.order('SHOP-000001', 2_500);
    const call = w.handlers.requestPayment('ses_1', { orderId: created.id });
    const prompt = await w.sheet();
    assert.equal(prompt.kind, 'pay');
    assert.deepEqual(prompt.app, { id: APP, name: 'Ada Shop' });
    assert.deepEqual(prompt.order, { id: created.id, merchantName: 'Ada Noodles', amount: 2_500, currency: 'CNY', description: 'Beef noodles', expiresAt: created.expiresAt });

    expectProblem(await w.payInShell(created.id, '111111'), 403, 'WALLET_PIN_INCORRECT');
    const paid = await w.payInShell(created.id, PIN);
    assert.equal(paid.status, 200, paid.text);
    w.close(prompt, true);
    const res = await call;
    assert.equal(res.ok, true, JSON.stringify(res));
    const result = (res as { result: any }).result;
    assert.deepEqual(result, { status: 'paid', orderId: created.id, outTradeNo: 'SHOP-000001', transactionId: paid.body.transferId, amount: 2_500, currency: 'CNY', paidAt: paid.body.paidAt });

    // The money moved once, through the ledger; the merchant's order is paid and its webhook waits in the outbox.
    assert.equal(await w.balance(w.bob), 7_500);
    const merchant = (await t.call('GET', `/v1/merchants/${w.merchant.id}`, { token: w.ada.accessToken })).body;
    assert.equal(merchant.balances.find((b: any) => b.currency === 'CNY').balance, 2_500);
    assert.equal((await w.merchantApi('GET', '/orders/SHOP-000001')).body.status, 'SUCCESS');
    const deliveries = (await t.call('GET', `/v1/merchants/${w.merchant.id}/webhook-deliveries`, { token: w.ada.accessToken })).body.deliveries;
    assert.deepEqual(deliveries.map((d: any) => [d.eventType, d.status, d.url]), [['payment.succeeded', 'pending', 'https://noodles.example/hooks']]);
    const event = t.database.db.all<{ payload: string }>((await import('drizzle-orm')).sql`select payload from merchant_events where type = 'payment.succeeded'`);
    assert.equal(JSON.parse(event[0]!.payload).transferId, result.transactionId);
    assert.deepEqual((await w.log()).map(([api, outcome]) => [api, outcome]), [['requestPayment', 'allowed']]);
    assert.deepEqual(checkInvariants(t.database.db, t.clock.now()).violations, []);
    await w.network.close();
  });

  it("refuses an order of a merchant not bound to the app, and another app's prepay id, without a sheet", async () => {
    await using t = await startTestHost();
    const w = await world(t);
    const evesOrder = await w.order('EVE-000001', 100, w.eveKey.secret);
    assert.deepEqual(failure(await w.handlers.requestPayment('ses_1', { orderId: evesOrder.id })), [false, 'ORDER_OTHER_MERCHANT']);
    // eve's server hands her order to her own app: ada's app cannot use that prepay id either.
    const prepay = await w.merchantApi('POST', '/orders/EVE-000001/prepay', { appId: OTHER_APP }, w.eveKey.secret);
    assert.equal(prepay.status, 200, prepay.text);
    assert.deepEqual(failure(await w.handlers.requestPayment('ses_1', { prepayId: prepay.body.prepayId })), [false, 'ORDER_NOT_FOUND']);
    // eve's key cannot make a prepay id for ada's app (her merchant is not bound to it).
    expectProblem(await w.merchantApi('POST', '/orders/EVE-000001/prepay', { appId: APP }, w.eveKey.secret), 403, 'MERCHANT_APP_NOT_LINKED');
    assert.deepEqual(failure(await w.handlers.requestPayment('ses_1', { orderId: 'ord_doesnotexist' })), [false, 'ORDER_NOT_FOUND']);
    w.noPrompt();
    assert.equal(await w.balance(w.bob), 10_000);
    assert.deepEqual((await w.log()).map(([api, outcome, detail]) => [api, outcome, detail]).sort(), [
      ['requestPayment', 'failed', 'ORDER_NOT_FOUND'],
      ['requestPayment', 'failed', 'ORDER_NOT_FOUND'],
      ['requestPayment', 'failed', 'ORDER_OTHER_MERCHANT'],
    ]);
    await w.network.close();
  });

  it('refuses paid, closed and expired orders without a sheet', async () => {
    await using t = await startTestHost();
    const w = await world(t);
    const paid = await w.order('SHOP-000002', 100);
    assert.equal((await w.payInShell(paid.id, PIN)).status, 200);
    const closed = await w.order('SHOP-000003', 100);
    assert.equal((await w.merchantApi('POST', '/orders/SHOP-000003/close')).status, 200);
    const expiring = await w.order('SHOP-000004', 100, w.key.secret, { expiresInSeconds: 60 });
    t.clock.advance(61_000);
    assert.deepEqual(failure(await w.handlers.requestPayment('ses_1', { orderId: paid.id })), [false, 'ORDER_NOT_PAYABLE']);
    assert.deepEqual(failure(await w.handlers.requestPayment('ses_1', { orderId: closed.id })), [false, 'ORDER_NOT_PAYABLE']);
    assert.deepEqual(failure(await w.handlers.requestPayment('ses_1', { orderId: expiring.id })), [false, 'ORDER_EXPIRED']);
    w.noPrompt();
    await w.network.close();
  });

  it('rejects with PAYMENT_CANCELLED when the sheet is closed, after a wrong PIN, or when the sheet claims a payment that never happened', async () => {
    await using t = await startTestHost();
    const w = await world(t);
    const created = await w.order('SHOP-000005', 2_500);

    const first = w.handlers.requestPayment('ses_1', { orderId: created.id });
    w.close(await w.sheet(), false);
    assert.deepEqual(failure(await first), [false, 'PAYMENT_CANCELLED']);

    const second = w.handlers.requestPayment('ses_1', { orderId: created.id });
    const prompt = await w.sheet();
    expectProblem(await w.payInShell(created.id, '000000'), 403, 'WALLET_PIN_INCORRECT');
    w.close(prompt, false);
    assert.deepEqual(failure(await second), [false, 'PAYMENT_CANCELLED']);

    // A shell (or anything on the socket) saying "paid" is not enough: the host reads the order.
    const third = w.handlers.requestPayment('ses_1', { orderId: created.id });
    w.close(await w.sheet(), true);
    assert.deepEqual(failure(await third), [false, 'PAYMENT_CANCELLED']);

    // Someone else paying the order while bob's sheet is open does not count as bob's payment.
    const fourth = w.handlers.requestPayment('ses_1', { orderId: created.id });
    const open = await w.sheet();
    assert.equal((await t.call('PUT', '/v1/wallet/pin', { token: w.eve.accessToken, json: { pin: PIN } })).status, 204);
    await t.call('POST', '/v1/wallet/topups', { token: w.eve.accessToken, json: { amount: 5_000, currency: 'CNY', card: CARD }, headers: idem() });
    assert.equal((await w.payInShell(created.id, PIN, w.eve)).status, 200);
    w.close(open, true);
    assert.deepEqual(failure(await fourth), [false, 'PAYMENT_CANCELLED']);

    assert.equal(await w.balance(w.bob), 10_000, 'bob paid nothing');
    await w.network.close();
  });

  it('cannot change the amount: the arguments name an order only, and the sheet and the charge are the order’s', async () => {
    await using t = await startTestHost();
    const w = await world(t);
    const args = BRIDGE_APIS.requestPayment.args;
    for (const bad of [{ orderId: 'ord_1', amount: 1 }, { orderId: 'ord_1', currency: 'THB' }, { orderId: 'ord_1', prepayId: 'pp_1' }, {}, { orderId: 'x' }, { prepayId: 'ord_1' }]) {
      assert.equal(args.safeParse(bad).success, false, JSON.stringify(bad));
    }
    const created = await w.order('SHOP-000006', 4_200);
    const call = w.handlers.requestPayment('ses_1', { orderId: created.id, amount: 1 } as never); // past the schema, even
    const prompt = await w.sheet();
    assert.equal(prompt.order.amount, 4_200);
    assert.equal((await w.payInShell(created.id, PIN)).status, 200);
    w.close(prompt, true);
    assert.equal(((await call) as { result: { amount: number } }).result.amount, 4_200);
    assert.equal(await w.balance(w.bob), 10_000 - 4_200);
    await w.network.close();
  });

  it('pays by a prepay id the merchant made for this app', async () => {
    await using t = await startTestHost();
    const w = await world(t);
    const created = await w.order('SHOP-000007', 300);
    const prepay = await w.merchantApi('POST', '/orders/SHOP-000007/prepay', { appId: APP });
    assert.equal(prepay.status, 200, prepay.text);
    assert.match(prepay.body.prepayId, /^pp_/);
    assert.deepEqual([prepay.body.orderId, prepay.body.appId, prepay.body.expiresAt], [created.id, APP, created.expiresAt]);
    assert.equal((await w.merchantApi('POST', '/orders/SHOP-000007/prepay', { appId: APP })).body.prepayId, prepay.body.prepayId, 'the same id when asked again');
    const call = w.handlers.requestPayment('ses_1', { prepayId: prepay.body.prepayId });
    const prompt = await w.sheet();
    assert.equal(prompt.order.id, created.id);
    assert.equal((await w.payInShell(created.id, PIN)).status, 200);
    w.close(prompt, true);
    assert.equal(((await call) as { result: { orderId: string } }).result.orderId, created.id);
    expectProblem(await w.merchantApi('POST', '/orders/SHOP-000007/prepay', { appId: APP }), 409, 'ORDER_NOT_PAYABLE');
    await w.network.close();
  });

  it("binds only a merchant's owner who manages the app, audits it, and an unbound app can no longer take payments", async () => {
    await using t = await startTestHost();
    const w = await world(t);
    // eve owns a merchant but does not manage ada's app; ada cannot bind eve's merchant; bob (tester) cannot either.
    expectProblem(await t.call('PUT', `/v1/merchants/${w.merchant.id}/apps/${OTHER_APP}`, { token: w.ada.accessToken }), 404, 'APP_NOT_FOUND');
    const eveMerchantId = (await t.call('GET', '/v1/merchants', { token: w.eve.accessToken })).body.merchants[0].id;
    expectProblem(await t.call('PUT', `/v1/merchants/${eveMerchantId}/apps/${APP}`, { token: w.eve.accessToken }), 404, 'APP_NOT_FOUND');
    expectProblem(await t.call('PUT', `/v1/merchants/${eveMerchantId}/apps/${APP}`, { token: w.ada.accessToken }), 404, 'MERCHANT_NOT_FOUND');
    assert.equal((await t.call('PUT', `/v1/developer/apps/${APP}/members/bob`, { token: w.ada.accessToken, json: { role: 'tester' } })).status, 200);
    const bobMerchant = (await t.call('POST', '/v1/merchants', { token: w.bob.accessToken, json: { name: 'Bob Buns', city: 'Beijing', countryCode: 'CN' } })).body;
    expectProblem(await t.call('PUT', `/v1/merchants/${bobMerchant.id}/apps/${APP}`, { token: w.bob.accessToken }), 403, 'APP_ROLE_REQUIRED');

    const links = (await t.call('GET', `/v1/merchants/${w.merchant.id}/apps`, { token: w.ada.accessToken })).body.apps;
    assert.deepEqual(links.map((l: any) => [l.appId, l.linkedBy]), [[APP, w.ada.userId]]);
    expectProblem(await t.call('GET', `/v1/merchants/${w.merchant.id}/apps`, { token: w.eve.accessToken }), 404, 'MERCHANT_NOT_FOUND');

    assert.equal((await t.call('DELETE', `/v1/merchants/${w.merchant.id}/apps/${APP}`, { token: w.ada.accessToken })).status, 204);
    const audit = (await t.call('GET', `/v1/developer/apps/${APP}/audit`, { token: w.ada.accessToken })).body.entries;
    assert.deepEqual(audit.filter((e: any) => e.action.startsWith('merchant.')).map((e: any) => [e.action, e.actorId, e.detail.merchantId]), [
      ['merchant.unlink', w.ada.userId, w.merchant.id],
      ['merchant.link', w.ada.userId, w.merchant.id],
    ]);
    const created = await w.order('SHOP-000008', 100);
    assert.deepEqual(failure(await w.handlers.requestPayment('ses_1', { orderId: created.id })), [false, 'ORDER_OTHER_MERCHANT']);
    w.noPrompt();
    await w.network.close();
  });
});
