import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { parseFxRates, quote } from '../../../host/src/wallet/fx.ts';
import { defaultConfig } from '../../../host/src/config.ts';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

const PIN = '480915';

describe('wallet: cross-currency payments at the operator rate', () => {
  it('quotes in exact integer arithmetic, rounding up so the merchant gets the full amount', () => {
    const rates = parseFxRates('CNY/THB=4.9512, USD/CNY=7.1');
    assert.deepEqual(quote(rates, 'THB', 12_345, 'CNY'), { currency: 'THB', amount: 12_345, payCurrency: 'CNY', payAmount: 2_494, rate: '4.9512' }); // 123.45 / 4.9512 = 24.933…
    assert.deepEqual(quote(rates, 'CNY', 710, 'USD'), { currency: 'CNY', amount: 710, payCurrency: 'USD', payAmount: 100, rate: '7.1' });
    assert.deepEqual(quote(rates, 'USD', 100, 'CNY'), { currency: 'USD', amount: 100, payCurrency: 'CNY', payAmount: 710, rate: '1/7.1' }); // the inverse pair
    assert.throws(() => quote(rates, 'EUR', 100, 'CNY'), (e: unknown) => isAtriumError(e, 'WALLET_FX_UNAVAILABLE'));
    for (const bad of ['CNY/CNY=1', 'CNY/JPY=20', 'CNY/THB=abc', 'CNY/THB=0', 'CNYTHB=1']) assert.throws(() => parseFxRates(bad), /bad exchange rate/);
  });

  it('pays a THB order from a CNY balance at the quoted amount, storing the rate on both legs', async () => {
    await using t = await startTestHost({ wallet: { ...defaultConfig().wallet, fxRates: { 'CNY/THB': '4.9512' } } });
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const m = (await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Bangkok Tea', city: 'Bangkok', countryCode: 'TH' } })).body;
    const k = (await t.call('POST', `/v1/merchants/${m.id}/keys`, { token: ada.accessToken, json: { name: 'k', scopes: ['orders:write', 'orders:read'] } })).body;
    const order = (await t.call('POST', '/v1/merchant-api/orders', { headers: { authorization: `Bearer ${k.secret}` }, json: { outTradeNo: 'T-000001', amount: 12_345, currency: 'THB', description: 'Tea' } })).body;
    await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } });
    await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 10_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, headers: { 'idempotency-key': 'top' } });

    const q = await t.call('GET', `/v1/orders/${order.id}/quote?currency=CNY`, { token: bob.accessToken });
    assert.deepEqual(q.body, { currency: 'THB', amount: 12_345, payCurrency: 'CNY', payAmount: 2_494, rate: '4.9512' });
    expectProblem(await t.call('GET', `/v1/orders/${order.id}/quote?currency=USD`, { token: bob.accessToken }), 409, 'WALLET_FX_UNAVAILABLE');
    const changed = expectProblem(await t.call('POST', `/v1/orders/${order.id}/pay`, { token: bob.accessToken, json: { pin: PIN, payCurrency: 'CNY', quotedAmount: 2_400 }, headers: { 'idempotency-key': 'p0' } }), 409, 'WALLET_FX_QUOTE_CHANGED');
    assert.equal(changed.quote.payAmount, 2_494);
    expectProblem(await t.call('POST', `/v1/orders/${order.id}/pay`, { token: bob.accessToken, json: { pin: PIN }, headers: { 'idempotency-key': 'p1' } }), 402, 'WALLET_INSUFFICIENT_FUNDS');
    expectProblem(await t.call('POST', `/v1/orders/${order.id}/pay`, { token: bob.accessToken, json: { pin: PIN, payCurrency: 'CNY' }, headers: { 'idempotency-key': 'p2' } }), 400, 'VALIDATION_FAILED');

    const paid = await t.call('POST', `/v1/orders/${order.id}/pay`, { token: bob.accessToken, json: { pin: PIN, payCurrency: 'CNY', quotedAmount: 2_494 }, headers: { 'idempotency-key': 'p3' } });
    assert.equal(paid.status, 200, paid.text);
    const wallet = (await t.call('GET', '/v1/wallet', { token: bob.accessToken })).body.balances;
    assert.equal(wallet.find((b: { currency: string }) => b.currency === 'CNY').balance, 10_000 - 2_494);
    const merchant = (await t.call('GET', `/v1/merchants/${m.id}`, { token: ada.accessToken })).body.balances;
    assert.equal(merchant.find((b: { currency: string }) => b.currency === 'THB').balance, 12_345);
    const bills = (await t.call('GET', '/v1/wallet/transactions?kind=payment', { token: bob.accessToken })).body.transactions;
    assert.deepEqual([bills[0].amount, bills[0].currency, bills[0].counterparty], [2_494, 'CNY', { type: 'merchant', id: m.id, name: 'Bangkok Tea' }]);
    const legs = t.database.db.all<{ currency: string; amount: number; meta: string }>((await import('drizzle-orm')).sql`select currency, amount, meta from ledger_transfers where code = 'payment' order by seq`);
    assert.deepEqual(legs.map((l) => [l.currency, l.amount, JSON.parse(l.meta).rate]), [['CNY', 2_494, '4.9512'], ['THB', 12_345, '4.9512']]);
    assert.ok(checkInvariants(t.database.db, t.clock.now()).ok);
  });
});
