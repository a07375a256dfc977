/**
 * `npm run admin -- wallet-invariants`: the operator proves the ledger's invariants on the host's own database;
 * per-currency results, exit 0 when they hold, exit 1 naming the broken account when one does not.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import pino from 'pino';
import { createHost } from '../../../host/src/app.ts';
import { openDatabase } from '../../../host/src/db/database.ts';
import { testConfig } from '../../helpers/host.ts';

const ADMIN = new URL('../../../host/src/admin.ts', import.meta.url).pathname;

describe('wallet: the invariant admin command', () => {
  it('prints per-currency sums and exits 0 on a sound ledger, and exits 1 naming a corrupted balance', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrium-invariants-'));
    try {
      const database = openDatabase(join(dir, 'atrium.db'));
      const host = createHost({ db: database, config: testConfig(), logger: pino({ level: 'silent' }) });
      const rita = await host.services.identity.createAccount({ handle: 'rita', displayName: 'Rita', password: 'a long enough password' });
      const sam = await host.services.identity.createAccount({ handle: 'sam', displayName: 'Sam', password: 'a long enough password' });
      const { ledger } = host.services.wallet;
      await ledger.submit({ type: 'single', debit: { kind: 'system', owner: 'funding' }, credit: { kind: 'person', owner: rita.id }, amount: 10_000, currency: 'CNY', code: 'topup' });
      await ledger.submit({ type: 'single', debit: { kind: 'system', owner: 'funding' }, credit: { kind: 'person', owner: sam.id }, amount: 2_500, currency: 'THB', code: 'topup' });
      await ledger.submit({ type: 'single', debit: { kind: 'person', owner: rita.id }, credit: { kind: 'person', owner: sam.id }, amount: 1_234, currency: 'CNY', code: 'p2p' });
      host.services.stop();
      await database.close();
      const run = (...args: string[]) => spawnSync(process.execPath, [ADMIN, ...args], { env: { ...process.env, ATRIUM_DATA_DIR: dir }, encoding: 'utf8' });

      const sound = run('wallet-invariants');
      assert.equal(sound.status, 0, sound.stderr + sound.stdout);
      assert.match(sound.stdout, /✔ CNY {2}sum 0 /);
      assert.match(sound.stdout, /✔ THB {2}sum 0 /);
      assert.match(sound.stdout, /Every ledger invariant holds/);
      const json = run('wallet-invariants', '--json');
      assert.equal(json.status, 0);
      const report = JSON.parse(json.stdout.trim().split('\n').at(-1)!);
      assert.equal(report.ok, true);
      assert.deepEqual(report.currencies.map((c: { currency: string; sum: number }) => [c.currency, c.sum]), [['CNY', 0], ['THB', 0]]);

      // Someone edits a balance behind the ledger's back: 1 fen appears from nowhere in Sam's CNY wallet.
      const raw = new BetterSqlite3(join(dir, 'atrium.db'));
      const corrupted = `w:${sam.id}:CNY`;
      assert.equal(raw.prepare('update ledger_accounts set balance = balance + 1 where id = ?').run(corrupted).changes, 1);
      raw.close();

      const broken = run('wallet-invariants');
      assert.equal(broken.status, 1, broken.stdout);
      assert.match(broken.stdout, /✘ CNY {2}sum 1 /);
      assert.match(broken.stdout, /✔ THB {2}sum 0 /, 'the other currency is still sound');
      assert.ok(broken.stdout.includes(`✘ balance_matches_transfers: ${corrupted}: balance 1235, transfers fold to 1234`), broken.stdout);
      assert.match(broken.stdout, /✘ sum_zero: CNY: balances sum to 1/);
      assert.match(broken.stderr, /^✘ ERROR WALLET_INVARIANT_BROKEN: 2 violation/);
      const brokenJson = run('wallet-invariants', '--json');
      assert.equal(brokenJson.status, 1);
      assert.equal(JSON.parse(brokenJson.stdout).ok, false);

      const usage = run('wallet-invariants', '--fix');
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /^✘ ERROR USAGE:/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
