/**
 * @module The floor for the payments benchmark's HTTP figure: the same durable P2P transfer with no framework,
 * to show how much of the host's cost per transfer is the transfer and how much is the stack around it.
 *
 * `node:http`; a token → payer map instead of JWTs and devices; the JSON body parsed and checked by hand; the
 * `Idempotency-Key` looked up and stored with the response (its primary key and expiry index, as the host's
 * table has); the conditional debit, the credit and the transfer row; group commit of everything queued in one
 * turn (`setImmediate`) at `synchronous = NORMAL`, the write-ahead log fsynced on the thread pool before any of
 * the batch is answered (the host's durability), a passive checkpoint every second. No PIN, no contacts, no
 * history chain or outbox, no savepoints. Not a product: a measuring stick.
 *
 * Prints `{"port": N}` once listening and `{"cpuUs": N}` on SIGUSR2 (CPU since the last ask). Payer i has token
 * `floor-i` and account i; accounts 0…payers−1 start with 10^12.
 */
import { fsync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';

const payers = Number(process.argv[2] ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'atrium-floor-'));
const path = join(dir, 'floor.db');
const db = new Sqlite(path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.pragma('cache_size = -65536');
db.exec(`
  CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL);
  CREATE TABLE transfers (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, debit INTEGER NOT NULL, credit INTEGER NOT NULL, amount INTEGER NOT NULL, created_at INTEGER NOT NULL);
  CREATE TABLE idempotency (scope TEXT NOT NULL, key TEXT NOT NULL, body TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (scope, key));
  CREATE INDEX idempotency_expiry ON idempotency (expires_at);
`);
const tokens = new Map<string, number>();
const insertAccount = db.prepare('INSERT INTO accounts (id, balance) VALUES (?, ?)');
for (let i = 0; i < payers; i++) {
  insertAccount.run(i, 1e12);
  tokens.set(`Bearer floor-${i}`, i);
}
const debit = db.prepare('UPDATE accounts SET balance = balance - ? WHERE id = ? AND balance >= ?');
const credit = db.prepare('UPDATE accounts SET balance = balance + ? WHERE id = ?');
const insertTransfer = db.prepare('INSERT INTO transfers (id, debit, credit, amount, created_at) VALUES (?, ?, ?, ?, ?)');
const storedResponse = db.prepare('SELECT body FROM idempotency WHERE scope = ? AND key = ?').pluck();
const storeResponse = db.prepare('INSERT INTO idempotency (scope, key, body, expires_at) VALUES (?, ?, ?, ?)');
// The log exists once the schema is written (WAL mode) and checkpoints reuse it from the start.
const wal = openSync(`${path}-wal`, 'r+');

interface Queued {
  from: number;
  to: number;
  amount: number;
  key: string;
  res: ServerResponse;
  status: number;
  body: string;
}
let queue: Queued[] = [];
let scheduled = false;
let counter = 0;

function commit(): void {
  scheduled = false;
  const batch = queue;
  queue = [];
  const now = Date.now();
  db.exec('BEGIN IMMEDIATE');
  for (const q of batch) {
    const prior = storedResponse.get(String(q.from), q.key) as string | undefined;
    if (prior !== undefined) {
      q.body = prior;
      continue;
    }
    if (debit.run(q.amount, q.from, q.amount).changes !== 1) {
      q.status = 402;
      q.body = '{"code":"WALLET_INSUFFICIENT_FUNDS"}';
    } else {
      credit.run(q.amount, q.to);
      const id = `tr_${now.toString(36)}${(counter++).toString(36).padStart(8, '0')}`;
      insertTransfer.run(id, q.from, q.to, q.amount, now);
      q.body = JSON.stringify({ id, from: q.from, to: q.to, amount: q.amount, currency: 'CNY', createdAt: now });
    }
    storeResponse.run(String(q.from), q.key, q.body, now + 86_400_000);
  }
  db.exec('COMMIT');
  fsync(wal, (error) => {
    for (const q of batch) {
      q.res.writeHead(error ? 500 : q.status, { 'content-type': 'application/json' });
      q.res.end(error ? '{"code":"UNAVAILABLE"}' : q.body);
    }
  });
}

const fail = (res: ServerResponse, status: number): void => void res.writeHead(status).end();
const server = createServer((req, res) => {
  const from = tokens.get(req.headers.authorization ?? '');
  if (from === undefined) return fail(res, 401);
  const key = req.headers['idempotency-key'];
  let text = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => {
    text += chunk;
  });
  req.on('end', () => {
    let body: { to?: unknown; amount?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      return fail(res, 400);
    }
    const { to, amount } = body;
    if (typeof key !== 'string' || typeof to !== 'number' || !Number.isInteger(to) || to < 0 || to >= payers || to === from || typeof amount !== 'number' || !Number.isInteger(amount) || amount < 1) return fail(res, 422);
    queue.push({ from, to, amount, key, res, status: 201, body: '' });
    if (!scheduled) {
      scheduled = true;
      setImmediate(commit);
    }
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`));
setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), 1000).unref();

let mark = process.cpuUsage();
process.on('SIGUSR2', () => {
  const used = process.cpuUsage(mark);
  mark = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuUs: used.user + used.system })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
});
