import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { answeredAfterFsync } from '../../helpers/fsync.ts';
import { expectProblem, startTestHost, type TestHost, type TestSession } from '../../helpers/host.ts';

const PIN = '480915';
const CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
let n = 0;
const key = (): Record<string, string> => ({ 'idempotency-key': `m-${process.pid}-${++n}` });

interface Shop {
  t: TestHost;
  ada: TestSession;
  bob: TestSession;
  merchantId: string;
  secret: string;
  api(method: string, path: string, json?: unknown, secret?: string): ReturnType<TestHost['call']>;
}

async function shop(): Promise<Shop> {
  const t = await startTestHost();
  const ada = await t.signUp('ada');
  const bob = await t.signUp('bob');
  const m = await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Ada Noodles', city: 'Beijing', countryCode: 'CN' } });
  assert.equal(m.status, 201, m.text);
  const k = await t.call('POST', `/v1/merchants/${m.body.id}/keys`, { token: ada.accessToken, json: { name: 'server', scopes: ['orders:read', 'orders:write', 'refunds:write'] } });
  assert.equal(k.status, 201, k.text);
  assert.match(k.body.secret, /^mk_/);
  assert.equal((await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } })).status, 204);
  const top = await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 10_000, currency: 'CNY', card: CARD }, headers: key() });
  assert.equal(top.status, 201, top.text);
  const api = (method: string, path: string, json?: unknown, secret = k.body.secret as string) => t.call(method, `/v1/merchant-api${path}`, { json, headers: { authorization: `Bearer ${secret}` } });
  return { t, ada, bob, merchantId: m.body.id, secret: k.body.secret, api };
}

const order = (outTradeNo: string, amount = 2_500) => ({ outTradeNo, amount, currency: 'CNY', description: 'Beef noodles', metadata: { table: '7' } });

async function cny(s: Shop, who: TestSession): Promise<number> {
  return (await s.t.call('GET', '/v1/wallet', { token: who.accessToken })).body.balances.find((b: { currency: string }) => b.currency === 'CNY').balance;
}

describe('merchants: accounts, API keys, orders, payment and refunds', () => {
  it('shows an API key secret once, stores it hashed, and stops a revoked key at once', async () => {
    const s = await shop();
    await using _ = s.t;
    const keys = await s.t.call('GET', `/v1/merchants/${s.merchantId}/keys`, { token: s.ada.accessToken });
    assert.equal(keys.body.keys.length, 1);
    assert.ok(!keys.text.includes(s.secret), 'the list never shows the secret');
    const stored = s.t.database.db.all<{ secret_hash: string }>((await import('drizzle-orm')).sql`select secret_hash from merchant_api_keys`);
    assert.ok(stored.every((r) => r.secret_hash !== s.secret && /^[0-9a-f]{64}$/.test(r.secret_hash)));
    assert.equal((await s.api('POST', '/orders', order('T-0001'))).status, 201);
    expectProblem(await s.api('GET', '/orders/T-0001', undefined, `${s.secret}x`), 401, 'UNAUTHENTICATED');
    expectProblem(await s.api('GET', '/orders/T-0001', undefined, s.ada.accessToken), 401, 'UNAUTHENTICATED');
    const readOnly = await s.t.call('POST', `/v1/merchants/${s.merchantId}/keys`, { token: s.ada.accessToken, json: { name: 'reports', scopes: ['orders:read'] } });
    assert.equal((await s.api('GET', '/orders/T-0001', undefined, readOnly.body.secret)).status, 200);
    expectProblem(await s.api('POST', '/orders', order('T-0002'), readOnly.body.secret), 403, 'MERCHANT_SCOPE_MISSING');
    assert.equal((await s.t.call('DELETE', `/v1/merchants/${s.merchantId}/keys/${keys.body.keys[0].id}`, { token: s.ada.accessToken })).status, 204);
    const revoked = await s.api('GET', '/orders/T-0001');
    expectProblem(revoked, 401, 'UNAUTHENTICATED');
    assert.match(revoked.headers.get('www-authenticate') ?? '', /^Bearer/);
  });

  it('creates orders idempotently by out_trade_no and refuses it with other parameters', async () => {
    const s = await shop();
    await using _ = s.t;
    const first = await s.api('POST', '/orders', order('T-0001'));
    const again = await s.api('POST', '/orders', order('T-0001'));
    assert.deepEqual([first.status, again.status, again.body.id], [201, 200, first.body.id]);
    assert.deepEqual([first.body.status, first.body.merchantName, first.body.expiresAt - s.t.clock.now()], ['NOTPAY', 'Ada Noodles', 2 * 3600_000]);
    expectProblem(await s.api('POST', '/orders', order('T-0001', 2_600)), 409, 'ORDER_EXISTS');
    expectProblem(await s.api('POST', '/orders', order('bad no!')), 400, 'VALIDATION_FAILED');
    expectProblem(await s.api('GET', '/orders/T-9999'), 404, 'ORDER_NOT_FOUND');
  });

  it('lets a person pay an order once with the PIN; the money moves to the merchant', async () => {
    const s = await shop();
    await using _ = s.t;
    const created = (await s.api('POST', '/orders', order('T-0001'))).body;
    const sheet = await s.t.call('GET', `/v1/orders/${created.id}`, { token: s.bob.accessToken });
    assert.deepEqual([sheet.body.merchantName, sheet.body.amount, sheet.body.currency], ['Ada Noodles', 2_500, 'CNY']);
    expectProblem(await s.t.call('POST', `/v1/orders/${created.id}/pay`, { token: s.bob.accessToken, json: { pin: '000001' }, headers: key() }), 403, 'WALLET_PIN_INCORRECT');
    const attempts = [key(), key()];
    const results = await Promise.all(attempts.map((headers) => s.t.call('POST', `/v1/orders/${created.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers })));
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409], 'two payments race: exactly one pays');
    const winner = results.findIndex((r) => r.status === 200);
    const a = results[winner]!;
    expectProblem(results[1 - winner]!, 409, 'ORDER_NOT_PAYABLE');
    const replayed = await s.t.call('POST', `/v1/orders/${created.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers: attempts[winner]! });
    assert.equal(replayed.text, a.text);
    assert.equal(await cny(s, s.bob), 7_500);
    const merchant = await s.t.call('GET', `/v1/merchants/${s.merchantId}`, { token: s.ada.accessToken });
    assert.equal(merchant.body.balances.find((x: { currency: string }) => x.currency === 'CNY').balance, 2_500);
    const q = await s.api('GET', '/orders/T-0001');
    assert.deepEqual([q.body.status, q.body.transferId], ['SUCCESS', a.body.transferId]);
    const bill = await s.t.call('GET', `/v1/wallet/transactions/${a.body.transferId}`, { token: s.bob.accessToken });
    assert.deepEqual([bill.body.kind, bill.body.direction, bill.body.note, bill.body.counterparty], ['payment', 'out', 'Beef noodles', { type: 'merchant', id: s.merchantId, name: 'Ada Noodles' }]);
    expectProblem(await s.api('POST', '/orders/T-0001/close'), 409, 'ORDER_NOT_CLOSABLE');
  });

  it('refuses to pay expired or closed orders, or more than the wallet holds', async () => {
    const s = await shop();
    await using _ = s.t;
    const expiring = (await s.api('POST', '/orders', { ...order('T-0001'), expiresInSeconds: 60 })).body;
    const closed = (await s.api('POST', '/orders', order('T-0002'))).body;
    const big = (await s.api('POST', '/orders', order('T-0003', 10_001))).body;
    assert.equal((await s.api('POST', '/orders/T-0002/close')).body.status, 'CLOSED');
    s.t.clock.advance(60_000);
    expectProblem(await s.t.call('POST', `/v1/orders/${expiring.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers: key() }), 409, 'ORDER_EXPIRED');
    expectProblem(await s.t.call('POST', `/v1/orders/${closed.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers: key() }), 409, 'ORDER_NOT_PAYABLE');
    expectProblem(await s.t.call('POST', `/v1/orders/${big.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers: key() }), 402, 'WALLET_INSUFFICIENT_FUNDS');
    assert.equal((await s.api('GET', '/orders/T-0003')).body.status, 'NOTPAY');
    assert.equal(await cny(s, s.bob), 10_000);
  });

  it('reports an order outcome to the order query only once it is on disk', async () => {
    const s = await shop();
    await using _ = s.t;
    const created = (await s.api('POST', '/orders', order('T-0010', 1_000))).body;
    const pay = () => s.t.call('POST', `/v1/orders/${created.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers: key() });
    const [paid, query] = await answeredAfterFsync('the order query (SUCCESS)', pay, () => s.api('GET', '/orders/T-0010'));
    assert.equal(paid.status, 200);
    assert.equal(query.body.status, 'SUCCESS');
  });

  it('answers a repeated refund only once the first is on disk', async () => {
    const s = await shop();
    await using _ = s.t;
    const created = (await s.api('POST', '/orders', order('T-0009', 5_000))).body;
    assert.equal((await s.t.call('POST', `/v1/orders/${created.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers: key() })).status, 200);
    const refund = () => s.api('POST', '/orders/T-0009/refunds', { outRefundNo: 'R-9', amount: 700 });
    const [first, res] = await answeredAfterFsync('the repeated refund', refund, refund);
    assert.equal(first.status, 201);
    assert.deepEqual([res.status, res.body.id], [200, first.body.id]);
  });

  it('refunds partially and idempotently by out_refund_no, never above the paid amount, at most 50 times', async () => {
    const s = await shop();
    await using _ = s.t;
    const created = (await s.api('POST', '/orders', order('T-0001', 5_000))).body;
    expectProblem(await s.api('POST', '/orders/T-0001/refunds', { outRefundNo: 'R-1', amount: 100 }), 409, 'REFUND_ORDER_NOT_PAID');
    assert.equal((await s.t.call('POST', `/v1/orders/${created.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers: key() })).status, 200);
    const r1 = await s.api('POST', '/orders/T-0001/refunds', { outRefundNo: 'R-1', amount: 1_000, reason: 'cold soup' });
    const r1again = await s.api('POST', '/orders/T-0001/refunds', { outRefundNo: 'R-1', amount: 1_000, reason: 'cold soup' });
    assert.deepEqual([r1.status, r1again.status, r1again.body.id], [201, 200, r1.body.id]);
    expectProblem(await s.api('POST', '/orders/T-0001/refunds', { outRefundNo: 'R-1', amount: 999 }), 409, 'REFUND_EXISTS');
    const over = expectProblem(await s.api('POST', '/orders/T-0001/refunds', { outRefundNo: 'R-2', amount: 4_001 }), 400, 'REFUND_EXCEEDS_PAID');
    assert.equal(over.refundable, 4_000);
    // Concurrent refunds that together exceed the paid amount: only what fits goes through.
    const racing = await Promise.all([1, 2, 3].map((i) => s.api('POST', '/orders/T-0001/refunds', { outRefundNo: `R-race-${i}`, amount: 1_500 })));
    assert.deepEqual(racing.map((r) => r.status).sort(), [201, 201, 400]);
    assert.equal(await cny(s, s.bob), 5_000 + 1_000 + 3_000);
    const q = (await s.api('GET', '/orders/T-0001')).body;
    assert.deepEqual([q.refundedAmount, q.refundCount], [4_000, 3]);
    const list = await s.api('GET', '/orders/T-0001/refunds');
    assert.equal(list.body.refunds.length, 3);

    const many = (await s.api('POST', '/orders', order('T-0002', 100))).body;
    assert.equal((await s.t.call('POST', `/v1/orders/${many.id}/pay`, { token: s.bob.accessToken, json: { pin: PIN }, headers: key() })).status, 200);
    // the merchant has 4,100 by now; 50 refunds of 1 fen, then the 51st is refused
    const fifty = await Promise.all(Array.from({ length: 50 }, (_, i) => s.api('POST', '/orders/T-0002/refunds', { outRefundNo: `M-${i}`, amount: 1 })));
    assert.ok(fifty.every((r) => r.status === 201));
    expectProblem(await s.api('POST', '/orders/T-0002/refunds', { outRefundNo: 'M-50', amount: 1 }), 409, 'REFUND_LIMIT_REACHED');
    assert.ok(checkInvariants(s.t.database.db, s.t.clock.now()).ok);
  });

  it("never shows or changes another merchant's orders or keys", async () => {
    const s = await shop();
    await using _ = s.t;
    assert.equal((await s.api('POST', '/orders', order('T-0001'))).status, 201);
    const eve = await s.t.signUp('eve');
    const em = (await s.t.call('POST', '/v1/merchants', { token: eve.accessToken, json: { name: 'Eve Shop', city: 'Beijing', countryCode: 'CN' } })).body;
    const ek = (await s.t.call('POST', `/v1/merchants/${em.id}/keys`, { token: eve.accessToken, json: { name: 'k', scopes: ['orders:read', 'orders:write', 'refunds:write'] } })).body;
    expectProblem(await s.api('GET', '/orders/T-0001', undefined, ek.secret), 404, 'ORDER_NOT_FOUND');
    expectProblem(await s.api('POST', '/orders/T-0001/close', undefined, ek.secret), 404, 'ORDER_NOT_FOUND');
    expectProblem(await s.api('POST', '/orders/T-0001/refunds', { outRefundNo: 'X-1', amount: 1 }, ek.secret), 404, 'ORDER_NOT_FOUND');
    // the same out_trade_no is Eve's own to use
    assert.equal((await s.api('POST', '/orders', order('T-0001', 1), ek.secret)).status, 201);
    expectProblem(await s.t.call('GET', `/v1/merchants/${s.merchantId}`, { token: eve.accessToken }), 404, 'MERCHANT_NOT_FOUND');
    expectProblem(await s.t.call('GET', `/v1/merchants/${s.merchantId}/keys`, { token: eve.accessToken }), 404, 'MERCHANT_NOT_FOUND');
    assert.equal((await s.api('GET', '/orders/T-0001')).body.amount, 2_500);
  });
});
