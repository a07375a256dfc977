/**
 * `npm start` as a new user meets it: a child process on a free port with a fresh data directory.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const MAIN = new URL('../../host/src/main.ts', import.meta.url).pathname;

interface Started extends AsyncDisposable {
  child: ChildProcess;
  url: string;
  output: () => string;
}

async function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ATRIUM_DATA_DIR: dataDir, ATRIUM_LOG: 'info', ATRIUM_PUBLIC_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 20_000;
  while (!/Atrium is running at (\S+)/.test(output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const url = /Atrium is running at (\S+)/.exec(output)![1]!;
  return {
    child,
    url,
    output: () => output,
    async [Symbol.asyncDispose]() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

describe('npm start', () => {
  it('starts on an empty data directory: migrates, seeds demo people, prints the URL, logs refusals as JSON with request ids', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atrium-main-'));
    try {
      await using host = await start(dataDir);
      assert.match(host.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.match(host.output(), /Demo people \(password "atrium-demo"\): @ada, @grace/);
      const signin = await fetch(`${host.url}/v1/auth/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'test-request-0001' },
        body: JSON.stringify({ handle: 'ada', password: 'atrium-demo' }),
      });
      assert.equal(signin.status, 200);
      assert.equal(signin.headers.get('x-request-id'), 'test-request-0001');
      const refused = await fetch(`${host.url}/v1/auth/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'test-request-0002' },
        body: JSON.stringify({ handle: 'ada', password: 'not-the-password' }),
      });
      assert.equal(refused.status, 401);
      assert.equal((await fetch(`${host.url}/readyz`)).status, 200);
      const home = await fetch(`${host.url}/`);
      assert.equal(home.status, 200);
      assert.match(home.headers.get('content-type') ?? '', /text\/html/);

      const exited = once(host.child, 'exit'); // listen before the signal: the exit may come at once
      host.child.kill('SIGTERM');
      await exited;
      const lines = host.output().split('\n').filter((l) => l.startsWith('{'));
      const request = lines.map((l) => JSON.parse(l)).find((l) => l.reqId === 'test-request-0002');
      assert.ok(request, 'the refused request was logged at info as JSON with its request id');
      assert.equal(request.status, 401);
      assert.equal(request.level, 30);
      assert.ok(!lines.join('\n').includes('atrium-demo') && !lines.join('\n').includes('not-the-password'), 'passwords are never logged');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps data across restarts and seeds only once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atrium-main-'));
    try {
      {
        await using first = await start(dataDir);
        const exited = once(first.child, 'exit');
        first.child.kill('SIGTERM');
        await exited;
      }
      await using second = await start(dataDir);
      assert.doesNotMatch(second.output(), /Demo people/);
      const signin = await fetch(`${second.url}/v1/auth/signin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ handle: 'grace', password: 'atrium-demo' }),
      });
      assert.equal(signin.status, 200);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shuts down gracefully on SIGTERM: a held long poll is answered, then the process exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'atrium-main-'));
    try {
      await using host = await start(dataDir);
      const ticket = (await (await fetch(`${host.url}/v1/auth/login-tickets`, { method: 'POST' })).json()) as { ticketId: string; secret: string };
      const waiting = fetch(`${host.url}/v1/auth/login-tickets/${ticket.ticketId}/wait`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ secret: ticket.secret }),
      });
      await new Promise((r) => setTimeout(r, 200));
      const started = Date.now();
      const exited = once(host.child, 'exit');
      host.child.kill('SIGTERM');
      const answered = await waiting;
      assert.equal(answered.status, 200);
      assert.equal(((await answered.json()) as { status: string }).status, 'pending');
      const [code] = await exited;
      assert.equal(code, 0);
      assert.ok(Date.now() - started < 5000, 'did not wait for the 25 s long-poll window');
      assert.match(host.output(), /"msg":"stopped"/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
