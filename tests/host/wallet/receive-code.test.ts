import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

const PIN = '480915';

describe('wallet: personal receive code', () => {
  it('lets anyone who scans my code pay me an amount they enter, with their PIN, once per key; a reset code stops working', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob'); // not ada's contact
    await t.call('PUT', '/v1/wallet/pin', { token: bob.accessToken, json: { pin: PIN } });
    await t.call('POST', '/v1/wallet/topups', { token: bob.accessToken, json: { amount: 5_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, headers: { 'idempotency-key': 'top' } });
    const mine = await t.call('GET', '/v1/wallet/receive-code', { token: ada.accessToken });
    assert.match(mine.body.code, /^rc[0-9a-z]{16}$/);
    assert.equal(mine.body.url, `http://atrium.test/r/${mine.body.code}`);
    assert.equal((await t.call('GET', '/v1/wallet/receive-code', { token: ada.accessToken })).body.code, mine.body.code, 'stable until reset');
    const svg = await t.call('GET', '/v1/wallet/receive-code?format=svg', { token: ada.accessToken });
    assert.match(svg.text, /^<svg/);

    const who = await t.call('POST', '/v1/wallet/receive-code/resolve', { token: bob.accessToken, json: { code: mine.body.code } });
    assert.deepEqual(who.body, { id: ada.userId, handle: 'ada', displayName: 'ADA' });
    const json = { code: mine.body.code, amount: 1_200, currency: 'CNY', note: 'taxi', pin: PIN };
    const paid = await t.call('POST', '/v1/wallet/receive-code/pay', { token: bob.accessToken, json, headers: { 'idempotency-key': 'k1' } });
    assert.equal(paid.status, 201, paid.text);
    assert.deepEqual([paid.body.counterparty.handle, paid.body.amount, paid.body.note], ['ada', 1_200, 'taxi']);
    const again = await t.call('POST', '/v1/wallet/receive-code/pay', { token: bob.accessToken, json, headers: { 'idempotency-key': 'k1' } });
    assert.equal(again.text, paid.text);
    const adaWallet = (await t.call('GET', '/v1/wallet', { token: ada.accessToken })).body.balances;
    assert.equal(adaWallet.find((b: { currency: string }) => b.currency === 'CNY').balance, 1_200);

    // a direct transfer still needs a contact
    expectProblem(await t.call('POST', '/v1/wallet/transfers', { token: bob.accessToken, json: { to: ada.userId, amount: 1, currency: 'CNY', pin: PIN }, headers: { 'idempotency-key': 'k2' } }), 403, 'WALLET_RECIPIENT_NOT_CONTACT');
    // ada resets her code: the old one is gone; a block hides the new one from bob
    const fresh = (await t.call('POST', '/v1/wallet/receive-code/reset', { token: ada.accessToken })).body;
    assert.notEqual(fresh.code, mine.body.code);
    expectProblem(await t.call('POST', '/v1/wallet/receive-code/pay', { token: bob.accessToken, json: { ...json, amount: 1 }, headers: { 'idempotency-key': 'k3' } }), 404, 'WALLET_RECEIVE_CODE_NOT_FOUND');
    assert.equal((await t.call('PUT', `/v1/contacts/blocks/${bob.userId}`, { token: ada.accessToken })).status, 204);
    expectProblem(await t.call('POST', '/v1/wallet/receive-code/resolve', { token: bob.accessToken, json: { code: fresh.code } }), 404, 'WALLET_RECEIVE_CODE_NOT_FOUND');
    expectProblem(await t.call('POST', '/v1/wallet/receive-code/pay', { token: ada.accessToken, json: { ...json, code: fresh.code }, headers: { 'idempotency-key': 'k4' } }), 400, 'WALLET_RECIPIENT_SELF');
  });
});
