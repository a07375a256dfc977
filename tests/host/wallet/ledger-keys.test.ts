/**
 * The ledger's integer keys and history chains (migration 0009_ledger_keys): an existing database migrates with
 * its balances and history; a run of operations that hits an unexpected error is replayed so only that one fails;
 * a stale account cache heals itself; fast transfer ids are the same strings as the reference encoding.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { createManualClock } from '../../../host/src/core/clock.ts';
import { createSeededRandom } from '../../../host/src/core/random.ts';
import { openDatabase } from '../../../host/src/db/database.ts';
import { accountHistory } from '../../../host/src/wallet/history.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { Ledger, newTransferId, readAccount, transferIds } from '../../../host/src/wallet/ledger.ts';
import { person, startLedger, WORLD } from './helpers.ts';

const MIGRATIONS = new URL('../../../host/drizzle/', import.meta.url).pathname;

describe('wallet: ledger keys and history chains', () => {
  it('migrates an existing database: balances, holds, outbox and every account history are kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrium-0009-'));
    try {
      // The schema before 0009: the committed migrations up to 0008.
      const old = join(dir, 'migrations');
      cpSync(MIGRATIONS, old, { recursive: true });
      const journal = JSON.parse(readFileSync(join(old, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };
      journal.entries = journal.entries.filter((e) => e.tag < '0009');
      writeFileSync(join(old, 'meta/_journal.json'), JSON.stringify(journal));
      const path = join(dir, 'atrium.db');
      const raw = new Sqlite(path);
      migrate(drizzle({ client: raw }), { migrationsFolder: old });
      raw.exec(`
        insert into ledger_accounts (id, kind, owner_id, currency, balance, held, allow_negative, created_at) values
          ('s:world:CNY', 'system', 'world', 'CNY', -300, 0, 1, 1),
          ('w:ada:CNY', 'person', 'ada', 'CNY', 180, 20, 0, 2),
          ('w:bob:CNY', 'person', 'bob', 'CNY', 120, 0, 0, 3),
          ('m:shop:CNY', 'merchant', 'shop', 'CNY', 0, 0, 0, 4);
        insert into ledger_transfers (seq, id, type, debit_account_id, credit_account_id, amount, currency, code, pending_id, meta, created_at) values
          (1, 'tr_a', 'single', 's:world:CNY', 'w:ada:CNY', 250, 'CNY', 'topup', null, null, 10),
          (2, 'tr_b', 'single', 's:world:CNY', 'w:bob:CNY', 50, 'CNY', 'topup', null, null, 11),
          (3, 'tr_c', 'single', 'w:ada:CNY', 'w:bob:CNY', 70, 'CNY', 'p2p', null, '{"note":"lunch"}', 12),
          (4, 'tr_h', 'pending', 'w:ada:CNY', 'm:shop:CNY', 20, 'CNY', 'payment', null, null, 13);
        insert into ledger_holds (id, debit_account_id, credit_account_id, amount, currency, status, posted_amount, expires_at, resolved_at) values
          ('tr_h', 'w:ada:CNY', 'm:shop:CNY', 20, 'CNY', 'pending', null, 9999999999999, null);
        insert into ledger_outbox (topic, transfer_id, payload, created_at) values
          ('ledger.transfer.posted', 'tr_a', '{}', 10), ('ledger.transfer.posted', 'tr_b', '{}', 11),
          ('ledger.transfer.posted', 'tr_c', '{}', 12), ('ledger.hold.created', 'tr_h', '{}', 13);
      `);
      raw.close();

      const database = openDatabase(path); // applies 0009
      try {
        const report = checkInvariants(database.db, 0);
        assert.ok(report.ok, JSON.stringify(report.violations));
        assert.equal(report.transfers, 4);
        assert.deepEqual([readAccount(database.db, 'w:ada:CNY')?.balance, readAccount(database.db, 'w:ada:CNY')?.held], [180, 20]);
        assert.equal(readAccount(database.db, 'w:bob:CNY')?.balance, 120);
        assert.deepEqual([...accountHistory(database.db, ['w:ada:CNY'])].map((t) => t.id), ['tr_h', 'tr_c', 'tr_a']);
        assert.deepEqual([...accountHistory(database.db, ['w:bob:CNY'])].map((t) => [t.id, t.debitAccountId, t.meta]), [['tr_c', 'w:ada:CNY', '{"note":"lunch"}'], ['tr_b', 's:world:CNY', null]]);
        assert.deepEqual([...accountHistory(database.db, ['w:ada:CNY', 'w:bob:CNY'], { before: 3 })].map((t) => t.id), ['tr_b', 'tr_a']);
        const outbox = database.db.all<{ topic: string; id: string }>(sql`select o.topic, t.id from ledger_outbox o join ledger_transfers t on t.seq = o.transfer_seq order by o.seq`);
        assert.deepEqual(outbox.map((o) => o.id), ['tr_a', 'tr_b', 'tr_c', 'tr_h']);

        // The ledger carries on from the migrated state: the hold posts, the chains grow.
        const clock = createManualClock(100);
        const ledger = new Ledger({ database, clock, random: createSeededRandom('0009') });
        await ledger.submit({ type: 'post', holdId: 'tr_h' });
        await ledger.submit({ type: 'single', debit: person('bob'), credit: person('ada'), amount: 5, currency: 'CNY', code: 'p2p' });
        const after = checkInvariants(database.db, 0);
        assert.ok(after.ok, JSON.stringify(after.violations));
        assert.deepEqual([readAccount(database.db, 'w:ada:CNY')?.balance, readAccount(database.db, 'w:ada:CNY')?.held, readAccount(database.db, 'm:shop:CNY')?.balance], [165, 0, 20]);
        assert.deepEqual([...accountHistory(database.db, ['w:ada:CNY'])].map((t) => t.seq), [6, 5, 4, 3, 1]);
      } finally {
        await database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays a run that hits an unexpected error one operation at a time: only that operation fails', async () => {
    await using t = startLedger();
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 1_000, currency: 'CNY', code: 'topup' });
    // A constraint the ledger does not know about fails the transfer of 13 after its account updates ran.
    await t.database.write(async (tx) => {
      tx.run(sql`create trigger boom before insert on ledger_transfers when new.amount = 13 begin select raise(abort, 'boom'); end`);
    });
    const results = await Promise.allSettled([10, 13, 20, 2_000].map((amount) => t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount, currency: 'CNY', code: 'p2p' })));
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? 'ok' : (r.reason as { code: string }).code)),
      ['ok', 'INTERNAL', 'ok', 'WALLET_INSUFFICIENT_FUNDS'],
    );
    assert.equal(readAccount(t.database.db, 'w:ada:CNY')?.balance, 970);
    assert.equal(readAccount(t.database.db, 'w:bob:CNY')?.balance, 30);
    const report = checkInvariants(t.database.db, t.clock.now());
    assert.ok(report.ok, JSON.stringify(report.violations));
    assert.deepEqual([...accountHistory(t.database.db, ['w:bob:CNY'])].map((r) => r.amount), [20, 10]);
  });

  it('heals a stale account cache: two ledgers on one database keep every chain exact', async () => {
    await using t = startLedger();
    const other = new Ledger({ database: t.database, clock: t.clock, random: createSeededRandom('other') });
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 100, currency: 'CNY', code: 'topup' });
    await other.submit({ type: 'single', debit: WORLD, credit: person('ada'), amount: 100, currency: 'CNY', code: 'topup' });
    await other.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount: 30, currency: 'CNY', code: 'p2p' });
    // `t.ledger` cached ada's and the world's history heads before `other` moved them.
    await t.ledger.submit({ type: 'single', debit: person('ada'), credit: person('bob'), amount: 40, currency: 'CNY', code: 'p2p' });
    await t.ledger.submit({ type: 'single', debit: WORLD, credit: person('bob'), amount: 1, currency: 'CNY', code: 'topup' });
    const report = checkInvariants(t.database.db, t.clock.now());
    assert.ok(report.ok, JSON.stringify(report.violations));
    assert.deepEqual([...accountHistory(t.database.db, ['w:ada:CNY'])].map((r) => r.amount), [40, 30, 100, 100]);
    assert.equal(readAccount(t.database.db, 'w:ada:CNY')?.balance, 130);
  });

  it('makes the same transfer ids as the reference encoding, many at one time', () => {
    const random = createSeededRandom('ids');
    for (const now of [0, 1, 7, 8, 1_795_442_556_636, 2 ** 48 - 1, Date.UTC(2026, 10, 23, 9, 0, 0, 123)]) {
      for (let i = 0; i < 50; i++) {
        const bytes = random.bytes(5);
        const fast = transferIds(() => bytes)(now);
        assert.equal(fast, newTransferId(now, () => bytes));
        assert.match(fast, /^tr_[0-9a-hjkmnp-tv-z]{18}$/);
      }
    }
  });
});
