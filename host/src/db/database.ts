/**
 * @module The embedded database: SQLite (WAL) through drizzle, with serialized async write transactions.
 *
 * better-sqlite3 is synchronous and drizzle refuses async callbacks in its transactions, yet services are
 * async (so they can move to PostgreSQL). So writes get their own connection and an async lock: one write
 * transaction at a time, and nothing from another request can slip into it between two awaits. Reads use a
 * second, read-only connection and see only committed data (WAL snapshot). A write outside `write()` fails
 * loudly ("readonly database") instead of joining someone else's transaction.
 */
import { closeSync, fsync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

/** A typed drizzle handle over every table. */
export type Db = BetterSQLite3Database<typeof schema>;

/**
 * The SQLite connection under a drizzle handle — the writer's inside `write()`, the turn's snapshot reader for
 * `db` — for statements prepared by hand.
 */
export function connectionOf(db: Db): Sqlite.Database {
  return (db as Db & { $client: Sqlite.Database }).$client;
}

/** The database the host runs on. */
export interface Database {
  /** For reads: sees committed data only. */
  readonly db: Db;
  /**
   * Runs `fn` as one write transaction (serialized); commits when it resolves, rolls back when it throws.
   * With `durable`, the commit is fsynced before `write` resolves (see {@link WriteOptions}).
   */
  write<T>(fn: (tx: Db) => Promise<T>, options?: WriteOptions): Promise<T>;
  /**
   * A prepared read on the read connection, in the turn's snapshot like every read through `db`, returning rows
   * as SQLite names their columns (alias them to the shape you return). For the hottest lookups only (the
   * signed-in person's own account on every `/v1/me`): it skips drizzle's per-row mapping.
   * @example const byId = database.prepareRead<{ id: string }>('select id from users where id = ?');
   */
  prepareRead<Row>(source: string): ReadStatement<Row>;
  /**
   * A prepared read of committed data on the writer's connection, for rows that every write changes and every
   * request looks up first (an idempotency key). Each commit makes the read connection's next snapshot drop its
   * page cache, so a lookup there reads the B-tree pages the writes keep changing back from the log; the writer's
   * cache holds them. While a write transaction is open (a `write` awaiting inside), the writer would also see
   * that transaction's uncommitted rows, so the read goes through the turn's snapshot instead, like
   * {@link prepareRead}. Rows as SQLite names their columns.
   */
  prepareCommittedRead<Row>(source: string): ReadStatement<Row>;
  /**
   * Resolves once everything committed before the call is on disk (an fsync of the log that began after it; at
   * once, with no fsync, when an earlier one already covered every commit). For answers that acknowledge an
   * earlier write read back from the database, e.g. replaying a stored response: a reader may see a durable
   * write's commit before its fsync has finished.
   */
  flushed(): Promise<void>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Waits for the running write transaction, then closes both connections. */
  close(): Promise<void>;
  readonly path: string;
}

/** A prepared read statement (see {@link Database.prepareRead}). */
export interface ReadStatement<Row> {
  get(...params: unknown[]): Row | undefined;
  all(...params: unknown[]): Row[];
}

/** Options of {@link Database.write}. */
export interface WriteOptions {
  /**
   * Survive power loss once `write` resolves: after the commit, the write-ahead log is fsynced before `write`
   * resolves — the guarantee of SQLite's `synchronous = FULL` (which fsyncs the WAL inside COMMIT). The fsync
   * runs on libuv's thread pool instead of blocking the event loop inside COMMIT, so requests keep being parsed
   * and the next write transaction can run while the disk flushes; durable writes beyond two fsyncs in flight share
   * the next one.
   * Other writes keep `NORMAL` (WAL synced at checkpoints; they may roll back after a power cut, never corrupt).
   * An fsync covers every earlier frame, so a durable write makes everything committed before it durable too.
   * Readers may see a durable write's commit up to one fsync (~2 ms) before `write` resolves; nothing is
   * acknowledged before it is on disk (an answer that acknowledges it from a read, such as a replayed response,
   * waits for {@link Database.flushed}). The ledger uses this for every batch (group commit). @default false
   */
  durable?: boolean;
}
/**
 * `write(fn, DURABLE)`: acknowledged only once on disk. Money (the ledger's batches) and chat (messages, system
 * messages, membership changes) write this way: an acknowledged payment or message survives a power cut.
 */
export const DURABLE: WriteOptions = Object.freeze({ durable: true });

/** How much of the database file each connection memory-maps (reads then skip SQLite's page cache). */
const MMAP_BYTES = 1024 * 1024 * 1024;
/** How often the write-ahead log is checkpointed into the database file. */
const CHECKPOINT_EVERY_MS = 1000;

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../drizzle');

/**
 * Opens (creating if needed) the SQLite database at `path` and applies the committed migrations.
 * @example const database = openDatabase('data/atrium.db');
 */
export function openDatabase(path: string): Database {
  mkdirSync(dirname(path), { recursive: true });
  const writer = keepJoinPlans(new Sqlite(path));
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = NORMAL');
  writer.pragma('foreign_keys = ON');
  writer.pragma('busy_timeout = 5000');
  // Savepoint journals (the ledger opens one per operation in a group commit) stay in memory, not a temp file.
  writer.pragma('temp_store = MEMORY');
  // The writer is the only connection that changes the file, so its page cache stays valid: let it hold the
  // hot pages (accounts, index leaves) of a busy ledger instead of SQLite's 2 MB default.
  writer.pragma('cache_size = -65536');
  writer.pragma(`mmap_size = ${MMAP_BYTES}`);
  // Checkpoint from a timer on another thread instead of inside commits: the read connection holds a snapshot
  // most of the time under load, so SQLite's automatic checkpoint (past 1,000 WAL pages) could rarely reset the
  // log and was retried, with its fsyncs, on every commit (a third of a chat message's write cost, measured);
  // on this thread, a timed checkpoint still stalled every request for its copy and fsyncs (~70 ms a second
  // under a payment load, measured).
  writer.pragma('wal_autocheckpoint = 0');
  const writeDb = drizzle({ client: writer, schema });
  migrate(writeDb, { migrationsFolder: MIGRATIONS });

  const wal = createWalSync(`${path}-wal`);
  const checkpoints = checkpointer().watch(path);

  const reader = keepJoinPlans(new Sqlite(path, { readonly: true }));
  reader.pragma('busy_timeout = 5000');
  // Every commit by the writer discards the reader's whole page cache at its next snapshot; with the file
  // memory-mapped, re-reading a page is a memory access instead of a read() into a fresh cache page.
  reader.pragma(`mmap_size = ${MMAP_BYTES}`);
  const snapshot = createSnapshotScope(reader);
  const readDb = drizzle({ client: snapshot.client, schema });

  let tail: Promise<unknown> = Promise.resolve();
  let closed = false;
  // Commits so far, and how many of them an fsync that began after them has covered.
  let commits = 0;
  let onDisk = 0;
  /** Resolves once every commit so far is on disk; at once when the last fsync already covers them all. */
  const synced = async (): Promise<void> => {
    const target = commits;
    if (onDisk >= target) return;
    try {
      await wal.sync();
    } catch (error) {
      throw new DurabilityError(error);
    }
    if (target > onDisk) onDisk = target;
  };

  return {
    db: readDb,
    path,
    write<T>(fn: (tx: Db) => Promise<T>, options?: WriteOptions): Promise<T> {
      const run = tail.then(async () => {
        if (closed) throw new Error('database is closed');
        writer.exec('BEGIN IMMEDIATE');
        try {
          const result = await fn(writeDb);
          writer.exec('COMMIT');
          commits++;
          snapshot.end(); // read-your-writes: the next read starts a snapshot that includes this commit
          return result;
        } catch (error) {
          if (writer.inTransaction) writer.exec('ROLLBACK');
          throw error;
        }
      });
      // The next write may begin while this one's fsync is under way (pipelined group commit).
      tail = run.catch(() => undefined);
      if (options?.durable !== true) return run;
      return run.then(async (result) => {
        await synced();
        return result;
      });
    },
    prepareRead<Row>(source: string): ReadStatement<Row> {
      return new SnapshotStatement(reader.prepare(source), snapshot.begin) as unknown as ReadStatement<Row>;
    },
    prepareCommittedRead<Row>(source: string): ReadStatement<Row> {
      const onWriter = writer.prepare(source);
      if (!onWriter.reader) throw new TypeError('prepareCommittedRead takes a query');
      const inSnapshot = new SnapshotStatement(reader.prepare(source), snapshot.begin);
      return {
        get: (...params: unknown[]) => (writer.inTransaction ? inSnapshot.get(...params) : onWriter.get(...params)) as Row | undefined,
        all: (...params: unknown[]) => (writer.inTransaction ? inSnapshot.all(...params) : onWriter.all(...params)) as Row[],
      };
    },
    flushed: synced,
    async ping() {
      reader.prepare('select 1').get();
    },
    async close() {
      if (closed) return;
      await tail;
      closed = true;
      await wal.drain(); // the last durable writes' fsyncs may still be under way
      wal.close();
      await checkpoints.close();
      snapshot.end();
      reader.close();
      writer.close();
    },
  };
}

/**
 * A durable write committed but its fsync failed (an I/O error): whether it survives a power cut is unknown, so
 * it must not be acknowledged as done — nor as not done.
 */
export class DurabilityError extends Error {
  constructor(cause: unknown) {
    super('The write committed but could not be flushed to disk', { cause });
    this.name = 'DurabilityError';
  }
}

let sharedCheckpointer: Checkpointer | undefined;

/** The process's checkpointer thread (./checkpoint-worker.ts), started on first use; it never keeps the process alive. */
function checkpointer(): Checkpointer {
  return (sharedCheckpointer ??= new Checkpointer());
}

class Checkpointer {
  readonly #worker: Worker;
  readonly #waiting = new Map<number, () => void>();
  #ids = 0;

  constructor() {
    this.#worker = new Worker(new URL('./checkpoint-worker.ts', import.meta.url));
    this.#worker.on('message', (message: { type: 'closed'; id: number } | { type: 'error'; path: string; message: string }) => {
      if (message.type === 'closed') {
        this.#waiting.get(message.id)?.();
        this.#waiting.delete(message.id);
      } else {
        process.emitWarning(`checkpoint of ${message.path} failed: ${message.message}`, 'AtriumDatabaseWarning');
      }
    });
    this.#worker.on('error', (error) => {
      process.emitWarning(`the checkpointer thread failed: ${(error as Error).message}`, 'AtriumDatabaseWarning');
      for (const done of this.#waiting.values()) done();
      this.#waiting.clear();
      if (sharedCheckpointer === this) sharedCheckpointer = undefined;
    });
    // After the listeners: adding a 'message' listener refs the worker again.
    this.#worker.unref();
  }

  /** Checkpoints `path` every second until the returned handle is closed (which waits for its connection to close). */
  watch(path: string): { close(): Promise<void> } {
    this.#worker.postMessage({ type: 'open', path, everyMs: CHECKPOINT_EVERY_MS });
    let closing: Promise<void> | undefined;
    return {
      close: () =>
        (closing ??= new Promise<void>((resolvePromise) => {
          const id = ++this.#ids;
          this.#waiting.set(id, resolvePromise);
          this.#worker.ref(); // keep the process alive until the thread answers
          this.#worker.postMessage({ type: 'close', path, id });
        }).finally(() => {
          if (this.#waiting.size === 0) this.#worker.unref();
        })),
    };
  }
}

/** Fsyncs of the log that may run at once (see {@link createWalSync}). */
const MAX_FSYNCS_IN_FLIGHT = 2;

/**
 * Fsyncs of the write-ahead log on libuv's thread pool. `sync()` resolves once an fsync that began after the call
 * has finished, so everything committed before the call is on disk. A call starts its own fsync at once while
 * fewer than two are in flight: when the disk is slow (fsyncs of 20–40 ms were measured on this VM under load), a
 * commit then waits for one fsync instead of the end of the one under way plus its own, which would start only
 * once the event loop had handled the first one's completion. Calls beyond that share the next fsync.
 */
function createWalSync(walPath: string): { sync(): Promise<void>; drain(): Promise<void>; close(): void } {
  let fd: number | undefined;
  let inFlight = 0;
  let waiting: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  let idle: (() => void) | undefined;
  const start = (): void => {
    const batch = waiting;
    waiting = [];
    inFlight++;
    // The log exists from the first write in WAL mode (migrations write), and is never deleted while the
    // connections are open (checkpoints reuse it from the start).
    fd ??= openSync(walPath, 'r+');
    fsync(fd, (error) => {
      inFlight--;
      for (const caller of batch) {
        if (error) caller.reject(error);
        else caller.resolve();
      }
      if (waiting.length > 0) start();
      else if (inFlight === 0) idle?.();
    });
  };
  return {
    sync() {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject });
        if (inFlight < MAX_FSYNCS_IN_FLIGHT) start();
      });
    },
    /** Resolves when no fsync is in flight (before `close`). */
    async drain() {
      while (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      idle = undefined;
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

/**
 * SQLite 3.54 (better-sqlite3 13) marks a statement that joins tables as expired whenever a bare `?` in it is
 * bound again — the planner looked at the bound value — so every execution of a prepared join parsed and
 * planned its SQL anew: ~8 µs a call in memory, ~25 µs on the ledger's transfer lookup under load, against
 * ~0.6 µs for the same join written with `+?` (a no-op on the value: same result, no affinity either way, the
 * same index use) or for a query on one table (measured). This makes every statement the connection prepares
 * with a join use `+?`. See {@link keepPlanParams}.
 */
function keepJoinPlans(connection: Sqlite.Database): Sqlite.Database {
  const prepare = connection.prepare.bind(connection);
  connection.prepare = ((source: string) => prepare(JOIN.test(source) ? keepPlanParams(source) : source)) as typeof connection.prepare;
  return connection;
}

const JOIN = /\bjoin\b/i;
/** Quoted text and comments (kept as they are), or a bare `?` (a doubled quote inside is two adjacent runs). */
const QUOTED_OR_PARAM = /'[^']*'|"[^"]*"|`[^`]*`|--[^\n]*|\/\*[\s\S]*?\*\/|(?<!\+)\?/g;

/**
 * `source` with every bare `?` or `?NNN` parameter (outside quotes and comments) written `+?`, `+?NNN`.
 * @example keepPlanParams("select a.id from a join b on b.a = a.id where a.k = ? and b.s = '?'"); // "… where a.k = +? and b.s = '?'"
 */
export function keepPlanParams(source: string): string {
  return source.replace(QUOTED_OR_PARAM, (match) => (match === '?' ? '+?' : match));
}

/** A read statement that first makes sure the turn's snapshot is open; the methods drizzle uses. */
class SnapshotStatement {
  readonly #statement: Sqlite.Statement;
  readonly #begin: () => void;
  #raw = false;

  constructor(statement: Sqlite.Statement, begin: () => void) {
    this.#statement = statement;
    this.#begin = begin;
  }

  get source(): string {
    return this.#statement.source;
  }

  raw(toggle = true): this {
    // drizzle calls raw() before every read; switching mode is a native call, so only when it changes
    if (toggle !== this.#raw) {
      this.#statement.raw(toggle);
      this.#raw = toggle;
    }
    return this;
  }

  get(...params: unknown[]): unknown {
    this.#begin();
    return this.#statement.get(...params);
  }

  all(...params: unknown[]): unknown[] {
    this.#begin();
    return this.#statement.all(...params);
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    this.#begin();
    return this.#statement.iterate(...params);
  }

  run(...params: unknown[]): Sqlite.RunResult {
    return this.#statement.run(...params); // fails: the read connection is read-only
  }
}

/**
 * Reads share one read transaction per turn of the event loop instead of one per statement: SQLite's
 * per-statement locking is most of a point lookup's cost under load. The snapshot ends at the next
 * `setImmediate` and after every local commit, so reads never see data older than the current turn.
 */
function createSnapshotScope(reader: Sqlite.Database): { client: Sqlite.Database; begin(): void; end(): void } {
  let open = false;
  const end = (): void => {
    if (open) {
      open = false;
      if (reader.inTransaction) reader.exec('COMMIT');
    }
  };
  const begin = (): void => {
    if (open) return;
    reader.exec('BEGIN');
    open = true;
    setImmediate(end);
  };
  const client = new Proxy(reader, {
    get(target, key) {
      if (key === 'prepare') return (source: string) => new SnapshotStatement(target.prepare(source), begin);
      const value = Reflect.get(target, key, target) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { client, begin, end };
}

/** A database in a fresh temporary folder, removed on dispose. For tests: `await using database = tempDatabase()`. */
export function tempDatabase(): Database & AsyncDisposable {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-db-'));
  const database = openDatabase(join(dir, 'atrium.db'));
  return Object.assign(database, {
    async [Symbol.asyncDispose]() {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
