/**
 * Crash: the host runs as a child process, people pay each other over HTTP, and the process is killed with
 * SIGKILL in the middle of the load. After a restart on the same database every acknowledged payment is there,
 * retrying every request (same Idempotency-Key) never moves money twice, and the ledger invariants hold.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const MAIN = new URL('../../../host/src/main.ts', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  url: string;
}

async function start(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_DATA_DIR: dataDir, ATRIUM_LOG: 'warn', ATRIUM_PUBLIC_URL: '', ATRIUM_MINIAPPS_DIR: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  while (!/Atrium is running at (\S+)/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: /Atrium is running at (\S+)/.exec(output)![1]! };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit'); // listen before the signal
  child.kill('SIGKILL');
  await exited;
}

interface Person {
  handle: string;
  userId: string;
  token: string;
}

const PIN = '480915';

describe('wallet: crash (kill -9 under payment load)', () => {
  it('keeps every acknowledged payment, doubles nothing on retry, and the invariants hold after restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atrium-crash-'));
    let host = await start(dataDir);
    try {
      const call = async (method: string, path: string, token?: string, json?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any; text: string; replayed: string | null }> => {
        const res = await fetch(`${host.url}${path}`, {
          method,
          headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
          body: json === undefined ? undefined : JSON.stringify(json),
        });
        const text = await res.text();
        return { status: res.status, text, body: text && /json/.test(res.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined, replayed: res.headers.get('idempotent-replayed') };
      };
      const signUp = async (handle: string): Promise<Person> => {
        const res = await call('POST', '/v1/auth/signup', undefined, { handle, displayName: handle, password: 'correct horse battery' });
        assert.equal(res.status, 201, res.text);
        return { handle, userId: res.body.user.id, token: res.body.accessToken };
      };
      const hub = await signUp('hub');
      const payers: Person[] = [];
      for (let i = 0; i < 6; i++) payers.push(await signUp(`payer${i}`));
      const everyone = [hub, ...payers];
      for (const p of payers) {
        const req = await call('POST', '/v1/contacts/requests', p.token, { handle: 'hub' });
        assert.equal(req.status, 201, req.text);
        assert.equal((await call('POST', `/v1/contacts/requests/${req.body.id}/accept`, hub.token)).status, 200);
      }
      for (const p of everyone) {
        assert.equal((await call('PUT', '/v1/wallet/pin', p.token, { pin: PIN })).status, 204);
        const top = await call('POST', '/v1/wallet/topups', p.token, { amount: 100_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }, { 'idempotency-key': `topup-${p.handle}` });
        assert.equal(top.status, 201, top.text);
      }

      // Load: 24 requests in flight at all times; payers pay the hub and the hub pays payers back.
      type Attempt = { key: string; from: Person; json: Record<string, unknown>; acked?: { id: string; text: string } };
      const attempts: Attempt[] = [];
      let killed = false;
      let failedInFlight = 0;
      let n = 0;
      const worker = async (): Promise<void> => {
        while (!killed) {
          const i = n++;
          const from = i % 7 === 0 ? hub : payers[i % payers.length]!;
          const to = from === hub ? payers[i % payers.length]! : hub;
          const attempt: Attempt = { key: `crash-${i}`, from, json: { to: to.userId, amount: 1 + (i % 97), currency: 'CNY', note: `n${i}`, pin: PIN } };
          attempts.push(attempt);
          try {
            const res = await call('POST', '/v1/wallet/transfers', from.token, attempt.json, { 'idempotency-key': attempt.key });
            assert.equal(res.status, 201, res.text);
            attempt.acked = { id: res.body.id, text: res.text };
          } catch (error) {
            if (!killed) throw error;
            failedInFlight++;
          }
        }
      };
      const workers = Array.from({ length: 24 }, worker);
      while (attempts.filter((a) => a.acked).length < 300) await new Promise((r) => setTimeout(r, 5));
      killed = true;
      await kill(host.child);
      await Promise.all(workers);
      const acked = attempts.filter((a) => a.acked);
      assert.ok(acked.length >= 300);

      host = await start(dataDir, { ATRIUM_ADMIN_USER_IDS: hub.userId });
      // Tokens name the old address (the port changed): sign everyone in again.
      for (const p of everyone) {
        const res = await call('POST', '/v1/auth/signin', undefined, { handle: p.handle, password: 'correct horse battery' });
        assert.equal(res.status, 200, res.text);
        p.token = res.body.accessToken;
      }
      // Every acknowledged payment survived, exactly as acknowledged.
      for (const a of acked) {
        const res = await call('GET', `/v1/wallet/transactions/${a.acked!.id}`, a.from.token);
        assert.equal(res.status, 200, `acknowledged ${a.key} lost: ${res.text}`);
        assert.equal(res.body.amount, a.json.amount);
      }
      // Retrying every request: acknowledged ones replay their first answer; the others run at most once.
      const finalIds = new Set<string>();
      for (const a of attempts) {
        const res = await call('POST', '/v1/wallet/transfers', a.from.token, a.json, { 'idempotency-key': a.key });
        assert.equal(res.status, 201, res.text);
        if (a.acked) {
          assert.equal(res.text, a.acked.text);
          assert.equal(res.replayed, 'true');
        }
        finalIds.add(res.body.id);
      }
      assert.equal(finalIds.size, attempts.length, 'one transfer per key');
      // Nothing doubled: the bills hold exactly one p2p transfer per key, and the money adds up.
      let sentTotal = 0;
      let p2pCount = 0;
      for (const p of everyone) {
        const out = await call('GET', '/v1/wallet/transactions/export?format=json&kind=p2p&direction=out', p.token);
        p2pCount += out.body.transactions.length;
        sentTotal += out.body.transactions.reduce((s: number, t: { amount: number }) => s + t.amount, 0);
      }
      assert.equal(p2pCount, attempts.length);
      assert.equal(sentTotal, attempts.reduce((s, a) => s + (a.json.amount as number), 0));
      const report = await call('GET', '/v1/admin/wallet/invariants', hub.token);
      assert.equal(report.status, 200, report.text);
      assert.equal(report.body.ok, true, JSON.stringify(report.body.violations));
      let total = 0;
      for (const p of everyone) total += (await call('GET', '/v1/wallet', p.token)).body.balances.find((b: { currency: string }) => b.currency === 'CNY').balance;
      assert.equal(total, everyone.length * 100_000);
      console.log(`# crash: ${acked.length} acknowledged before kill -9, ${failedInFlight} in flight, ${attempts.length} keys retried`);
    } finally {
      await kill(host.child);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
