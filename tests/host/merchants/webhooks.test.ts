import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { RETRY_SCHEDULE_MS, verifyWebhook } from '../../../host/src/merchants/webhooks.ts';
import { holdFsyncs } from '../../helpers/fsync.ts';
import { expectProblem, startTestHost, type TestHost } from '../../helpers/host.ts';

const PIN = '480915';

/** A merchant's server on 127.0.0.1: answers each webhook with the next status from `statuses` (then the last). */
async function receiver(statuses: number[]): Promise<{ url: string; got: { headers: IncomingMessage['headers']; body: string }[]; server: Server } & AsyncDisposable> {
  const got: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.statusCode = statuses[Math.min(got.length - 1, statuses.length - 1)]!;
      res.end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/atrium`;
  return { url, got, server, [Symbol.asyncDispose]: () => new Promise<void>((r) => server.close(() => r())) };
}

async function merchantWithOrder(t: TestHost, url: string, handle: string): Promise<{ merchantId: string; orderId: string; owner: string }> {
  const owner = await t.signUp(handle);
  const m = (await t.call('POST', '/v1/merchants', { token: owner.accessToken, json: { name: `${handle} shop`, city: 'Beijing', countryCode: 'CN' } })).body;
  const k = (await t.call('POST', `/v1/merchants/${m.id}/keys`, { token: owner.accessToken, json: { name: 'k', scopes: ['orders:write', 'orders:read'] } })).body;
  const set = await t.call('PUT', `/v1/merchants/${m.id}/webhook`, { token: owner.accessToken, json: { url } });
  assert.equal(set.status, 200, set.text);
  const o = await t.call('POST', '/v1/merchant-api/orders', { headers: { authorization: `Bearer ${k.secret}` }, json: { outTradeNo: `T-${handle}-1`, amount: 700, currency: 'CNY', description: 'Tea' } });
  return { merchantId: m.id, orderId: o.body.id, owner: owner.accessToken };
}

async function payer(t: TestHost): Promise<string> {
  const bob = await t.signUp('bob');
  await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } });
  await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 10_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, headers: { 'idempotency-key': 'bob-topup' } });
  return bob.accessToken;
}

/** @ada's shop with one order, and @bob's payment of it, to make (then one `payment.succeeded` event is due). */
async function orderToPay(t: TestHost, url: string): Promise<{ shop: { merchantId: string; orderId: string; owner: string }; pay: () => Promise<void> }> {
  const shop = await merchantWithOrder(t, url, 'ada');
  const bob = await payer(t);
  const pay = async (): Promise<void> => {
    const paid = await t.call('POST', `/v1/orders/${shop.orderId}/pay`, { token: bob, json: { pin: PIN }, headers: { 'idempotency-key': 'pay-1' } });
    assert.equal(paid.status, 200, paid.text);
  };
  return { shop, pay };
}

/** {@link orderToPay}, paid. */
async function paidOrder(t: TestHost, url: string): Promise<{ merchantId: string; orderId: string; owner: string }> {
  const { shop, pay } = await orderToPay(t, url);
  await pay();
  return shop;
}

describe('merchants: webhooks', () => {
  it('the retry schedule is WeChat Pay’s: 15 retries, 24 h 4 min in all', () => {
    assert.equal(RETRY_SCHEDULE_MS.length, 15);
    assert.equal(RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0), (24 * 60 + 4) * 60_000);
  });

  it('sends an event only once the payment behind it is on disk', async () => {
    await using t = await startTestHost({ development: { allowLocalNetwork: true } });
    await using hook = await receiver([200]);
    const { pay } = await orderToPay(t, hook.url);
    using fsyncs = holdFsyncs();
    const paying = pay(); // commits, then waits for its fsync
    await fsyncs.firstHeld('the payment');
    const sweep = t.host.services.wallet.webhooks.deliverDue();
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(hook.got.length, 0, 'nothing sent before the fsync ends');
    for (const release of fsyncs.held.splice(0)) release();
    await paying;
    assert.equal(await sweep, 1);
    assert.equal(hook.got.length, 1);
  });

  it('delivers a signed event after the receiver fails and recovers, on the schedule, with a log and redelivery', async () => {
    await using t = await startTestHost({ development: { allowLocalNetwork: true } });
    await using hook = await receiver([500, 503, 500, 200]);
    const shop = await paidOrder(t, hook.url);
    const { webhooks } = t.host.services.wallet;

    assert.equal(await webhooks.deliverDue(), 1);
    assert.equal(hook.got.length, 1);
    assert.equal(await webhooks.deliverDue(), 0, 'not due again before 15 s');
    for (const wait of [15_000, 15_000, 30_000]) {
      t.clock.advance(wait - 1);
      assert.equal(await webhooks.deliverDue(), 0);
      t.clock.advance(1);
      assert.equal(await webhooks.deliverDue(), 1);
    }
    assert.equal(hook.got.length, 4);
    t.clock.advance(3600_000);
    assert.equal(await webhooks.deliverDue(), 0, 'delivered: nothing more to send');

    // Every attempt carries the same event (receivers deduplicate on its id), signed with the published key.
    const ids = hook.got.map((g) => JSON.parse(g.body).id);
    assert.equal(new Set(ids).size, 1);
    assert.equal(hook.got[0]!.headers['atrium-event-id'], ids[0]);
    const jwks = (await t.call('GET', '/v1/webhook-keys')).body;
    const last = hook.got[3]!;
    const signedAt = Number(/t=(\d+)/.exec(String(last.headers['atrium-signature']))![1]) * 1000;
    const event = verifyWebhook(String(last.headers['atrium-signature']), last.body, jwks, signedAt);
    assert.equal(event.type, 'payment.succeeded');
    assert.deepEqual((event.data as { orderId: string; amount: number }).orderId, shop.orderId);
    assert.throws(() => verifyWebhook(String(last.headers['atrium-signature']), last.body.replace('700', '701'), jwks, signedAt), /bad signature/);
    assert.throws(() => verifyWebhook(String(last.headers['atrium-signature']), last.body, jwks, signedAt + 301_000), /tolerance/);
    assert.throws(() => verifyWebhook(undefined, last.body, jwks, signedAt), /malformed/);

    const owner = (await t.signIn('ada')).accessToken; // access tokens live 15 minutes; the clock moved on
    const log = await t.call('GET', `/v1/merchants/${shop.merchantId}/webhook-deliveries`, { token: owner });
    assert.equal(log.body.deliveries.length, 1);
    const delivery = log.body.deliveries[0];
    assert.deepEqual([delivery.status, delivery.eventType, delivery.attempts.map((a: { statusCode: number }) => a.statusCode)], ['succeeded', 'payment.succeeded', [500, 503, 500, 200]]);

    assert.equal((await t.call('POST', `/v1/merchants/${shop.merchantId}/webhook-deliveries/${delivery.id}/redeliver`, { token: owner })).status, 202);
    assert.equal(await webhooks.deliverDue(), 1);
    assert.equal(JSON.parse(hook.got[4]!.body).id, ids[0], 'a redelivery is the same event');
  });

  it('gives up after the 15th retry (about 24 h) when the receiver never recovers; nothing is lost before that', async () => {
    await using t = await startTestHost({ development: { allowLocalNetwork: true } });
    await using hook = await receiver([503]);
    const shop = await paidOrder(t, hook.url);
    const { webhooks } = t.host.services.wallet;
    assert.equal(await webhooks.deliverDue(), 1);
    for (const wait of RETRY_SCHEDULE_MS) {
      t.clock.advance(wait);
      assert.equal(await webhooks.deliverDue(), 1);
    }
    t.clock.advance(24 * 3600_000);
    assert.equal(await webhooks.deliverDue(), 0);
    assert.equal(hook.got.length, 16);
    const owner = (await t.signIn('ada')).accessToken;
    const log = (await t.call('GET', `/v1/merchants/${shop.merchantId}/webhook-deliveries`, { token: owner })).body;
    assert.deepEqual([log.deliveries[0].status, log.deliveries[0].attempts.length, log.deliveries[0].nextAttemptAt], ['failed', 16, null]);
  });

  it('emits refund and close events, and only to https endpoints (http only to localhost in development)', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const m = (await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Ada', city: 'Beijing', countryCode: 'CN' } })).body;
    expectProblem(await t.call('PUT', `/v1/merchants/${m.id}/webhook`, { token: ada.accessToken, json: { url: 'http://example.com/hook' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('PUT', `/v1/merchants/${m.id}/webhook`, { token: ada.accessToken, json: { url: 'http://127.0.0.1:9/hook' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('PUT', `/v1/merchants/${m.id}/webhook`, { token: ada.accessToken, json: { url: 'https://user:pw@example.com/hook' } }), 400, 'VALIDATION_FAILED');
    const ok = await t.call('PUT', `/v1/merchants/${m.id}/webhook`, { token: ada.accessToken, json: { url: 'https://shop.example/hooks' } });
    assert.deepEqual(ok.body, { url: 'https://shop.example/hooks' });
    const k = (await t.call('POST', `/v1/merchants/${m.id}/keys`, { token: ada.accessToken, json: { name: 'k', scopes: ['orders:write', 'orders:read'] } })).body;
    await t.call('POST', '/v1/merchant-api/orders', { headers: { authorization: `Bearer ${k.secret}` }, json: { outTradeNo: 'T-000001', amount: 1, currency: 'CNY', description: 'x' } });
    await t.call('POST', '/v1/merchant-api/orders/T-000001/close', { headers: { authorization: `Bearer ${k.secret}` } });
    const log = (await t.call('GET', `/v1/merchants/${m.id}/webhook-deliveries`, { token: ada.accessToken })).body;
    assert.deepEqual(log.deliveries.map((d: { eventType: string; status: string }) => [d.eventType, d.status]), [['order.closed', 'pending']]);
    assert.equal((await t.call('PUT', `/v1/merchants/${m.id}/webhook`, { token: ada.accessToken, json: { url: null } })).body.url, null);
  });
});
