import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { sql } from 'drizzle-orm';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { readAccount } from '../../../host/src/wallet/ledger.ts';
import { holdFsyncs } from '../../helpers/fsync.ts';
import { person, startLedger, WORLD } from './helpers.ts';

const code = (c: string) => (e: unknown) => isAtriumError(e) && e.code === c;

describe('wallet: ledger', () => {
  it('moves money between accounts with balances, a transfer row and an outbox row in one commit', async () => {
    await using t = startLedger();
    const topup = await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 10_000, currency: 'CNY', code: 'topup' });
    assert.equal(topup.amount, 10_000);
    assert.equal(topup.replayed, false);
    const p2p = await t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount: 2_500, currency: 'CNY', code: 'p2p', meta: { note: 'lunch' } });
    assert.deepEqual(p2p.meta, { note: 'lunch' });
    assert.equal(readAccount(t.database.db, 'w:ada:CNY')?.balance, 7_500);
    assert.equal(readAccount(t.database.db, 'w:bob:CNY')?.balance, 2_500);
    assert.equal(readAccount(t.database.db, 's:world:CNY')?.balance, -10_000);
    const outbox = t.database.db.all<{ topic: string; transfer_id: string }>(sql`select o.topic, t.id as transfer_id from ledger_outbox o join ledger_transfers t on t.seq = o.transfer_seq order by o.seq`);
    assert.deepEqual(outbox.map((o) => o.transfer_id), [topup.id, p2p.id]);
    assert.ok(checkInvariants(t.database.db, t.clock.now()).ok);
  });

  it('never lets a wallet go below zero, while system accounts may', async () => {
    await using t = startLedger();
    await assert.rejects(t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount: 1, currency: 'CNY', code: 'p2p' }), code('WALLET_INSUFFICIENT_FUNDS'));
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 100, currency: 'USD', code: 'topup' });
    await assert.rejects(t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount: 101, currency: 'USD', code: 'p2p' }), code('WALLET_INSUFFICIENT_FUNDS'));
    await assert.rejects(t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount: 1, currency: 'CNY', code: 'p2p' }), code('WALLET_INSUFFICIENT_FUNDS'));
    assert.equal(readAccount(t.database.db, 'w:ada:USD')?.balance, 100);
  });

  it('lets exactly the affordable subset of concurrent debits through, in one batch, each failure alone', async () => {
    await using t = startLedger();
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1_000, currency: 'CNY', code: 'topup' });
    const before = t.ledger.stats.batches;
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) => t.ledger.submit({ type: 'single', debit: person('ada'), credit: person(`p${i}`), amount: 100, currency: 'CNY', code: 'p2p' })),
    );
    assert.equal(t.ledger.stats.batches - before, 1, 'one group commit');
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10);
    assert.ok(results.filter((r) => r.status === 'rejected').every((r) => code('WALLET_INSUFFICIENT_FUNDS')((r as PromiseRejectedResult).reason)));
    assert.equal(readAccount(t.database.db, 'w:ada:CNY')?.balance, 0);
    assert.ok(checkInvariants(t.database.db, t.clock.now()).ok);
  });

  it('rejects bad amounts, currencies and self-transfers before queueing', async () => {
    await using t = startLedger();
    for (const amount of [0, -1, 1.5, Number.NaN, 2 ** 60]) {
      assert.throws(() => t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount, currency: 'CNY', code: 'x' }), code('WALLET_AMOUNT_INVALID'));
    }
    assert.throws(() => t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1, currency: 'JPY' as 'CNY', code: 'x' }), code('WALLET_CURRENCY_UNSUPPORTED'));
    assert.throws(() => t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('ada'), amount: 1, currency: 'CNY', code: 'x' }), code('WALLET_SAME_ACCOUNT'));
  });

  it('applies a transfer id at most once: identical replays answer the first, different ones are refused', async () => {
    await using t = startLedger();
    const op = { type: 'single', id: 'tr_fixed', debit: WORLD, credit: person('ada'), amount: 300, currency: 'CNY', code: 'topup' } as const;
    const [a, b] = await Promise.all([t.ledger.submit(op), t.ledger.submit(op)]);
    const c = await t.ledger.submit(op);
    assert.equal(a.replayed, false);
    assert.equal(b.replayed, true);
    assert.equal(c.replayed, true);
    assert.equal(c.seq, a.seq);
    await assert.rejects(t.ledger.submit({ ...op, amount: 301 }), code('WALLET_TRANSFER_EXISTS'));
    assert.equal(readAccount(t.database.db, 'w:ada:CNY')?.balance, 300);
  });

  it('holds reserve funds; a post moves at most the held amount and releases the rest, once', async () => {
    await using t = startLedger();
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1_000, currency: 'CNY', code: 'topup' });
    const hold = await t.ledger.submit({ type: 'pending', debit: person('ada'), credit: person('shop'), amount: 800, currency: 'CNY', code: 'payment', expiresAt: t.clock.now() + 60_000 });
    assert.equal(readAccount(t.database.db, 'w:ada:CNY')?.held, 800);
    await assert.rejects(t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount: 201, currency: 'CNY', code: 'p2p' }), code('WALLET_INSUFFICIENT_FUNDS'));
    await assert.rejects(t.ledger.submit({ type: 'post', holdId: hold.id, amount: 801 }), code('WALLET_HOLD_EXCEEDED'));
    const [post, again] = await Promise.allSettled([t.ledger.submit({ type: 'post', holdId: hold.id, amount: 500 }), t.ledger.submit({ type: 'void', holdId: hold.id })]);
    assert.equal(post.status, 'fulfilled');
    assert.equal(again.status, 'rejected');
    assert.ok(code('WALLET_HOLD_RESOLVED')((again as PromiseRejectedResult).reason));
    const ada = readAccount(t.database.db, 'w:ada:CNY');
    assert.equal(ada?.balance, 500);
    assert.equal(ada?.held, 0);
    assert.equal(readAccount(t.database.db, 'w:shop:CNY')?.balance, 500);
    assert.ok(checkInvariants(t.database.db, t.clock.now()).ok);
  });

  it('voids and expires holds, and a post after expiry is refused', async () => {
    await using t = startLedger();
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1_000, currency: 'CNY', code: 'topup' });
    const h1 = await t.ledger.submit({ type: 'pending', debit: person('ada'), credit: person('shop'), amount: 300, currency: 'CNY', code: 'payment', expiresAt: t.clock.now() + 1_000 });
    const h2 = await t.ledger.submit({ type: 'pending', debit: person('ada'), credit: person('shop'), amount: 400, currency: 'CNY', code: 'payment', expiresAt: t.clock.now() + 60_000 });
    await t.ledger.submit({ type: 'void', holdId: h2.id });
    await assert.rejects(t.ledger.submit({ type: 'expire', holdId: h1.id }), code('WALLET_HOLD_RESOLVED'), 'not yet due');
    t.clock.advance(1_000);
    await assert.rejects(t.ledger.submit({ type: 'post', holdId: h1.id }), code('WALLET_HOLD_EXPIRED'));
    assert.equal(await t.ledger.expireDue(), 1);
    assert.equal(await t.ledger.expireDue(), 0);
    await assert.rejects(t.ledger.submit({ type: 'post', holdId: 'tr_nope' }), code('WALLET_HOLD_NOT_FOUND'));
    const ada = readAccount(t.database.db, 'w:ada:CNY');
    assert.deepEqual([ada?.balance, ada?.held], [1_000, 0]);
    assert.ok(checkInvariants(t.database.db, t.clock.now()).ok);
  });

  it('acknowledges a durable write only after the write-ahead log is fsynced, sharing fsyncs between writes', async () => {
    await using t = startLedger();
    using fsyncs = holdFsyncs();
    const held = fsyncs.held;
    await t.database.write(async () => 'plain');
    assert.equal(held.length, 0, 'a write that is not durable does not fsync');
    let acknowledged = 0;
    const writes = Array.from({ length: 20 }, () =>
      t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1, currency: 'CNY', code: 'topup' }).then(() => acknowledged++),
    );
    for (let i = 0; held.length === 0 && i < 2_000; i++) await new Promise((r) => setImmediate(r));
    assert.ok(held.length > 0, 'the commit asked for an fsync of the log');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(acknowledged, 0, 'committed but not yet on disk: nobody is told');
    assert.equal(readAccount(t.database.db, 'w:ada:CNY')?.balance, 20, 'the batch committed meanwhile');
    while (acknowledged < writes.length) {
      held.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(writes);
    assert.ok(held.length <= 1, 'no fsync left waiting');
  });

  it('finds broken invariants', async () => {
    await using t = startLedger();
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1_000, currency: 'CNY', code: 'topup' });
    await t.database.write(async (tx) => {
      tx.run(sql`update ledger_accounts set balance = -5 where id = 'w:ada:CNY'`);
    });
    const report = checkInvariants(t.database.db, t.clock.now());
    assert.equal(report.ok, false);
    assert.deepEqual(new Set(report.violations.map((v) => v.invariant)), new Set(['sum_zero', 'balance_matches_transfers', 'no_negative_wallet']));
  });

  it('says the outcome is unknown, not "nothing was changed", when only the fsync after the commit fails', async () => {
    await using t = startLedger();
    const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
    const original = fs.fsync;
    fs.fsync = ((_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      setImmediate(() => callback(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' })));
    }) as typeof fs.fsync;
    syncBuiltinESMExports();
    try {
      const failed = await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 5, currency: 'CNY', code: 'topup' }).then(() => undefined, (error: unknown) => error);
      assert.ok(isAtriumError(failed) && failed.code === 'UNAVAILABLE');
      assert.match(failed.detail ?? '', /outcome is unknown/);
      assert.equal(readAccount(t.database.db, 'w:ada:CNY')?.balance, 5, 'the batch did commit');
    } finally {
      fs.fsync = original;
      syncBuiltinESMExports();
    }
  });

  it('answers every operation of a batch whose commit fails with UNAVAILABLE, and none is applied', async () => {
    const t = startLedger();
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1_000, currency: 'CNY', code: 'topup' });
    const pending = [1, 2, 3].map(() => t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount: 10, currency: 'CNY', code: 'p2p' }));
    const closing = t.database.close(); // the batch's write starts after the close: the transaction cannot begin
    const results = await Promise.allSettled(pending);
    await closing;
    assert.ok(results.every((r) => r.status === 'rejected' && code('UNAVAILABLE')(r.reason)), JSON.stringify(results.map((r) => r.status)));
    await t[Symbol.asyncDispose]();
  });
});
