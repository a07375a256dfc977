/**
 * @module Payments benchmark (issue 6): durable transfers per second three ways, in the same run.
 *
 *   node tests/bench/payments.ts [--json] [--duration 10] [--connections 64] [--payers 100] [--skip-http] [--skip-postgres] [--skip-ledger] [--skip-floor]
 *
 * 1. HTTP: P2P transfers `POST /v1/wallet/transfers` against the host in its own process (production settings,
 *    as `npm start`): many payers, each authenticated, each request with its own Idempotency-Key and the PIN,
 *    driven by autocannon. Every 201 is a committed, fsynced transfer.
 * 2. Ledger in-process: `Ledger.submit` transfers/s with many operations in flight (group commit, a savepoint
 *    each, `synchronous = FULL`), plus the same with 1 and 100 in flight to show what batching buys.
 * 3. Peer: the same transfer on PostgreSQL 15 on this machine with pgbench (16 clients; two conditional
 *    balance updates and an insert per transaction; `fsync` and `synchronous_commit` on, the defaults).
 *    Reported as skipped when PostgreSQL is not installed.
 * 4. Floor: the HTTP load against the same durable transfer with no framework (`servers/payments-floor.ts`:
 *    node:http, a token map, the idempotency row, debit, credit and transfer row, the same group commit and fsync),
 *    to tell the transfer's own cost from the stack's. Not a target; `--skip-floor` leaves it out.
 *
 * With BENCH_WINDOW_PROF=<dir> the host writes a CPU profile of the measured HTTP run only (tests/bench/servers/atrium.ts).
 * With `--json` the last line is `{"http_tps", "http_p99_ms", "ledger_tps", "postgres_tps", ...}`.
 * Targets: http_tps ≥ 12,000 with http_p99_ms ≤ 20; ledger_tps ≥ 100,000 and ≥ 5 × postgres_tps.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { systemClock } from '../../host/src/core/clock.ts';
import { systemRandom } from '../../host/src/core/random.ts';
import { openDatabase } from '../../host/src/db/database.ts';
import { checkInvariants } from '../../host/src/wallet/invariants.ts';
import { Ledger, type AccountRef } from '../../host/src/wallet/ledger.ts';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    payers: { type: 'string', default: '100' },
    'skip-http': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    'skip-ledger': { type: 'boolean', default: false },
    'skip-floor': { type: 'boolean', default: false },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const payerCount = Number(values.payers);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const PG_BIN = '/usr/lib/postgresql/15/bin';

// ---------------------------------------------------------------------------------------------------------------
// 2. Ledger in-process

interface LedgerFigures {
  tps: number;
  inFlight: number;
  avgBatch: number;
}

async function benchLedger(inFlight: number, seconds: number): Promise<LedgerFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'atrium-ledger-bench-'));
  const database = openDatabase(join(dir, 'atrium.db'));
  try {
    const ledger = new Ledger({ database, clock: systemClock, random: systemRandom });
    const ACCOUNTS = 10_000;
    const world: AccountRef = { kind: 'system', owner: 'world' };
    const people = Array.from({ length: ACCOUNTS }, (_, i): AccountRef => ({ kind: 'person', owner: `u${i}` }));
    await Promise.all(people.map((credit) => ledger.submit({ type: 'single', debit: world, credit, amount: 1_000_000_000, currency: 'CNY', code: 'topup' })));
    const before = ledger.stats;
    let done = 0;
    let running = true;
    let seed = 1;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const worker = async (): Promise<void> => {
      while (running) {
        const a = rnd(ACCOUNTS);
        const b = (a + 1 + rnd(ACCOUNTS - 1)) % ACCOUNTS;
        await ledger.submit({ type: 'single', debit: people[a]!, credit: people[b]!, amount: 1 + rnd(100), currency: 'CNY', code: 'p2p' });
        done++;
      }
    };
    const started = performance.now();
    const workers = Array.from({ length: inFlight }, worker);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    running = false;
    const elapsed = (performance.now() - started) / 1000;
    const counted = done;
    await Promise.all(workers);
    const after = ledger.stats;
    const report = checkInvariants(database.db, Date.now());
    if (!report.ok) throw new Error(`ledger invariants broken: ${JSON.stringify(report.violations)}`);
    const figures = { tps: Math.round(counted / elapsed), inFlight, avgBatch: Math.round((after.operations - before.operations) / Math.max(1, after.batches - before.batches)) };
    log(`ledger     ${String(figures.tps).padStart(7)} transfers/s   ${String(inFlight).padStart(5)} in flight   avg batch ${figures.avgBatch}   (invariants ok over ${report.transfers} transfers)`);
    return figures;
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 3. PostgreSQL peer

const PG_SETUP = `
CREATE TABLE accounts (id integer PRIMARY KEY, balance bigint NOT NULL CHECK (balance >= 0));
CREATE TABLE transfers (id bigserial PRIMARY KEY, debit integer NOT NULL, credit integer NOT NULL, amount bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO accounts SELECT g, 1000000000 FROM generate_series(1, 10000) g;
`;
// The same transfer: the debit only if the balance covers it, the credit only if the debit happened, and the
// transfer row only if both did — one transaction.
const PG_SCRIPT = `\\set a random(1, 10000)
\\set b random(1, 10000)
\\set amt random(1, 100)
BEGIN;
WITH d AS (UPDATE accounts SET balance = balance - :amt WHERE id = :a AND balance >= :amt AND :a <> :b RETURNING id),
     c AS (UPDATE accounts SET balance = balance + :amt WHERE id = :b AND EXISTS (SELECT 1 FROM d) RETURNING id)
INSERT INTO transfers (debit, credit, amount) SELECT :a, :b, :amt FROM c;
END;
`;

function benchPostgres(seconds: number): { tps: number | null; note: string } {
  if (!existsSync(join(PG_BIN, 'postgres')) || !existsSync(join(PG_BIN, 'pgbench'))) return { tps: null, note: 'skipped: PostgreSQL 15 is not installed' };
  const dir = mkdtempSync(join(tmpdir(), 'atrium-pg-bench-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asPostgres = (cmd: string, args: string[], opts: { input?: string } = {}): string => {
    const root = process.getuid?.() === 0;
    const file = root ? 'runuser' : join(PG_BIN, cmd);
    const argv = root ? ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args] : args;
    return execFileSync(file, argv, { encoding: 'utf8', input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] });
  };
  const port = String(55_000 + Math.floor(Math.random() * 5_000));
  let server: ReturnType<typeof spawn> | undefined;
  try {
    asPostgres('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
    const root = process.getuid?.() === 0;
    const args = ['-D', data, '-k', dir, '-p', port, '-c', 'listen_addresses=', '-c', 'max_connections=50'];
    server = root ? spawn('runuser', ['-u', 'postgres', '--', join(PG_BIN, 'postgres'), ...args], { stdio: 'ignore' }) : spawn(join(PG_BIN, 'postgres'), args, { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (spawnSync(join(PG_BIN, 'pg_isready'), ['-h', dir, '-p', port]).status !== 0) {
      if (Date.now() > deadline) throw new Error('postgres did not start');
      execFileSync('sleep', ['0.2']);
    }
    const psql = (sql: string): string => asPostgres('psql', ['-h', dir, '-p', port, '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);
    psql(PG_SETUP);
    const settings = psql('SHOW fsync; SHOW synchronous_commit;');
    const script = join(dir, 'transfer.sql');
    writeFileSync(script, PG_SCRIPT);
    chmodSync(script, 0o644);
    const out = asPostgres('pgbench', ['-h', dir, '-p', port, '-U', 'postgres', '-n', '-M', 'prepared', '-c', '16', '-j', '2', '-T', String(seconds), '-f', script, 'postgres']);
    const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1]);
    const moved = psql('SELECT count(*) FROM transfers; SELECT sum(balance) FROM accounts;').replace(/\s+/g, ' ');
    log(`postgres   ${String(Math.round(tps)).padStart(7)} transfers/s   16 clients (pgbench, fsync and synchronous_commit on; ${settings.replace(/\s+/g, ' ').trim()}; ${moved.trim()})`);
    return { tps: Math.round(tps), note: 'pgbench -c 16 -j 2 -M prepared, PostgreSQL 15, defaults (fsync on, synchronous_commit on)' };
  } catch (error) {
    log(`postgres   failed: ${(error as Error).message}`);
    return { tps: null, note: `failed: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGINT');
      spawnSync('sleep', ['1']);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 1. HTTP

interface HttpFigures {
  tps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  cpuUsPerTransfer: number;
}

/** A server under load in its own process: prints `{"port"}` once listening and `{"cpuUs"}` on SIGUSR2. */
interface BenchServer {
  url: string;
  /** CPU (user + system, µs) the server spent since the last call. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

async function startServer(name: string, args: string[]): Promise<BenchServer> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, number>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`the ${name} exited`);
    return JSON.parse(value) as Record<string, number>;
  };
  const stop = async (): Promise<void> => {
    child.kill('SIGTERM');
    if (child.exitCode === null) await once(child, 'exit');
  };
  try {
    const { port } = await next();
    return {
      url: `http://127.0.0.1:${port}`,
      cpu: async () => {
        child.kill('SIGUSR2');
        const used = await next();
        if (process.env.BENCH_WINDOW_PROF && used.userUs !== undefined) log(`${name} CPU since last ask: user ${used.userUs} µs, system ${used.systemUs} µs`);
        return used.cpuUs ?? 0;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** One payer's request: its `Authorization` header and the transfer's JSON body. */
interface PayerRequest {
  token: string;
  body: string;
}

/**
 * Drives `POST /v1/wallet/transfers` on `server` with autocannon, the payers in turn, each request with a new
 * Idempotency-Key: 3 s of warm-up, then `duration` measured with the server's CPU. Fails on any non-2xx.
 */
async function measureTransfers(server: BenchServer, requests: PayerRequest[], label: string, cpuLabel: string, note: string): Promise<HttpFigures> {
  let counter = 0;
  const run = (seconds: number, tag: string) =>
    autocannon({
      url: server.url,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/v1/wallet/transfers',
          setupRequest: (req: any) => {
            const n = counter++;
            const payer = requests[n % requests.length]!;
            req.headers = { 'content-type': 'application/json', authorization: payer.token, 'idempotency-key': `${label}-${tag}-${n}` };
            req.body = payer.body;
            return req;
          },
        },
      ],
    });
  await run(3, 'warmup');
  await server.cpu();
  const result = await run(duration, 'measured');
  const cpuUs = await server.cpu();
  const figures = {
    tps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuUsPerTransfer: Math.round((cpuUs / Math.max(1, result.requests.total)) * 10) / 10,
  };
  log(`${label.padEnd(10)} ${String(figures.tps).padStart(7)} transfers/s   p50 ${figures.p50} ms   p99 ${figures.p99} ms   ${cpuLabel} ${figures.cpuUsPerTransfer} µs/transfer   non-2xx ${figures.non2xx}   errors ${figures.errors}   (${note})`);
  if (figures.non2xx > 0 || figures.errors > 0) throw new Error(`${label}: ${figures.non2xx} non-2xx responses and ${figures.errors} errors`);
  return figures;
}

const PIN = '480915';

async function benchHttp(): Promise<HttpFigures> {
  const profile = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const host = await startServer('host', ['--no-node-snapshot', ...profile, new URL('./servers/atrium.ts', import.meta.url).pathname, '--open-signup']);
  try {
    const call = async (method: string, path: string, token: string | undefined, json: unknown, headers: Record<string, string> = {}): Promise<any> => {
      const res = await fetch(`${host.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      const text = await res.text();
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    log(`http       setting up ${payerCount} payers (sign-up, PIN, top-up, contacts; production argon2 cost)...`);
    const payers: { id: string; token: string; handle: string }[] = [];
    for (let i = 0; i < payerCount; i++) {
      const handle = `payer${i}`;
      const res = await call('POST', '/v1/auth/signup', undefined, { handle, displayName: handle, password: 'benchmark password' });
      payers.push({ id: res.user.id, token: res.accessToken, handle });
    }
    const card = { number: '4242424242424242', expMonth: 12, expYear: 2099, cvc: '123' };
    await Promise.all(
      payers.map(async (p, i) => {
        await call('PUT', '/v1/wallet/pin', p.token, { pin: PIN });
        await call('POST', '/v1/wallet/topups', p.token, { amount: 1_000_000_000, currency: 'CNY', card }, { 'idempotency-key': `bench-topup-${i}` });
      }),
    );
    // A ring: each payer pays the next, so each needs them as a contact.
    for (let i = 0; i < payerCount; i++) {
      const next = payers[(i + 1) % payerCount]!;
      const req = await call('POST', '/v1/contacts/requests', payers[i]!.token, { handle: next.handle });
      if (req.id) await call('POST', `/v1/contacts/requests/${req.id}/accept`, next.token, undefined);
    }
    const requests = payers.map((p, i) => ({ token: `Bearer ${p.token}`, body: JSON.stringify({ to: payers[(i + 1) % payerCount]!.id, amount: 1, currency: 'CNY', note: 'bench', pin: PIN }) }));
    // The first payment of each payer verifies the PIN with argon2; later ones hit the verified-PIN cache.
    await Promise.all(payers.map((p, i) => call('POST', '/v1/wallet/transfers', p.token, JSON.parse(requests[i]!.body), { 'idempotency-key': `bench-warm-${i}` })));
    return await measureTransfers(host, requests, 'http', 'host CPU', `${connections} connections, ${payerCount} payers`);
  } finally {
    await host.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. The floor: the same durable transfer over HTTP with no framework (tests/bench/servers/payments-floor.ts)

async function benchFloor(): Promise<HttpFigures> {
  const floor = await startServer('floor server', [new URL('./servers/payments-floor.ts', import.meta.url).pathname, String(payerCount)]);
  try {
    // The host's request, give or take the ids' length: the same fields, the PIN included (the floor ignores it).
    const requests = Array.from({ length: payerCount }, (_, i) => ({ token: `Bearer floor-${i}`, body: JSON.stringify({ to: (i + 1) % payerCount, amount: 1, currency: 'CNY', note: 'bench', pin: PIN }) }));
    return await measureTransfers(floor, requests, 'floor', 'CPU', 'no framework: node:http + the same durable transfer');
  } finally {
    await floor.stop();
  }
}

// ---------------------------------------------------------------------------------------------------------------

log(`payments benchmark: node ${process.version}, ${duration} s per measurement`);
const skipLedger = values['skip-ledger'];
const noLedger: LedgerFigures = { tps: 0, inFlight: 0, avgBatch: 0 };
const ledgerSerial = skipLedger ? noLedger : await benchLedger(1, Math.min(duration, 5));
const ledger100 = skipLedger ? noLedger : await benchLedger(100, Math.min(duration, 5));
const ledger = skipLedger ? noLedger : await benchLedger(4096, duration);
const postgres = values['skip-postgres'] ? { tps: null, note: 'skipped (--skip-postgres)' } : benchPostgres(duration);
const http = values['skip-http'] ? null : await benchHttp();
const floor = values['skip-http'] || values['skip-floor'] ? null : await benchFloor();

const figures = {
  http_tps: http?.tps ?? null,
  http_p99_ms: http?.p99 ?? null,
  ledger_tps: ledger.tps,
  postgres_tps: postgres.tps,
  http_p50_ms: http?.p50 ?? null,
  http_cpu_us_per_transfer: http?.cpuUsPerTransfer ?? null,
  ledger_tps_in_flight_1: ledgerSerial.tps,
  ledger_tps_in_flight_100: ledger100.tps,
  ledger_avg_batch: ledger.avgBatch,
  ledger_to_postgres: postgres.tps ? Math.round((ledger.tps / postgres.tps) * 100) / 100 : null,
  floor_tps: floor?.tps ?? null,
  floor_p99_ms: floor?.p99 ?? null,
  floor_cpu_us_per_transfer: floor?.cpuUsPerTransfer ?? null,
  postgres_note: postgres.note,
  targets: {
    http: http ? http.tps >= 12_000 && http.p99 <= 20 : null,
    ledger: ledger.tps >= 100_000 && (postgres.tps === null || ledger.tps >= 5 * postgres.tps),
  },
  connections,
  payers: payerCount,
  duration_s: duration,
};
log(`targets: http_tps ≥ 12,000 with p99 ≤ 20 ms: ${figures.targets.http ? 'met' : 'NOT met'}; ledger_tps ≥ 100,000 and ≥ 5 × postgres_tps: ${figures.targets.ledger ? 'met' : 'NOT met'}`);
if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
