import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { connectionOf, tempDatabase } from '../../../host/src/db/database.ts';
import { users } from '../../../host/src/db/schema.ts';
import { holdFsyncs } from '../../helpers/fsync.ts';

const person = (id: string, handle: string) => ({ id, handle, displayName: handle, passwordHash: 'x', cardCode: `card${id}`, createdAt: 1, updatedAt: 1 });

describe('db: the embedded database', () => {
  it('acknowledges a durable write after an fsync that began after its commit; two run at once, later writes share the next', async () => {
    await using database = tempDatabase();
    using fsyncs = holdFsyncs();
    const held = fsyncs.held;
    const done: string[] = [];
    const until = async (condition: () => boolean, what: string): Promise<void> => {
      // By the clock, not by turns: a real fsync on a busy machine can outlast thousands of idle turns.
      for (const deadline = Date.now() + 5_000; !condition(); ) {
        if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
        await nextTurn();
      }
    };
    const durable = (id: string) => database.write(async (tx) => void tx.insert(users).values(person(id, `h${id}`)).run(), { durable: true }).then(() => done.push(id));
    const writes = [durable('1')];
    await until(() => held.length === 1, 'the first fsync');
    writes.push(durable('2'));
    await until(() => held.length === 2, 'a second fsync at once');
    // The first fsync may have begun before the second commit: the second write got its own, at once.
    writes.push(durable('3'), durable('4'));
    for (let i = 0; i < 50; i++) await nextTurn();
    assert.equal(held.length, 2, 'no third fsync while two are in flight');
    assert.deepEqual(done, [], 'nothing acknowledged before its fsync');
    held.shift()!();
    await until(() => done.length === 1, 'the first write is acknowledged');
    assert.deepEqual(done, ['1']);
    await until(() => held.length === 2, 'writes 3 and 4 share the fsync that started when a slot freed');
    held.shift()!();
    held.shift()!();
    await Promise.all(writes);
    assert.deepEqual(done.slice(1).sort(), ['2', '3', '4']);
    assert.equal(held.length, 0, 'one fsync for the two later writes');
  });

  it('resolves flushed() only once an fsync that began after the call has ended', async () => {
    await using database = tempDatabase();
    await database.write(async (tx) => void tx.insert(users).values(person('usr_7', 'gus')).run()); // committed, not synced
    using fsyncs = holdFsyncs();
    let flushed = false;
    const flush = database.flushed().then(() => (flushed = true));
    await fsyncs.firstHeld('flushed()');
    for (let i = 0; i < 20; i++) await nextTurn();
    assert.equal(flushed, false, 'not before it ends');
    fsyncs.held.shift()!();
    await flush;
    assert.equal(flushed, true);
    await database.flushed();
    assert.equal(fsyncs.held.length, 0, 'nothing committed since: no second fsync');
    await database.write(async (tx) => void tx.insert(users).values(person('usr_8', 'hal')).run());
    const again = database.flushed();
    await fsyncs.firstHeld('flushed() after a new commit');
    fsyncs.held.shift()!();
    await again;
  });

  it('reads its own writes at once, even within the same turn of the event loop', async () => {
    await using database = tempDatabase();
    assert.equal((await database.db.select().from(users)).length, 0); // opens this turn's snapshot
    await database.write((tx) => tx.insert(users).values(person('usr_1', 'ada')));
    assert.equal((await database.db.select().from(users)).length, 1);
  });

  it("sees another connection's commit from the next turn on", async () => {
    await using database = tempDatabase();
    assert.equal((await database.db.select().from(users)).length, 0);
    const other = new Sqlite(database.path);
    other.prepare("insert into users (id, handle, display_name, password_hash, card_code, created_at, updated_at) values ('usr_9', 'eve', 'Eve', 'x', 'c9', 1, 1)").run();
    other.close();
    await nextTurn();
    assert.equal((await database.db.select().from(users)).length, 1);
  });

  it("reads committed data on the writer's connection, and never a write transaction's uncommitted rows", async () => {
    await using database = tempDatabase();
    const byId = database.prepareCommittedRead<{ handle: string }>('select handle from users where id = ?');
    assert.equal(byId.get('usr_5'), undefined);
    await database.write(async (tx) => {
      tx.insert(users).values(person('usr_5', 'eve')).run();
      await nextTurn(); // the transaction stays open across turns: a request handled meanwhile must not see eve
      assert.equal(byId.get('usr_5'), undefined, 'uncommitted: not visible');
      assert.deepEqual(byId.all('usr_5'), []);
    });
    assert.deepEqual(byId.get('usr_5'), { handle: 'eve' }, 'committed: visible at once, in the same turn');
    const rolledBack = database.write(async (tx) => {
      tx.insert(users).values(person('usr_6', 'fay')).run();
      await nextTurn();
      assert.equal(byId.get('usr_6'), undefined);
      throw new Error('abandon');
    });
    await assert.rejects(rolledBack, /abandon/);
    assert.equal(byId.get('usr_6'), undefined, 'rolled back: never visible');
    assert.throws(() => database.prepareCommittedRead("update users set handle = 'x'"), /takes a query/);
  });

  it('refuses writes outside write(): the read connection is read-only', async () => {
    await using database = tempDatabase();
    await assert.rejects(async () => database.db.insert(users).values(person('usr_2', 'bob')), /readonly/);
  });

  it('rolls a failed transaction back whole', async () => {
    await using database = tempDatabase();
    await assert.rejects(
      database.write(async (tx) => {
        await tx.insert(users).values(person('usr_3', 'cy'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal((await database.db.select().from(users)).length, 0);
  });

  it('serializes write transactions: nothing slips in between two awaits of another', async () => {
    await using database = tempDatabase();
    const order: string[] = [];
    const first = database.write(async (tx) => {
      order.push('first:start');
      await tx.insert(users).values(person('usr_4', 'dee'));
      await new Promise((r) => setTimeout(r, 20));
      order.push('first:end');
    });
    const second = database.write(async (tx) => {
      order.push('second:start');
      const [seen] = await tx.select().from(users).where(eq(users.id, 'usr_4'));
      assert.ok(seen, 'the second transaction sees the first one committed');
    });
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first:start', 'first:end', 'second:start']);
  });

  it('checkpoints the write-ahead log into the database file from its own thread, while this one stays free', async () => {
    await using database = tempDatabase();
    const size = () => statSync(database.path).size;
    const before = size();
    const rows = Array.from({ length: 3_000 }, (_, i) => ({ ...person(`usr_c${i}`, `c${i}`), displayName: 'x'.repeat(400) }));
    await database.write(async (tx) => {
      for (let i = 0; i < rows.length; i += 500) tx.insert(users).values(rows.slice(i, i + 500)).run();
    });
    assert.equal(size(), before, 'a commit only appends to the log');
    // No timer or checkpoint runs on this thread: the growth can only come from the checkpointer thread.
    const deadline = Date.now() + 10_000;
    while (size() === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(size() > before + 1_000_000, `the database file grew from ${before} to ${size()} bytes`);
    assert.equal((await database.db.select().from(users)).length, rows.length);
  });

  it('never keeps the process alive: a process that leaves a database open still exits', async () => {
    const script = `import { tempDatabase } from ${JSON.stringify(new URL('../../../host/src/db/database.ts', import.meta.url).href)};
      const database = tempDatabase();
      await database.write(async () => 1, { durable: true });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
    const exited = once(child, 'exit');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const [code, signal] = await exited;
    clearTimeout(timer);
    assert.deepEqual([code, signal], [0, null]);
  });
});

const QUERY = 'select b.seq, a.id from b join a on a.num = b.x where b.n >= ? and b.id != ? order by b.seq limit ?';
const ARGS: unknown[][] = [[5, 'x', 10], ['5', '5', 10], [null, 'x', 10], [6, 'k', 1], [0, 'z', 0]];

describe('database: prepared joins keep their plans', () => {
  it('writes a join’s bare parameters as +? outside quotes and comments, and leaves other statements alone', async () => {
    const { keepPlanParams } = await import('../../../host/src/db/database.ts');
    assert.equal(keepPlanParams("select a.id from a join b on b.a = a.id where a.k = ? and b.s = '?' and b.t in (?, ?2)"), "select a.id from a join b on b.a = a.id where a.k = +? and b.s = '?' and b.t in (+?, +?2)");
    assert.equal(keepPlanParams('select "?" from a join b -- why?\n on x = ? /* ? */ limit +?'), 'select "?" from a join b -- why?\n on x = +? /* ? */ limit +?');
    await using database = tempDatabase();
    const sources = await database.write(async (tx) => [
      connectionOf(tx).prepare('select u.id from users u join devices d on d.user_id = u.id where u.id = ?').source,
      connectionOf(tx).prepare('select id from users where id = ?').source,
    ]);
    assert.deepEqual(sources, ['select u.id from users u join devices d on d.user_id = u.id where u.id = +?', 'select id from users where id = ?']);
    assert.match(connectionOf(database.db).prepare('select u.id from users u join devices d on d.user_id = u.id where d.id = ?').source, /d\.id = \+\?$/);
    const read = database.prepareRead<{ id: string }>('select u.id from users u join devices d on d.user_id = u.id where d.id = ?');
    assert.match((read as unknown as { source: string }).source, /d\.id = \+\?$/);
  });

  it('answers joins the same with the parameters rewritten', async () => {
    await using database = tempDatabase();
    const rows = await database.write(async (tx) => {
      const writer = connectionOf(tx);
      writer.exec("create table a (num integer primary key, id text not null unique); create table b (seq integer primary key, id text not null unique, x integer not null, n integer); insert into a values (1, 'A'), (2, 'B'); insert into b values (10, '5', 1, 5), (11, 'k', 2, 7), (12, 'z', 1, null)");
      const rewritten = writer.prepare(QUERY);
      assert.match(rewritten.source, /\+\?/);
      return ARGS.map((args) => rewritten.all(...args));
    });
    const plain = new Sqlite(database.path, { readonly: true });
    try {
      ARGS.forEach((args, i) => assert.deepEqual(rows[i], plain.prepare(QUERY).all(...args), JSON.stringify(args)));
    } finally {
      plain.close();
    }
    assert.ok(rows.some((r) => r.length > 1) && rows.some((r) => r.length === 0), 'the cases find some rows and none');
  });
});
