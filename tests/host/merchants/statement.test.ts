import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

const PIN = '480915';

describe('merchants: daily statements', () => {
  it('lists the day’s payments and refunds with totals that reconcile exactly with the ledger, as JSON and CSV', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    let bob = await t.signUp('bob');
    const m = (await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Ada', city: 'Beijing', countryCode: 'CN' } })).body;
    const k = (await t.call('POST', `/v1/merchants/${m.id}/keys`, { token: ada.accessToken, json: { name: 'k', scopes: ['orders:read', 'orders:write', 'refunds:write'] } })).body;
    const api = (method: string, path: string, json?: unknown) => t.call(method, `/v1/merchant-api${path}`, { json, headers: { authorization: `Bearer ${k.secret}` } });
    await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } });
    await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 100_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, headers: { 'idempotency-key': 'top' } });
    await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 100_000, currency: 'THB', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, headers: { 'idempotency-key': 'top-thb' } });
    let n = 0;
    const sell = async (amount: number, currency = 'CNY'): Promise<string> => {
      const no = `T-${String(++n).padStart(6, '0')}`;
      const o = (await api('POST', '/orders', { outTradeNo: no, amount, currency, description: 'x' })).body;
      const paid = await t.call('POST', `/v1/orders/${o.id}/pay`, { token: bob.accessToken, json: { pin: PIN }, headers: { 'idempotency-key': `pay-${no}` } });
      assert.equal(paid.status, 200, paid.text);
      return no;
    };
    // 2026-11-23 (the test clock starts at 09:00 UTC)
    const first = await sell(1_000);
    await sell(2_500);
    await sell(9_900, 'THB');
    assert.equal((await api('POST', `/orders/${first}/refunds`, { outRefundNo: 'R-1', amount: 400 })).status, 201);
    // 2026-11-24
    t.clock.advance(24 * 3600_000);
    bob = await t.signIn('bob'); // access tokens live 15 minutes
    await sell(700);

    const day1 = await api('GET', '/statement?date=2026-11-23');
    assert.equal(day1.status, 200, day1.text);
    assert.deepEqual(day1.body.lines.map((l: { kind: string; amount: number; currency: string }) => [l.kind, l.amount, l.currency]), [
      ['payment', 1_000, 'CNY'],
      ['payment', 2_500, 'CNY'],
      ['payment', 9_900, 'THB'],
      ['refund', -400, 'CNY'],
    ]);
    assert.deepEqual(day1.body.totals, [
      { currency: 'CNY', opening: 0, credits: 3_500, debits: 400, closing: 3_100, count: 3 },
      { currency: 'THB', opening: 0, credits: 9_900, debits: 0, closing: 9_900, count: 1 },
    ]);
    assert.equal(day1.body.lines[3].outRefundNo, 'R-1');
    const day2 = await api('GET', '/statement?date=2026-11-24');
    assert.deepEqual(day2.body.totals.find((x: { currency: string }) => x.currency === 'CNY'), { currency: 'CNY', opening: 3_100, credits: 700, debits: 0, closing: 3_800, count: 1 });
    const balances = (await t.call('GET', `/v1/merchants/${m.id}`, { token: (await t.signIn('ada')).accessToken })).body.balances;
    assert.equal(balances.find((b: { currency: string }) => b.currency === 'CNY').balance, 3_800, 'the last closing balance is the ledger balance');

    const csv = await api('GET', '/statement?date=2026-11-23&format=csv');
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.equal(csv.headers.get('digest'), `sha-256=${createHash('sha256').update(csv.text).digest('base64')}`);
    const rows = csv.text.trim().split('\r\n');
    assert.equal(rows.length, 1 + 4 + 2);
    assert.equal(rows[6], 'total,,2026-11-23,,THB,9900,,,,0,9900,0,9900');
    expectProblem(await api('GET', '/statement?date=2026-02-30'), 400, 'VALIDATION_FAILED');
    expectProblem(await api('GET', '/statement?date=yesterday'), 400, 'VALIDATION_FAILED');
  });
});
