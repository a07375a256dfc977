/**
 * Money in chat: transfers in 1:1 chats (accept, decline, return after 24 h) and red packets (random and equal
 * splits, concurrent opens, expiry), every movement through the ledger, with the ledger's invariants and the
 * escrow invariants checked after each test.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { moneyInvariants } from '../../../host/src/messaging/money.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { expectProblem, startTestHost, type TestHost, type TestResponse, type TestSession } from '../../helpers/host.ts';
import { befriend, direct, group, ok, syncAll } from './helpers.ts';

const CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
const PIN = '480915';
const DAY = 24 * 3600_000;
const key = (): Record<string, string> => ({ 'idempotency-key': randomUUID() });

/** Hosts of the running test: their invariants are checked when it ends. */
const hosts: TestHost[] = [];
afterEach(() => {
  for (const t of hosts.splice(0)) {
    const ledger = checkInvariants(t.database.db, t.clock.now());
    assert.deepEqual(ledger.violations, [], 'ledger invariants');
    assert.deepEqual(moneyInvariants(t.database.db), [], 'chat money invariants');
  }
});

async function setUp(people: string[]): Promise<{ t: TestHost; s: Record<string, TestSession> }> {
  const t = await startTestHost();
  hosts.push(t);
  const s: Record<string, TestSession> = {};
  for (const handle of people) s[handle] = await t.signUp(handle);
  return { t, s };
}

async function fund(t: TestHost, who: TestSession, amount: number): Promise<void> {
  ok(await t.call('PUT', '/v1/wallet/pin', { token: who.accessToken, json: { pin: PIN } }), 204);
  ok(await t.call('POST', '/v1/wallet/topups', { token: who.accessToken, json: { amount, currency: 'CNY', card: CARD }, headers: key() }), 201);
}

async function balance(t: TestHost, who: TestSession): Promise<{ balance: number; available: number }> {
  const body = ok(await t.call('GET', '/v1/wallet', { token: who.accessToken }));
  return body.balances.find((b: { currency: string }) => b.currency === 'CNY');
}

const sendTransfer = (t: TestHost, who: TestSession, conversationId: string, amount: number, extra: Record<string, unknown> = {}, headers = key()): Promise<TestResponse> =>
  t.call('POST', `/v1/conversations/${conversationId}/transfers`, { token: who.accessToken, json: { amount, currency: 'CNY', note: 'lunch', pin: PIN, ...extra }, headers });
const transferAction = (t: TestHost, who: TestSession, conversationId: string, transferId: string, action: 'accept' | 'decline'): Promise<TestResponse> =>
  t.call('POST', `/v1/conversations/${conversationId}/transfers/${transferId}/${action}`, { token: who.accessToken, headers: key() });
const sendPacket = (t: TestHost, who: TestSession, conversationId: string, total: number, shares: number, mode = 'random', extra: Record<string, unknown> = {}): Promise<TestResponse> =>
  t.call('POST', `/v1/conversations/${conversationId}/red-packets`, { token: who.accessToken, json: { mode, total, shares, currency: 'CNY', note: 'Happy new year', pin: PIN, ...extra }, headers: key() });
const openPacket = (t: TestHost, who: TestSession, conversationId: string, packetId: string, headers = key()): Promise<TestResponse> =>
  t.call('POST', `/v1/conversations/${conversationId}/red-packets/${packetId}/open`, { token: who.accessToken, headers });

/** A group of `owner` and `members` (all the owner's contacts). */
async function groupOf(t: TestHost, owner: TestSession, members: TestSession[]): Promise<string> {
  for (const m of members) await befriend(t, owner, m);
  return group(t, owner, members);
}

describe('chat money: transfers', () => {
  it('holds the money in escrow until the recipient accepts; both see the state change through sync', async () => {
    const { t, s } = await setUp(['ada', 'bob']);
    await befriend(t, s.ada!, s.bob!);
    await fund(t, s.ada!, 10_000);
    const chat = await direct(t, s.ada!, s.bob!);
    const sent = ok(await sendTransfer(t, s.ada!, chat, 2_500), 201).message;
    assert.equal(sent.kind, 'transfer');
    assert.equal(sent.text, 'lunch');
    assert.deepEqual({ amount: sent.transfer.amount, status: sent.transfer.status, recipientId: sent.transfer.recipientId }, { amount: 2_500, status: 'pending', recipientId: s.bob!.userId });
    assert.equal((await balance(t, s.ada!)).balance, 7_500, 'the money left the sender');
    assert.equal((await balance(t, s.bob!)).balance, 0, 'and is not the recipient’s yet');

    expectProblem(await transferAction(t, s.ada!, chat, sent.transfer.id, 'accept'), 403, 'CHAT_TRANSFER_NOT_RECIPIENT');
    const accepted = ok(await transferAction(t, s.bob!, chat, sent.transfer.id, 'accept')).message;
    assert.equal(accepted.id, sent.id, 'the same message, updated');
    assert.equal(accepted.transfer.status, 'accepted');
    assert.equal((await balance(t, s.bob!)).balance, 2_500);
    expectProblem(await transferAction(t, s.bob!, chat, sent.transfer.id, 'accept'), 409, 'CHAT_TRANSFER_RESOLVED');
    expectProblem(await transferAction(t, s.bob!, chat, sent.transfer.id, 'decline'), 409, 'CHAT_TRANSFER_RESOLVED');

    for (const who of [s.ada!, s.bob!]) {
      const { updates } = await syncAll(t, who);
      const mine = updates.filter((u) => u.message?.id === sent.id);
      assert.deepEqual(mine.map((u) => u.type), ['message', 'money'], 'one message, then one state update');
      assert.equal(mine.at(-1).message.transfer.status, 'accepted', 'sync shows the state as it is now');
    }
    const history = ok(await t.call('GET', `/v1/conversations/${chat}/messages`, { token: s.ada!.accessToken }));
    assert.equal(history.messages.at(-1).transfer.status, 'accepted');
    expectProblem(await t.call('POST', `/v1/conversations/${chat}/messages/${sent.id}/recall`, { token: s.ada!.accessToken }), 409, 'MESSAGE_NOT_RECALLABLE');
    // Bills name the person on the other side of the escrow, not the escrow.
    const counterparty = async (who: TestSession, kind: string) =>
      ok(await t.call('GET', '/v1/wallet/transactions', { token: who.accessToken })).transactions.find((x: { kind: string }) => x.kind === kind)?.counterparty;
    assert.deepEqual(await counterparty(s.ada!, 'chat.transfer'), { type: 'person', id: s.bob!.userId, handle: 'bob', displayName: 'BOB' });
    assert.deepEqual(await counterparty(s.bob!, 'chat.transfer.accept'), { type: 'person', id: s.ada!.userId, handle: 'ada', displayName: 'ADA' });
  });

  it('returns the money to the sender when the recipient declines', async () => {
    const { t, s } = await setUp(['ada', 'bob']);
    await befriend(t, s.ada!, s.bob!);
    await fund(t, s.ada!, 5_000);
    const chat = await direct(t, s.ada!, s.bob!);
    const sent = ok(await sendTransfer(t, s.ada!, chat, 1_000), 201).message;
    const declined = ok(await transferAction(t, s.bob!, chat, sent.transfer.id, 'decline')).message;
    assert.equal(declined.transfer.status, 'declined');
    assert.equal((await balance(t, s.ada!)).balance, 5_000);
    assert.equal((await balance(t, s.bob!)).balance, 0);
  });

  it('returns an unaccepted transfer after 24 hours (expiry run with the test clock); a late accept is refused', async () => {
    const { t, s } = await setUp(['ada', 'bob']);
    await befriend(t, s.ada!, s.bob!);
    await fund(t, s.ada!, 5_000);
    const chat = await direct(t, s.ada!, s.bob!);
    const sent = ok(await sendTransfer(t, s.ada!, chat, 1_200), 201).message;
    const money = t.host.services.messaging.money;
    t.clock.advance(DAY - 1);
    assert.deepEqual(await money.expireDue(), { transfers: 0, redPackets: 0 }, 'not due yet');
    t.clock.advance(1);
    s.ada = await t.signIn('ada'); // access tokens do not live a day
    s.bob = await t.signIn('bob');
    expectProblem(await transferAction(t, s.bob!, chat, sent.transfer.id, 'accept'), 410, 'CHAT_TRANSFER_EXPIRED');
    assert.deepEqual(await money.expireDue(), { transfers: 1, redPackets: 0 });
    assert.deepEqual(await money.expireDue(), { transfers: 0, redPackets: 0 }, 'each transfer returns once');
    assert.equal((await balance(t, s.ada!)).balance, 5_000);
    const { updates } = await syncAll(t, s.bob!);
    assert.equal(updates.filter((u) => u.type === 'money').at(-1).message.transfer.status, 'expired');
  });

  it('needs the PIN, enough money, an Idempotency-Key, a 1:1 chat and a contact; a retry never pays twice', async () => {
    const { t, s } = await setUp(['ada', 'bob', 'cyd']);
    await befriend(t, s.ada!, s.bob!);
    await fund(t, s.ada!, 1_000);
    const chat = await direct(t, s.ada!, s.bob!);
    expectProblem(await sendTransfer(t, s.ada!, chat, 100, { pin: '135792' }), 403, 'WALLET_PIN_INCORRECT');
    expectProblem(await sendTransfer(t, s.ada!, chat, 5_000), 402, 'WALLET_INSUFFICIENT_FUNDS');
    expectProblem(await sendTransfer(t, s.ada!, chat, 100, {}, {}), 400, 'IDEMPOTENCY_KEY_REQUIRED');
    expectProblem(await sendTransfer(t, s.ada!, chat, 1.5), 400, 'VALIDATION_FAILED');
    const retryKey = key();
    const first = ok(await sendTransfer(t, s.ada!, chat, 300, {}, retryKey), 201);
    const again = await sendTransfer(t, s.ada!, chat, 300, {}, retryKey);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.message.id, first.message.id);
    expectProblem(await sendTransfer(t, s.ada!, chat, 400, {}, retryKey), 422, 'IDEMPOTENCY_KEY_REUSED');
    assert.equal((await balance(t, s.ada!)).balance, 700);
    await befriend(t, s.ada!, s.cyd!);
    const team = await group(t, s.ada!, [s.bob!, s.cyd!]);
    expectProblem(await sendTransfer(t, s.ada!, team, 100), 409, 'CHAT_TRANSFER_DIRECT_ONLY');
    ok(await t.call('DELETE', `/v1/contacts/${s.bob!.userId}`, { token: s.ada!.accessToken }), 204);
    expectProblem(await sendTransfer(t, s.ada!, chat, 100), 403, 'CONVERSATION_NOT_CONTACTS');
  });

  it('refuses non-members: they can neither send into, accept, decline nor learn of a transfer', async () => {
    const { t, s } = await setUp(['ada', 'bob', 'eve']);
    await befriend(t, s.ada!, s.bob!);
    await fund(t, s.ada!, 1_000);
    await fund(t, s.eve!, 1_000);
    const chat = await direct(t, s.ada!, s.bob!);
    const sent = ok(await sendTransfer(t, s.ada!, chat, 100), 201).message;
    expectProblem(await transferAction(t, s.eve!, chat, sent.transfer.id, 'accept'), 404, 'CONVERSATION_NOT_FOUND');
    expectProblem(await transferAction(t, s.eve!, chat, sent.transfer.id, 'decline'), 404, 'CONVERSATION_NOT_FOUND');
    expectProblem(await sendTransfer(t, s.eve!, chat, 100), 404, 'CONVERSATION_NOT_FOUND');
    assert.equal((await balance(t, s.eve!)).balance, 1_000);
    assert.equal(sent.transfer.status, 'pending');
  });
});

describe('chat money: red packets', () => {
  it('splits a random packet among concurrent openers: never over-spent, one share each, sums to the total', async () => {
    const people = ['ada', ...Array.from({ length: 12 }, (_, i) => `peer${i}`)];
    const { t, s } = await setUp(people);
    const others = people.slice(1).map((h) => s[h]!);
    const team = await groupOf(t, s.ada!, others);
    await fund(t, s.ada!, 20_000);
    const packet = ok(await sendPacket(t, s.ada!, team, 10_000, 5), 201).message.redPacket;
    assert.equal((await balance(t, s.ada!)).balance, 10_000);
    // 12 people, each opening twice at once (24 opens for 5 shares), plus the sender once.
    const attempts = [...others, ...others, s.ada!];
    const results = await Promise.all(attempts.map((who) => openPacket(t, who, team, packet.id)));
    const succeeded = results.filter((r) => r.status === 200);
    assert.equal(succeeded.length, 5, 'exactly as many opens as shares');
    for (const r of results.filter((r) => r.status !== 200)) assert.ok(['REDPACKET_EMPTY', 'REDPACKET_ALREADY_OPENED'].includes(r.body.code), r.text);
    const detail = ok(await t.call('GET', `/v1/conversations/${team}/red-packets/${packet.id}`, { token: others[0]!.accessToken }));
    const claims = detail.redPacket.claims as { userId: string; amount: number }[];
    assert.equal(claims.length, 5);
    assert.equal(new Set(claims.map((c) => c.userId)).size, 5, 'one share per person');
    assert.equal(claims.reduce((sum, c) => sum + c.amount, 0), 10_000, 'shares sum to the total');
    assert.ok(claims.every((c) => c.amount >= 1));
    assert.equal(detail.redPacket.status, 'finished');
    assert.ok(claims.every((c) => detail.people.some((p: { id: string }) => p.id === c.userId)), 'people are named');
    for (const c of claims) {
      const who = [...others, s.ada!].find((x) => x.userId === c.userId)!;
      const mine = (await balance(t, who)).balance - (who === s.ada ? 10_000 : 0);
      assert.equal(mine, c.amount, 'each got exactly their share');
    }
  });

  it('keeps random shares within [1, 2 × remaining / shares left] as they are opened', async () => {
    const people = ['ada', ...Array.from({ length: 10 }, (_, i) => `guest${i}`)];
    const { t, s } = await setUp(people);
    const others = people.slice(1).map((h) => s[h]!);
    const team = await groupOf(t, s.ada!, others);
    await fund(t, s.ada!, 30_000);
    for (const total of [10, 997, 20_000]) {
      const packet = ok(await sendPacket(t, s.ada!, team, total, 10), 201).message.redPacket;
      let remaining = total;
      for (let i = 0; i < 10; i++) {
        const { amount } = ok(await openPacket(t, others[i]!, team, packet.id));
        const left = 10 - i;
        if (left === 1) assert.equal(amount, remaining, 'the last share takes the rest');
        else assert.ok(amount >= 1 && amount <= Math.floor((2 * remaining) / left) && amount <= remaining - (left - 1), `${amount} of ${remaining} for ${left}`);
        remaining -= amount;
      }
      assert.equal(remaining, 0);
    }
  });

  it('splits an equal packet evenly; the sender may open one share in a group', async () => {
    const { t, s } = await setUp(['ada', 'bob', 'cyd']);
    const team = await groupOf(t, s.ada!, [s.bob!, s.cyd!]);
    await fund(t, s.ada!, 1_000);
    expectProblem(await sendPacket(t, s.ada!, team, 100, 3, 'equal'), 400, 'REDPACKET_LIMIT');
    const packet = ok(await sendPacket(t, s.ada!, team, 300, 3, 'equal'), 201).message.redPacket;
    assert.equal(ok(await openPacket(t, s.ada!, team, packet.id)).amount, 100);
    expectProblem(await openPacket(t, s.ada!, team, packet.id), 409, 'REDPACKET_ALREADY_OPENED');
    assert.equal(ok(await openPacket(t, s.bob!, team, packet.id)).amount, 100);
    const last = ok(await openPacket(t, s.cyd!, team, packet.id));
    assert.equal(last.amount, 100);
    assert.equal(last.message.redPacket.status, 'finished');
    assert.deepEqual(last.message.redPacket.claims.map((c: { userId: string }) => c.userId), [s.ada!.userId, s.bob!.userId, s.cyd!.userId]);
  });

  it('returns the unopened rest to the sender after 24 hours; later opens are refused', async () => {
    const { t, s } = await setUp(['ada', 'bob', 'cyd', 'dan']);
    const team = await groupOf(t, s.ada!, [s.bob!, s.cyd!, s.dan!]);
    await fund(t, s.ada!, 1_000);
    const packet = ok(await sendPacket(t, s.ada!, team, 900, 3), 201).message.redPacket;
    const got = ok(await openPacket(t, s.bob!, team, packet.id)).amount;
    t.clock.advance(DAY);
    for (const handle of ['ada', 'cyd', 'dan']) s[handle] = await t.signIn(handle); // access tokens do not live a day
    expectProblem(await openPacket(t, s.cyd!, team, packet.id), 410, 'REDPACKET_EXPIRED');
    assert.deepEqual(await t.host.services.messaging.money.expireDue(), { transfers: 0, redPackets: 1 });
    assert.deepEqual(await t.host.services.messaging.money.expireDue(), { transfers: 0, redPackets: 0 });
    assert.equal((await balance(t, s.ada!)).balance, 1_000 - got);
    const detail = ok(await t.call('GET', `/v1/conversations/${team}/red-packets/${packet.id}`, { token: s.dan!.accessToken })).redPacket;
    assert.deepEqual({ status: detail.status, refunded: detail.refundedAmount, remaining: detail.remainingAmount }, { status: 'expired', refunded: 900 - got, remaining: 0 });
    const { updates } = await syncAll(t, s.dan!);
    assert.equal(updates.filter((u) => u.type === 'money').at(-1).message.redPacket.status, 'expired');
  });

  it('in a 1:1 chat: one share, for the other person only', async () => {
    const { t, s } = await setUp(['ada', 'bob']);
    await befriend(t, s.ada!, s.bob!);
    await fund(t, s.ada!, 1_000);
    const chat = await direct(t, s.ada!, s.bob!);
    expectProblem(await sendPacket(t, s.ada!, chat, 200, 2), 400, 'REDPACKET_LIMIT');
    const packet = ok(await sendPacket(t, s.ada!, chat, 188, 1), 201).message.redPacket;
    expectProblem(await openPacket(t, s.ada!, chat, packet.id), 403, 'REDPACKET_OWN');
    assert.equal(ok(await openPacket(t, s.bob!, chat, packet.id)).amount, 188);
    assert.equal((await balance(t, s.bob!)).balance, 188);
    const bill = ok(await t.call('GET', '/v1/wallet/transactions', { token: s.bob!.accessToken })).transactions.find((x: { kind: string }) => x.kind === 'redpacket.open');
    assert.equal(bill.counterparty.id, s.ada!.userId, 'the opener’s bill names the sender');
  });

  it('enforces the limits with clear errors: total cap, a cent per share, shares per group and 100 at most', async () => {
    const { t, s } = await setUp(['ada', 'bob', 'cyd']);
    const team = await groupOf(t, s.ada!, [s.bob!, s.cyd!]);
    await fund(t, s.ada!, 100_000);
    const over = expectProblem(await sendPacket(t, s.ada!, team, 20_001, 2), 400, 'REDPACKET_LIMIT');
    assert.equal(over.maxTotal, 20_000);
    expectProblem(await sendPacket(t, s.ada!, team, 2, 3), 400, 'REDPACKET_LIMIT');
    assert.equal(expectProblem(await sendPacket(t, s.ada!, team, 1_000, 4), 400, 'REDPACKET_LIMIT').maxShares, 3);
    expectProblem(await sendPacket(t, s.ada!, team, 1_000, 101), 400, 'VALIDATION_FAILED');
    expectProblem(await sendPacket(t, s.ada!, team, 1_000, 2, 'random', { pin: '135792' }), 403, 'WALLET_PIN_INCORRECT');
    assert.equal((await balance(t, s.ada!)).balance, 100_000, 'nothing moved');
  });

  it('refuses non-members and people who joined after it was sent: they cannot see or open it', async () => {
    const { t, s } = await setUp(['ada', 'bob', 'eve', 'joe']);
    const team = await groupOf(t, s.ada!, [s.bob!]);
    await fund(t, s.ada!, 1_000);
    const packet = ok(await sendPacket(t, s.ada!, team, 500, 2), 201).message.redPacket;
    expectProblem(await openPacket(t, s.eve!, team, packet.id), 404, 'CONVERSATION_NOT_FOUND');
    expectProblem(await t.call('GET', `/v1/conversations/${team}/red-packets/${packet.id}`, { token: s.eve!.accessToken }), 404, 'CONVERSATION_NOT_FOUND');
    await befriend(t, s.ada!, s.joe!);
    ok(await t.call('POST', `/v1/conversations/${team}/members`, { token: s.ada!.accessToken, json: { userIds: [s.joe!.userId] } }), 200);
    expectProblem(await openPacket(t, s.joe!, team, packet.id), 404, 'REDPACKET_NOT_FOUND');
    // A packet id from another conversation is not found here either.
    const other = await direct(t, s.ada!, s.bob!);
    expectProblem(await openPacket(t, s.bob!, other, packet.id), 404, 'REDPACKET_NOT_FOUND');
    assert.equal((await balance(t, s.eve!)).balance, 0);
  });
});
