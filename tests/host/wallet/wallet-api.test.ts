import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answeredAfterFsync } from '../../helpers/fsync.ts';
import { expectProblem, startTestHost, type TestHost, type TestSession } from '../../helpers/host.ts';

const CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
const PIN = '480915';
let keys = 0;
const key = (): Record<string, string> => ({ 'idempotency-key': `test-key-${process.pid}-${++keys}` });

async function befriend(t: TestHost, a: TestSession, b: TestSession): Promise<void> {
  const req = await t.call('POST', '/v1/contacts/requests', { token: a.accessToken, json: { handle: b.handle } });
  assert.equal(req.status, 201, req.text);
  const ok = await t.call('POST', `/v1/contacts/requests/${req.body.id}/accept`, { token: b.accessToken });
  assert.equal(ok.status, 200, ok.text);
}

async function setPin(t: TestHost, s: TestSession, pin = PIN): Promise<void> {
  const res = await t.call('PUT', '/v1/wallet/pin', { token: s.accessToken, json: { pin } });
  assert.equal(res.status, 204, res.text);
}

async function topUp(t: TestHost, s: TestSession, amount: number, currency = 'CNY'): Promise<void> {
  const res = await t.call('POST', '/v1/wallet/topups', { token: s.accessToken, json: { amount, currency, card: CARD }, headers: key() });
  assert.equal(res.status, 201, res.text);
}

function balance(body: { balances: { currency: string; balance: number; available: number }[] }, currency = 'CNY'): number {
  return body.balances.find((b) => b.currency === currency)!.balance;
}

async function world(): Promise<{ t: TestHost; ada: TestSession; bob: TestSession; eve: TestSession }> {
  const t = await startTestHost();
  const ada = await t.signUp('ada');
  const bob = await t.signUp('bob');
  const eve = await t.signUp('eve');
  await befriend(t, ada, bob);
  await setPin(t, ada);
  return { t, ada, bob, eve };
}

describe('wallet: HTTP API', () => {
  it('shows zero balances in every currency, no PIN, and the labelled test funding source', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const res = await t.call('GET', '/v1/wallet', { token: ada.accessToken });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.balances.map((b: { currency: string }) => b.currency), ['CNY', 'HKD', 'USD', 'EUR', 'THB']);
    assert.ok(res.body.balances.every((b: { balance: number; exponent: number }) => b.balance === 0 && b.exponent === 2));
    assert.equal(res.body.pinSet, false);
    assert.equal(res.body.funding.test, true);
    assert.match(res.body.funding.label, /test mode/i);
    assert.ok(res.body.funding.testCards.some((c: { number: string }) => c.number === '4242424242424242'));
  });

  it('tops up with a test card; declines and processor failures move nothing', async () => {
    const { t, ada } = await world();
    await using _ = t;
    await topUp(t, ada, 10_000);
    const declined = await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { amount: 500, currency: 'CNY', card: { ...CARD, number: '4000000000000002' } }, headers: key() });
    assert.equal(expectProblem(declined, 402, 'WALLET_CARD_DECLINED').reason, 'card_declined');
    expectProblem(await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { amount: 500, currency: 'CNY', card: { ...CARD, number: '4000000000009995' } }, headers: key() }), 402, 'WALLET_CARD_DECLINED');
    expectProblem(await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { amount: 500, currency: 'CNY', card: { ...CARD, number: '4000000000000119' } }, headers: key() }), 502, 'WALLET_FUNDING_FAILED');
    expectProblem(await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { amount: 500, currency: 'CNY', card: { ...CARD, number: '4242424242424241' } }, headers: key() }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { amount: 500, currency: 'CNY', card: { ...CARD, expYear: 2020 } }, headers: key() }), 402, 'WALLET_CARD_DECLINED');
    const wallet = await t.call('GET', '/v1/wallet', { token: ada.accessToken });
    assert.equal(balance(wallet.body), 10_000);
  });

  it('sends money to a contact with a note and the PIN, and both see it in their bills', async () => {
    const { t, ada, bob } = await world();
    await using _ = t;
    await topUp(t, ada, 10_000);
    const sent = await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: { to: bob.userId, amount: 2_550, currency: 'CNY', note: 'dumplings 🥟', pin: PIN }, headers: key() });
    assert.equal(sent.status, 201, sent.text);
    assert.equal(sent.body.direction, 'out');
    assert.equal(sent.body.counterparty.handle, 'bob');
    assert.equal(sent.body.note, 'dumplings 🥟');
    assert.equal(balance((await t.call('GET', '/v1/wallet', { token: ada.accessToken })).body), 7_450);
    assert.equal(balance((await t.call('GET', '/v1/wallet', { token: bob.accessToken })).body), 2_550);
    const bobBills = await t.call('GET', '/v1/wallet/transactions', { token: bob.accessToken });
    assert.equal(bobBills.body.transactions.length, 1);
    assert.deepEqual([bobBills.body.transactions[0].direction, bobBills.body.transactions[0].counterparty.handle, bobBills.body.transactions[0].amount], ['in', 'ada', 2_550]);
    const detail = await t.call('GET', `/v1/wallet/transactions/${sent.body.id}`, { token: bob.accessToken });
    assert.equal(detail.status, 200);
    assert.equal(detail.body.note, 'dumplings 🥟');
  });

  it('refuses transfers to non-contacts, to oneself, without a PIN, with a wrong PIN, and beyond the balance', async () => {
    const { t, ada, bob, eve } = await world();
    await using _ = t;
    await topUp(t, ada, 1_000);
    const send = (s: TestSession, json: Record<string, unknown>) => t.call('POST', '/v1/wallet/transfers', { token: s.accessToken, json: { to: bob.userId, amount: 100, currency: 'CNY', pin: PIN, ...json }, headers: key() });
    expectProblem(await send(ada, { to: eve.userId }), 403, 'WALLET_RECIPIENT_NOT_CONTACT');
    expectProblem(await send(ada, { to: ada.userId }), 400, 'WALLET_RECIPIENT_SELF');
    expectProblem(await send(bob, { to: ada.userId }), 409, 'WALLET_PIN_NOT_SET');
    const wrong = expectProblem(await send(ada, { pin: '111119' }), 403, 'WALLET_PIN_INCORRECT');
    assert.equal(wrong.attemptsLeft, 4);
    expectProblem(await send(ada, { amount: 1_001 }), 402, 'WALLET_INSUFFICIENT_FUNDS');
    expectProblem(await send(ada, { amount: 1.5 }), 400, 'VALIDATION_FAILED');
    expectProblem(await send(ada, { currency: 'JPY' }), 400, 'VALIDATION_FAILED');
    const none = await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: { to: bob.userId, amount: 1, currency: 'CNY', pin: PIN } });
    expectProblem(none, 400, 'IDEMPOTENCY_KEY_REQUIRED');
    expectProblem(await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: { to: bob.userId, amount: 1, currency: 'CNY', pin: PIN }, headers: { 'idempotency-key': 'x'.repeat(256) } }), 400, 'IDEMPOTENCY_KEY_INVALID');
    assert.equal(balance((await t.call('GET', '/v1/wallet', { token: ada.accessToken })).body), 1_000);
  });

  it('answers a replay only once the log is on disk: a retry can see a commit whose fsync is still under way', async () => {
    const { t, ada, bob } = await world();
    await using _ = t;
    await topUp(t, ada, 1_000);
    const headers = key();
    const json = { to: bob.userId, amount: 100, currency: 'CNY', pin: PIN };
    const send = () => t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json, headers });
    const [first, res] = await answeredAfterFsync('the replay', send, send);
    assert.equal(first.status, 201, first.text);
    assert.equal(res.status, 201);
    assert.equal(res.headers.get('idempotent-replayed'), 'true');
    assert.equal(res.text, first.text);
  });

  it('replays the first response to a repeated Idempotency-Key and refuses it with other parameters', async () => {
    const { t, ada, bob } = await world();
    await using _ = t;
    await topUp(t, ada, 1_000);
    const headers = key();
    const json = { to: bob.userId, amount: 300, currency: 'CNY', note: 'once', pin: PIN };
    const [first, second] = await Promise.all([
      t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json, headers }),
      t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json, headers }),
    ]);
    const third = await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: { note: 'once', currency: 'CNY', amount: 300, pin: PIN, to: bob.userId }, headers });
    for (const res of [first, second, third]) assert.equal(res.status, 201, res.text);
    assert.equal(second.text, first.text);
    assert.equal(third.text, first.text);
    assert.equal(third.headers.get('idempotent-replayed'), 'true');
    expectProblem(await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: { ...json, amount: 301 }, headers }), 422, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal(balance((await t.call('GET', '/v1/wallet', { token: ada.accessToken })).body), 700);

    // A failure that executed (insufficient funds) is replayed too, even after money arrives.
    const poor = key();
    const big = { ...json, amount: 5_000 };
    expectProblem(await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: big, headers: poor }), 402, 'WALLET_INSUFFICIENT_FUNDS');
    await topUp(t, ada, 10_000);
    const again = await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: big, headers: poor });
    expectProblem(again, 402, 'WALLET_INSUFFICIENT_FUNDS');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');

    // Keys are another person's own: bob may use the same key string.
    await setPin(t, bob, '480916');
    await topUp(t, bob, 100);
    const bobs = await t.call('POST', '/v1/wallet/transfers', { token: bob.accessToken, json: { to: ada.userId, amount: 50, currency: 'CNY', pin: '480916' }, headers });
    assert.equal(bobs.status, 201, bobs.text);
  });

  it('replays a top-up (and a decline) by its key, charges once, and refuses the key with other parameters', async () => {
    const { t, ada } = await world();
    await using _ = t;
    const headers = key();
    const json = { amount: 3_000, currency: 'CNY', card: CARD };
    const [a, b] = await Promise.all([
      t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json, headers }),
      t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json, headers }),
    ]);
    // Concurrent: one runs, the other is told it is still running (or, if it came second, gets the replay).
    const statuses = [a.status, b.status].sort();
    assert.ok(JSON.stringify(statuses) === '[201,409]' || JSON.stringify(statuses) === '[201,201]', JSON.stringify(statuses));
    for (const r of [a, b]) if (r.status === 409) expectProblem(r, 409, 'IDEMPOTENCY_KEY_IN_USE');
    const replayed = await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json, headers });
    assert.equal(replayed.status, 201);
    assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
    assert.equal(replayed.body.id, (a.status === 201 ? a : b).body.id);
    assert.equal(balance((await t.call('GET', '/v1/wallet', { token: ada.accessToken })).body), 3_000, 'charged once');
    expectProblem(await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { ...json, amount: 3_001 }, headers }), 422, 'IDEMPOTENCY_KEY_REUSED');
    // the same card with a different cvc is the same parameters (security codes are never fingerprinted)
    assert.equal((await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { ...json, card: { ...CARD, cvc: '999' } }, headers })).headers.get('idempotent-replayed'), 'true');
    const declineKey = key();
    const declined = await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { ...json, card: { ...CARD, number: '4000000000000002' } }, headers: declineKey });
    expectProblem(declined, 402, 'WALLET_CARD_DECLINED');
    const declinedAgain = await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { ...json, card: { ...CARD, number: '4000000000000002' } }, headers: declineKey });
    assert.equal(declinedAgain.text, declined.text);
    // a processor failure (5xx) is not stored: the retry runs again
    const failKey = key();
    expectProblem(await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { ...json, card: { ...CARD, number: '4000000000000119' } }, headers: failKey }), 502, 'WALLET_FUNDING_FAILED');
    const retried = await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { ...json, card: { ...CARD, number: '4000000000000119' } }, headers: failKey });
    expectProblem(retried, 502, 'WALLET_FUNDING_FAILED');
    assert.equal(retried.headers.get('idempotent-replayed'), null);
    // a body that fails validation never touches its key
    const badKey = key();
    expectProblem(await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { ...json, amount: -1 }, headers: badKey }), 400, 'VALIDATION_FAILED');
    assert.equal((await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json, headers: badKey })).status, 201);
  });

  it('keeps keys for 24 hours, then forgets them', async () => {
    const { t, bob } = await world();
    await using _ = t;
    let ada = await t.signIn('ada');
    await topUp(t, ada, 1_000);
    const headers = key();
    const json = { to: bob.userId, amount: 100, currency: 'CNY', pin: PIN };
    assert.equal((await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json, headers })).status, 201);
    t.clock.advance(23 * 3600_000);
    ada = await t.signIn('ada'); // access tokens live 15 minutes
    assert.equal((await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json, headers })).headers.get('idempotent-replayed'), 'true');
    t.clock.advance(3600_000 + 1);
    ada = await t.signIn('ada');
    assert.ok((await t.host.services.wallet.service.maintain()).pruned >= 1);
    const fresh = await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json, headers });
    assert.equal(fresh.status, 201);
    assert.equal(fresh.headers.get('idempotent-replayed'), null);
    assert.equal(balance((await t.call('GET', '/v1/wallet', { token: ada.accessToken })).body), 800);
  });

  it('locks payments after 5 wrong PINs, says how long, and unlocks after the wait', async () => {
    const { t, bob } = await world();
    await using _ = t;
    let ada = await t.signIn('ada');
    await topUp(t, ada, 1_000);
    const send = (pin: string) => t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: { to: bob.userId, amount: 100, currency: 'CNY', pin }, headers: key() });
    for (let i = 4; i >= 1; i--) assert.equal(expectProblem(await send('000001'), 403, 'WALLET_PIN_INCORRECT').attemptsLeft, i);
    const locked = await send('000001');
    const problem = expectProblem(locked, 423, 'WALLET_PIN_LOCKED');
    assert.equal(problem.retryAfter, 900);
    assert.equal(locked.headers.get('retry-after'), '900');
    expectProblem(await send(PIN), 423, 'WALLET_PIN_LOCKED'); // even the right PIN waits
    t.clock.advance(15 * 60_000 - 1_000);
    expectProblem(await send(PIN), 423, 'WALLET_PIN_LOCKED');
    t.clock.advance(1_000);
    ada = await t.signIn('ada'); // access tokens live 15 minutes
    assert.equal((await send(PIN)).status, 201);
    // a success resets the counter
    expectProblem(await send('000001'), 403, 'WALLET_PIN_INCORRECT');
    assert.equal((await send(PIN)).status, 201);
    assert.equal(expectProblem(await send('000001'), 403, 'WALLET_PIN_INCORRECT').attemptsLeft, 4);
  });

  it('refuses weak PINs and changing a PIN without the current one', async () => {
    const { t, ada } = await world();
    await using _ = t;
    for (const pin of ['111111', '123456', '987654', '123123']) expectProblem(await t.call('PUT', '/v1/wallet/pin', { token: ada.accessToken, json: { pin } }), 400, 'WALLET_PIN_WEAK');
    expectProblem(await t.call('PUT', '/v1/wallet/pin', { token: ada.accessToken, json: { pin: '5819' } }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('PUT', '/v1/wallet/pin', { token: ada.accessToken, json: { pin: '581920' } }), 403, 'WALLET_PIN_INCORRECT');
    assert.equal((await t.call('PUT', '/v1/wallet/pin', { token: ada.accessToken, json: { pin: '581920', currentPin: PIN } })).status, 204);
  });

  it('withdraws to a card with the PIN; a declined payout releases the reserved money', async () => {
    const { t, ada } = await world();
    await using _ = t;
    await topUp(t, ada, 5_000);
    const ok = await t.call('POST', '/v1/wallet/withdrawals', { token: ada.accessToken, json: { amount: 2_000, currency: 'CNY', card: CARD, pin: PIN }, headers: key() });
    assert.equal(ok.status, 201, ok.text);
    assert.deepEqual([ok.body.status, ok.body.direction, ok.body.card.last4], ['succeeded', 'out', '4242']);
    const declined = await t.call('POST', '/v1/wallet/withdrawals', { token: ada.accessToken, json: { amount: 1_000, currency: 'CNY', card: { ...CARD, number: '4000000000000002' }, pin: PIN }, headers: key() });
    expectProblem(declined, 402, 'WALLET_CARD_DECLINED');
    expectProblem(await t.call('POST', '/v1/wallet/withdrawals', { token: ada.accessToken, json: { amount: 9_000, currency: 'CNY', card: CARD, pin: PIN }, headers: key() }), 402, 'WALLET_INSUFFICIENT_FUNDS');
    const wallet = await t.call('GET', '/v1/wallet', { token: ada.accessToken });
    const cny = wallet.body.balances.find((b: { currency: string }) => b.currency === 'CNY');
    assert.deepEqual([cny.balance, cny.held, cny.available], [3_000, 0, 3_000]);
    const bills = await t.call('GET', '/v1/wallet/transactions?kind=withdraw', { token: ada.accessToken });
    assert.deepEqual(bills.body.transactions.map((b: { status: string }) => b.status), ['voided', 'succeeded']);
  });

  it('filters and pages bills, hides other people\'s transactions, and exports CSV and JSON', async () => {
    const { t, ada, bob, eve } = await world();
    await using _ = t;
    await topUp(t, ada, 10_000);
    await topUp(t, ada, 500, 'USD');
    for (let i = 0; i < 5; i++) {
      t.clock.advance(1_000);
      const res = await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: { to: bob.userId, amount: 100 + i, currency: 'CNY', note: i === 0 ? '=HYPERLINK("x")' : `n${i}`, pin: PIN }, headers: key() });
      assert.equal(res.status, 201);
    }
    const page1 = await t.call('GET', '/v1/wallet/transactions?limit=3', { token: ada.accessToken });
    assert.equal(page1.body.transactions.length, 3);
    assert.equal(page1.body.transactions[0].amount, 104);
    const page2 = await t.call('GET', `/v1/wallet/transactions?limit=3&cursor=${page1.body.nextCursor}`, { token: ada.accessToken });
    const page3 = await t.call('GET', `/v1/wallet/transactions?limit=3&cursor=${page2.body.nextCursor}`, { token: ada.accessToken });
    assert.equal(page1.body.transactions.length + page2.body.transactions.length + page3.body.transactions.length, 7);
    assert.equal(page3.body.nextCursor, null);
    const usd = await t.call('GET', '/v1/wallet/transactions?currency=USD', { token: ada.accessToken });
    assert.deepEqual(usd.body.transactions.map((x: { kind: string }) => x.kind), ['topup']);
    const incoming = await t.call('GET', '/v1/wallet/transactions?direction=in', { token: ada.accessToken });
    assert.equal(incoming.body.transactions.length, 2);
    const id = page1.body.transactions[0].id;
    expectProblem(await t.call('GET', `/v1/wallet/transactions/${id}`, { token: eve.accessToken }), 404, 'WALLET_TRANSFER_NOT_FOUND');
    const csv = await t.call('GET', '/v1/wallet/transactions/export?format=csv&kind=p2p', { token: ada.accessToken });
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    assert.equal(lines[0], 'id,created_at,kind,direction,status,amount,currency,counterparty,note,card_last4');
    assert.equal(lines.length, 6);
    assert.match(lines[1]!, /,p2p,out,succeeded,-1\.04,CNY,BOB \(@bob\),n4,$/);
    assert.ok(lines.some((l) => l.includes(`"'=HYPERLINK(""x"")"`)), 'formulas are defused');
    const json = await t.call('GET', '/v1/wallet/transactions/export?format=json', { token: ada.accessToken });
    assert.equal(json.body.transactions.length, 7);
  });

  it('lets only configured admins run the invariant check', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    t.config.wallet.adminUserIds.push(ada.userId);
    const bob = await t.signUp('bob');
    await topUp(t, bob, 1_000);
    expectProblem(await t.call('GET', '/v1/admin/wallet/invariants', { token: bob.accessToken }), 403, 'FORBIDDEN');
    const report = await t.call('GET', '/v1/admin/wallet/invariants', { token: ada.accessToken });
    assert.equal(report.status, 200, report.text);
    assert.equal(report.body.ok, true);
    assert.deepEqual(report.body.currencies.find((c: { currency: string }) => c.currency === 'CNY'), { currency: 'CNY', sum: 0, held: 0, accounts: 2 });
  });
});
