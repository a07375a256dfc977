/**
 * The merchant owner's shell routes (session, not API key): orders with filters and paging, an order with its
 * refunds, partial refunds (idempotent, never above the paid amount), statements; nobody else's merchant.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

const PIN = '480915';

describe('merchants: the owner’s orders, refunds and statements', () => {
  it('lists, filters and pages orders; refunds part of one; shows the refund and the statement line', async () => {
    await using t = await startTestHost();
    let ada = await t.signUp('ada');
    let bob = await t.signUp('bob');
    const m = (await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Ada Noodles', city: 'Beijing', countryCode: 'CN' } })).body;
    const k = (await t.call('POST', `/v1/merchants/${m.id}/keys`, { token: ada.accessToken, json: { name: 'k', scopes: ['orders:read', 'orders:write'] } })).body;
    const api = (method: string, path: string, json?: unknown) => t.call(method, `/v1/merchant-api${path}`, { json, headers: { authorization: `Bearer ${k.secret}` } });
    await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } });
    await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 100_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, headers: { 'idempotency-key': 'top' } });
    const order = async (no: string, amount: number, pay: boolean): Promise<string> => {
      const o = (await api('POST', '/orders', { outTradeNo: no, amount, currency: 'CNY', description: `Bowl ${no}` })).body;
      if (pay) assert.equal((await t.call('POST', `/v1/orders/${o.id}/pay`, { token: bob.accessToken, json: { pin: PIN }, headers: { 'idempotency-key': `pay-${no}` } })).status, 200);
      t.clock.advance(1_000);
      return o.id as string;
    };
    // 2026-11-23: three paid, one open; 2026-11-24: one paid
    const paidId = await order('N-000001', 3_000, true);
    await order('N-000002', 1_500, true);
    await order('N-000003', 800, false);
    await order('N-000004', 2_200, true);
    t.clock.advance(24 * 3600_000);
    ada = await t.signIn('ada');
    bob = await t.signIn('bob');
    await order('N-000005', 900, true);
    const get = (path: string, token = ada.accessToken) => t.call('GET', `/v1/merchants/${m.id}${path}`, { token });

    const all = await get('/orders');
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(all.body.orders.map((o: { outTradeNo: string }) => o.outTradeNo), ['N-000005', 'N-000004', 'N-000003', 'N-000002', 'N-000001'], 'newest first');
    assert.equal(all.body.nextCursor, null);
    assert.deepEqual((await get('/orders?status=NOTPAY')).body.orders.map((o: { outTradeNo: string }) => o.outTradeNo), ['N-000003']);
    assert.deepEqual((await get('/orders?from=2026-11-24&to=2026-11-24')).body.orders.map((o: { outTradeNo: string }) => o.outTradeNo), ['N-000005']);
    assert.deepEqual((await get('/orders?status=SUCCESS&to=2026-11-23')).body.orders.map((o: { outTradeNo: string }) => o.outTradeNo), ['N-000004', 'N-000002', 'N-000001']);
    // pages of two, following the cursor, see every order once
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { orders: { outTradeNo: string }[]; nextCursor: string | null } } = await get(`/orders?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.ok(page.body.orders.length <= 2);
      seen.push(...page.body.orders.map((o) => o.outTradeNo));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, ['N-000005', 'N-000004', 'N-000003', 'N-000002', 'N-000001']);
    expectProblem(await get('/orders?cursor=nonsense'), 400, 'VALIDATION_FAILED');
    expectProblem(await get('/orders?from=2026-02-30'), 400, 'VALIDATION_FAILED');

    // a partial refund by order id, idempotent on out_refund_no, never above what was paid
    const refund = (json: unknown) => t.call('POST', `/v1/merchants/${m.id}/orders/${paidId}/refunds`, { token: ada.accessToken, json });
    const first = await refund({ outRefundNo: 'RF-1', amount: 1_000, reason: 'Cold soup' });
    assert.equal(first.status, 201, first.text);
    assert.equal((await refund({ outRefundNo: 'RF-1', amount: 1_000, reason: 'Cold soup' })).status, 200, 'a retry answers the first refund');
    expectProblem(await refund({ outRefundNo: 'RF-1', amount: 999 }), 409, 'REFUND_EXISTS');
    const over = expectProblem(await refund({ outRefundNo: 'RF-2', amount: 2_001 }), 400, 'REFUND_EXCEEDS_PAID');
    assert.equal(over.refundable, 2_000);
    const detail = await get(`/orders/${paidId}`);
    assert.equal(detail.status, 200, detail.text);
    assert.deepEqual([detail.body.order.status, detail.body.order.refundedAmount, detail.body.order.refundCount], ['SUCCESS', 1_000, 1]);
    assert.deepEqual(detail.body.refunds.map((r: { outRefundNo: string; amount: number; reason: string }) => [r.outRefundNo, r.amount, r.reason]), [['RF-1', 1_000, 'Cold soup']]);
    const wallet = (await t.call('GET', '/v1/wallet', { token: bob.accessToken })).body.balances.find((b: { currency: string }) => b.currency === 'CNY');
    assert.equal(wallet.balance, 100_000 - 3_000 - 1_500 - 2_200 - 900 + 1_000, 'the payer got the money back');
    expectProblem(await t.call('POST', `/v1/merchants/${m.id}/orders/${(await get('/orders?status=NOTPAY')).body.orders[0].id}/refunds`, { token: ada.accessToken, json: { outRefundNo: 'RF-3', amount: 1 } }), 409, 'REFUND_ORDER_NOT_PAID');

    // the statement of today has the refund line; as CSV with its digest
    const today = await get('/statement?date=2026-11-24');
    assert.equal(today.status, 200, today.text);
    assert.deepEqual(today.body.lines.map((l: { kind: string; amount: number; outRefundNo: string | null }) => [l.kind, l.amount, l.outRefundNo]), [['payment', 900, null], ['refund', -1_000, 'RF-1']]);
    assert.deepEqual(today.body.totals, [{ currency: 'CNY', opening: 6_700, credits: 900, debits: 1_000, closing: 6_600, count: 2 }]);
    const csv = await get('/statement?date=2026-11-24&format=csv');
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(csv.headers.get('digest'), `sha-256=${createHash('sha256').update(csv.text).digest('base64')}`);
    assert.match(csv.headers.get('content-disposition') ?? '', /statement-2026-11-24\.csv/);
    assert.ok(csv.text.includes(',refund,CNY,-1000,'));

    // nobody else sees or refunds any of it
    const eve = await t.signUp('eve');
    expectProblem(await get('/orders', eve.accessToken), 404, 'MERCHANT_NOT_FOUND');
    expectProblem(await get(`/orders/${paidId}`, eve.accessToken), 404, 'MERCHANT_NOT_FOUND');
    expectProblem(await get('/statement?date=2026-11-24', eve.accessToken), 404, 'MERCHANT_NOT_FOUND');
    expectProblem(await t.call('POST', `/v1/merchants/${m.id}/orders/${paidId}/refunds`, { token: eve.accessToken, json: { outRefundNo: 'E-1', amount: 1 } }), 404, 'MERCHANT_NOT_FOUND');
    const eveShop = (await t.call('POST', '/v1/merchants', { token: eve.accessToken, json: { name: 'Eve', city: 'Beijing', countryCode: 'CN' } })).body;
    expectProblem(await t.call('GET', `/v1/merchants/${eveShop.id}/orders/${paidId}`, { token: eve.accessToken }), 404, 'ORDER_NOT_FOUND');
    assert.ok(checkInvariants(t.database.db, t.clock.now()).ok);
  });
});
