import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createSeededRandom } from '../../../host/src/core/random.ts';
import { Ledger } from '../../../host/src/wallet/ledger.ts';
import { serveTestHost, type ServedHost } from '../../helpers/browser.ts';
import { holdFsyncs } from '../../helpers/fsync.ts';
import { TEST_PASSWORD } from '../../helpers/host.ts';
import { SocketClient } from '../messaging/socket-client.ts';
import { person, startLedger, WORLD } from './helpers.ts';

const PIN = '480915';
const CARD = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };

async function call(served: ServedHost, method: string, path: string, token: string | undefined, json?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${served.url}${path}`, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

async function signUp(served: ServedHost, handle: string): Promise<{ id: string; token: string }> {
  const res = await call(served, 'POST', '/v1/auth/signup', undefined, { handle, displayName: handle, password: TEST_PASSWORD });
  assert.equal(res.status, 201);
  return { id: res.body.user.id, token: res.body.accessToken };
}

describe('wallet: live updates', () => {
  it("pushes wallet.update to both people's sockets once a transfer between them is on disk, and to nobody else", async () => {
    await using served = await serveTestHost();
    const [ada, bob, eve] = [await signUp(served, 'ada'), await signUp(served, 'bob'), await signUp(served, 'eve')];
    const req = await call(served, 'POST', '/v1/contacts/requests', ada.token, { handle: 'bob' });
    assert.equal((await call(served, 'POST', `/v1/contacts/requests/${req.body.id}/accept`, bob.token)).status, 200);
    assert.equal((await call(served, 'PUT', '/v1/wallet/pin', ada.token, { pin: PIN })).status, 204);
    const [adaSocket, bobSocket, eveSocket] = [await SocketClient.connect(served.url, ada.token), await SocketClient.connect(served.url, bob.token), await SocketClient.connect(served.url, eve.token)];
    assert.equal((await call(served, 'POST', '/v1/wallet/topups', ada.token, { amount: 1_000, currency: 'CNY', card: CARD }, { 'idempotency-key': 'top-1' })).status, 201);
    await adaSocket.waitFor((f) => f.t === 'wallet.update');
    adaSocket.pushed.length = 0;
    assert.equal((await call(served, 'POST', '/v1/wallet/transfers', ada.token, { to: bob.id, amount: 250, currency: 'CNY', pin: PIN }, { 'idempotency-key': 'tr-1' })).status, 201);
    assert.deepEqual(await bobSocket.waitFor((f) => f.t === 'wallet.update'), { t: 'wallet.update' });
    await adaSocket.waitFor((f) => f.t === 'wallet.update');
    // A refused transfer moves nothing: nobody is told anything new.
    bobSocket.pushed.length = 0;
    assert.equal((await call(served, 'POST', '/v1/wallet/transfers', ada.token, { to: bob.id, amount: 5_000, currency: 'CNY', pin: PIN }, { 'idempotency-key': 'tr-2' })).status, 402);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(bobSocket.pushed.filter((f) => f.t === 'wallet.update').length, 0);
    assert.equal(eveSocket.pushed.filter((f) => f.t === 'wallet.update').length, 0, 'eve saw no wallet of hers move');
    for (const socket of [adaSocket, bobSocket, eveSocket]) await socket.close();
  });

  it('names each person once per batch, only wallets (not merchants or system accounts), and only after the batch is on disk', async () => {
    await using t = startLedger();
    const told: string[][] = [];
    const ledger = new Ledger({ database: t.database, clock: t.clock, random: createSeededRandom('live'), onSettled: (userIds) => told.push([...userIds].sort()) });
    await Promise.all([
      ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 100, currency: 'CNY', code: 'topup' }),
      ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 100, currency: 'USD', code: 'topup' }),
      ledger.submit({ type: 'single', debit: WORLD, credit: person('bob'), amount: 100, currency: 'CNY', code: 'topup' }),
      ledger.submit({ type: 'single', debit: WORLD, credit: { kind: 'merchant', owner: 'mch_1' }, amount: 100, currency: 'CNY', code: 'topup' }),
    ]);
    assert.deepEqual(told, [['ada', 'bob']]);
    await ledger.submit({ type: 'single', debit: WORLD, credit: { kind: 'merchant', owner: 'mch_1' }, amount: 1, currency: 'CNY', code: 'topup' });
    assert.equal(told.length, 1, `a batch that moved no wallet tells nobody: ${JSON.stringify(told)}`);
    {
      using fsyncs = holdFsyncs();
      const pending = ledger.submit({ type: 'single', debit: WORLD, credit: person('cy'), amount: 1, currency: 'CNY', code: 'topup' });
      await fsyncs.firstHeld('the batch');
      for (let i = 0; i < 20; i++) await nextTurn();
      assert.equal(told.length, 1, 'committed, not yet on disk: nobody told');
      fsyncs.held.shift()!();
      await pending;
      assert.deepEqual(told[1], ['cy']);
    }
    const failing = new Ledger({ database: t.database, clock: t.clock, random: createSeededRandom('another'), onSettled: () => { throw new Error('listener broke'); } });
    // A listener that throws never fails the movement, which is done and durable.
    assert.equal((await failing.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1, currency: 'CNY', code: 'topup' })).amount, 1);
  });
});
