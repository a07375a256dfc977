import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHmac } from 'node:crypto';
import { oneTimeDigits, paymentCode } from '../../../host/src/merchants/payment-codes.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { answeredAfterFsync } from '../../helpers/fsync.ts';
import { expectProblem, startTestHost, type TestHost, type TestSession } from '../../helpers/host.ts';

const PIN = '480915';

async function world(): Promise<{ t: TestHost; bob: TestSession; pos: (json: Record<string, unknown>) => ReturnType<TestHost['call']>; api: (path: string) => ReturnType<TestHost['call']>; secret: { deviceNumber: string; secret: string; codesPerPeriod: number } }> {
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

/** What the device shows: computed from its own copy of the secret, never fetched. */
const show = (t: TestHost, secret: { deviceNumber: string; secret: string }, counter = 0, at = t.clock.now()): string => paymentCode(Buffer.from(secret.secret, 'base64url'), secret.deviceNumber, at, counter);

const balance = async (t: TestHost, s: TestSession) => (await t.call('GET', '/v1/wallet', { token: s.accessToken })).body.balances.find((b: { currency: string }) => b.currency === 'CNY');

describe('merchants: payment codes and micropay', () => {
  it('makes 18-digit codes (prefix 13) that the enrolled device computes itself, rotating every minute', async () => {
    const { t, bob, secret } = await world();
    await using _ = t;
    assert.equal(secret.codesPerPeriod, 10);
    const code = show(t, secret);
    assert.match(code, /^13\d{16}$/);
    assert.equal(code.slice(2, 10), secret.deviceNumber);
    assert.equal(code[10], '0', 'the first code of the minute');
    assert.notEqual(show(t, secret, 1), code, 'the next code of the same minute differs');
    assert.notEqual(show(t, secret, 0, t.clock.now() + 60_000), code, 'and so does the next minute');
    // HOTP truncation (RFC 4226 §5.3) over HMAC-SHA256(secret, uint64 minute ‖ uint8 counter), recomputed by hand
    const key = Buffer.alloc(32, 7);
    const message = Buffer.from([0, 0, 0, 0, 0, 0x1c, 0xe4, 0x5a, 3]);
    const mac = createHmac('sha256', key).update(message).digest();
    const o = mac[31]! & 15;
    assert.equal(oneTimeDigits(key, 0x1ce45a, 3), String((mac.readUInt32BE(o) & 0x7fffffff) % 10_000_000).padStart(7, '0'));
    // The host never hands out a code: only whether the device is enrolled and which codes were used.
    const status = await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken });
    assert.deepEqual(status.body, { enabled: true, deviceNumber: secret.deviceNumber, used: [] });
    assert.ok(!status.text.includes(secret.secret));
  });

  it('answers a repeated charge (same out_trade_no) with the first outcome, only once it is on disk', async () => {
    const { t, pos, secret } = await world();
    await using _ = t;
    const sale = { outTradeNo: 'W-000100', authCode: show(t, secret), amount: 100, currency: 'CNY', description: 'Gum' };
    const [first, res] = await answeredAfterFsync('the repeated charge', () => pos(sale), () => pos(sale));
    assert.equal(first.status, 200, first.text);
    assert.deepEqual([res.status, res.body.id, res.body.status], [200, first.body.id, 'SUCCESS']);
  });

  it('accepts codes a minute either side of the host clock, each once; the next counter gives a fresh code', async () => {
    const { t, bob, pos, secret } = await world();
    await using _ = t;
    const sale = (no: string, authCode: string) => pos({ outTradeNo: no, authCode, amount: 100, currency: 'CNY', description: 'Gum' });
    assert.equal((await sale('W-000001', show(t, secret, 0, t.clock.now() - 60_000))).status, 200, 'shown a minute ago');
    assert.equal((await sale('W-000002', show(t, secret, 0, t.clock.now() + 60_000))).status, 200, 'a device clock a minute fast');
    expectProblem(await sale('W-000003', show(t, secret, 0, t.clock.now() - 120_000)), 400, 'PAYMENT_CODE_INVALID');
    expectProblem(await sale('W-000004', show(t, secret, 0, t.clock.now() + 120_000)), 400, 'PAYMENT_CODE_INVALID');
    assert.equal((await sale('W-000005', show(t, secret, 0))).status, 200);
    expectProblem(await sale('W-000006', show(t, secret, 0)), 409, 'PAYMENT_CODE_USED');
    assert.equal((await sale('W-000007', show(t, secret, 1))).status, 200, 'the next counter of the same minute');
    const step = Math.floor(t.clock.now() / 60_000);
    const status = await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken });
    assert.deepEqual(status.body.used, [{ step: step + 1, counter: 0 }, { step, counter: 1 }, { step, counter: 0 }, { step: step - 1, counter: 0 }]);
    // a code whose counter digit was altered does not verify
    const real = show(t, secret, 2);
    expectProblem(await sale('W-000008', `${real.slice(0, 10)}3${real.slice(11)}`), 400, 'PAYMENT_CODE_INVALID');
  });

  it("stops accepting a device's codes when the device is signed out or turns codes off", async () => {
    const { t, bob, pos, secret } = await world();
    await using _ = t;
    const sale = (no: string, authCode: string) => pos({ outTradeNo: no, authCode, amount: 100, currency: 'CNY', description: 'Gum' });
    // Turned off and on again: the old secret is dead, the new one works.
    assert.equal((await t.call('DELETE', '/v1/wallet/payment-code/secret', { token: bob.accessToken })).status, 204);
    expectProblem(await sale('R-000001', show(t, secret)), 400, 'PAYMENT_CODE_INVALID');
    assert.deepEqual((await t.call('GET', '/v1/wallet/payment-code', { token: bob.accessToken })).body, { enabled: false, deviceNumber: null, used: [] });
    const again = (await t.call('POST', '/v1/wallet/payment-code/secret', { token: bob.accessToken })).body;
    assert.notEqual(again.secret, secret.secret);
    assert.equal((await sale('R-000002', show(t, again))).status, 200);
    // Signed out from another device: the codes it computes offline stop working at once.
    const laptop = await t.signIn('bob');
    assert.equal((await t.call('DELETE', `/v1/devices/${bob.deviceId}`, { token: laptop.accessToken })).status, 204);
    expectProblem(await sale('R-000003', show(t, again, 1)), 400, 'PAYMENT_CODE_INVALID');
    assert.equal((await t.call('GET', '/v1/wallet/payment-code', { token: laptop.accessToken })).body.enabled, false, "the laptop was never enrolled");
  });

  it('charges a small amount at once, and refuses a replayed, stale or unknown code', async () => {
    const { t, bob, pos, secret } = await world();
    await using _ = t;
    const code = show(t, secret);
    const paid = await pos({ outTradeNo: 'P-000001', authCode: code, amount: 1_800, currency: 'CNY', description: 'Milk' });
    assert.equal(paid.status, 200, paid.text);
    assert.equal(paid.body.status, 'SUCCESS');
    assert.equal((await balance(t, bob)).balance, 98_200);
    // the POS retries the same outTradeNo: the same answer, no second charge
    assert.equal((await pos({ outTradeNo: 'P-000001', authCode: code, amount: 1_800, currency: 'CNY', description: 'Milk' })).body.status, 'SUCCESS');
    assert.equal((await balance(t, bob)).balance, 98_200);
    expectProblem(await pos({ outTradeNo: 'P-000002', authCode: code, amount: 100, currency: 'CNY', description: 'Gum' }), 409, 'PAYMENT_CODE_USED');
    const stale = show(t, secret, 1, t.clock.now() - 120_000);
    expectProblem(await pos({ outTradeNo: 'P-000003', authCode: stale, amount: 100, currency: 'CNY', description: 'Gum' }), 400, 'PAYMENT_CODE_INVALID');
    expectProblem(await pos({ outTradeNo: 'P-000004', authCode: '139999999912345678', amount: 100, currency: 'CNY', description: 'Gum' }), 400, 'PAYMENT_CODE_INVALID');
    // last minute's code was used: still refused once the minute has rolled
    t.clock.advance(60_000);
    expectProblem(await pos({ outTradeNo: 'P-000005', authCode: code, amount: 100, currency: 'CNY', description: 'Gum' }), 409, 'PAYMENT_CODE_USED');
  });

  it('above the no-PIN limit waits for the payer (USERPAYING), who confirms with the PIN; unconfirmed, it is reversed after 45 s', async () => {
    const { t, bob, pos, api, secret } = await world();
    await using _ = t;
    const code1 = show(t, secret);
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
    const code2 = show(t, secret);
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
    const { t, pos, api, secret } = await world();
    await using _ = t;
    const code = show(t, secret);
    expectProblem(await pos({ outTradeNo: 'P-000020', authCode: code, amount: 150_000, currency: 'CNY', description: 'TV' }), 402, 'WALLET_INSUFFICIENT_FUNDS');
    assert.equal((await api('/orders/P-000020')).body.status, 'CLOSED');
  });
});
