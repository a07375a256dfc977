/**
 * @module `atrium dev` as a child process on an init'd app: the host comes up with the app, a person launches it
 * over the socket, a save rebuilds and tells the live session to reload, the relaunch shows the new page, and a
 * broken save prints the located error (and reaches the running session) while the last good version stays.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { TEST_PASSWORD } from '../helpers/host.ts';
import { CLI, runCli, tempDir } from './run-cli.ts';

/** Messages of a socket, awaited by predicate. */
function inbox(ws: WebSocket): (match: (m: any) => boolean, what: string) => Promise<any> {
  const seen: any[] = [];
  const waiters: Array<{ match: (m: any) => boolean; resolve: (m: any) => void }> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    const i = waiters.findIndex((w) => w.match(m));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
    else seen.push(m);
  });
  return (match, what) => {
    const i = seen.findIndex(match);
    if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 20_000);
      waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  };
}

describe('atrium dev', () => {
  it('runs the app on a local host, rebuilds and reloads on save, and shows build errors located', async () => {
    await using dir = await tempDir();
    assert.equal((await runCli(['init', 'hello', '--app-id', 'com.example.hello', '--name', 'Hello'], { cwd: dir.path })).code, 0);
    const app = join(dir.path, 'hello');
    const child = spawn(process.execPath, ['--no-node-snapshot', CLI, 'dev', 'hello', '--json'], { cwd: dir.path, env: { ...process.env, ATRIUM_LOG: '', ATRIUM_CONFIG_DIR: join(dir.path, 'config') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const read = async (): Promise<any> => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`atrium dev exited: ${stderr}`);
      return JSON.parse(value);
    };
    // Checks run beside the builds: a `checked` line may come before or after the next build's line.
    const checks: any[] = [];
    const event = async (): Promise<any> => {
      for (;;) {
        const e = await read();
        if (e.event === 'checked') checks.push(e);
        else return e;
      }
    };
    const checked = async (versionCode: number): Promise<any> => {
      for (;;) {
        const found = checks.find((c) => c.versionCode === versionCode);
        if (found) return found;
        const e = await read();
        if (e.event !== 'checked') throw new Error(`expected a check, got ${JSON.stringify(e)}`);
        checks.push(e);
      }
    };
    try {
      const ready = await event();
      assert.equal(ready.event, 'ready');
      assert.equal(ready.appId, 'com.example.hello');
      assert.match(ready.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(ready.launchUrl, `${ready.url}/a/com.example.hello`);
      assert.ok(ready.people.includes('rita'), 'the demo people are there');

      const signup = await fetch(`${ready.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: 'pat', displayName: 'Pat', password: TEST_PASSWORD }) });
      assert.equal(signup.status, 201);
      const { accessToken } = (await signup.json()) as { accessToken: string };
      const ws = new WebSocket(`${ready.url.replace('http', 'ws')}/v1/ws`);
      const next = inbox(ws);
      await once(ws, 'open');
      ws.send(JSON.stringify({ t: 'auth', token: accessToken }));
      await next((m) => m.t === 'ready', 'ready');
      let id = 0;
      const launch = async (): Promise<{ session: string; view: string }> => {
        const launchId = ++id;
        ws.send(JSON.stringify({ t: 'app.launch', id: launchId, appId: 'com.example.hello' }));
        const ack = await next((m) => m.t === 'ack' && m.id === launchId, 'the launch ack');
        assert.equal(ack.ok, true, JSON.stringify(ack));
        const patch = await next((m) => m.t === 'app.patch' && m.session === ack.result.session, 'the first view');
        return { session: ack.result.session, view: JSON.stringify(patch) };
      };
      const first = await launch();
      assert.match(first.view, /Welcome to Hello/);

      const pageFile = join(app, 'src/pages/index.tsx');
      const page = await readFile(pageFile, 'utf8');
      await writeFile(pageFile, page.replace('Welcome to Hello', 'Welcome back to Hello'));
      const rebuilt = await event();
      assert.equal(rebuilt.event, 'rebuilt', JSON.stringify(rebuilt));
      assert.equal(rebuilt.versionCode, 2);
      assert.equal(rebuilt.reloaded, 1);
      const reload = await next((m) => m.t === 'app.reload', 'app.reload');
      assert.deepEqual(reload, { t: 'app.reload', session: first.session, appId: 'com.example.hello' });
      ws.send(JSON.stringify({ t: 'app.close', session: first.session }));
      const second = await launch();
      assert.match(second.view, /Welcome back to Hello/);
      const clean = await checked(2);
      assert.deepEqual([clean.ok, clean.typecheck, clean.problems], [true, 'passed', []], 'the template type-checks and lints clean');

      await writeFile(pageFile, page.replace('Welcome to Hello</text>', 'Welcome to Hello</txt>'));
      const failed = await event();
      assert.equal(failed.event, 'error', JSON.stringify(failed));
      assert.equal(failed.error.code, 'APP_BUILD_FAILED');
      assert.match(failed.error.details.join('\n'), /^src\/pages\/index\.tsx:\d+:\d+: /m);
      const shown = await next((m) => m.t === 'app.build_error', 'app.build_error');
      assert.equal(shown.session, second.session);
      assert.match(shown.lines.join('\n'), /src\/pages\/index\.tsx:\d+:\d+/);
      // The last good version keeps running for new launches.
      const third = await launch();
      assert.match(third.view, /Welcome back to Hello/);

      // A type error: esbuild builds it, so the sessions reload at once (as Vite does); the type check that
      // follows prints the located error and shows it in the shell, to running and newly launched sessions.
      await writeFile(pageFile, page.replace('Welcome to Hello', 'Welcome typed to Hello').replace('render(data) {', 'render(data) {\n    const wrong: number = "not a number";\n    void wrong;'));
      const typed = await event();
      assert.equal(typed.event, 'rebuilt', JSON.stringify(typed));
      await next((m) => m.t === 'app.reload' && m.session === third.session, 'app.reload after a type error');
      const verdict = await checked(typed.versionCode);
      assert.equal(verdict.ok, false);
      assert.equal(verdict.typecheck, 'failed');
      assert.equal(verdict.problems[0].code, 'TYPECHECK_FAILED');
      assert.match(verdict.problems[0].details.join('\n'), /^src\/pages\/index\.tsx:\d+:\d+: TS2322: /m);
      const typeShown = await next((m) => m.t === 'app.build_error' && m.session === third.session, 'the type error in the shell');
      assert.match(typeShown.lines.join('\n'), /TYPECHECK_FAILED[\s\S]*src\/pages\/index\.tsx:\d+:\d+: TS2322/);
      const fourth = await launch();
      assert.match(fourth.view, /Welcome typed to Hello/, 'the new version runs despite its type error');
      const stillShown = await next((m) => m.t === 'app.build_error' && m.session === fourth.session, 'the type error for a new launch');
      assert.match(stillShown.lines.join('\n'), /TS2322/);

      await writeFile(pageFile, page);
      const fixed = await event();
      assert.equal(fixed.event, 'rebuilt');
      assert.deepEqual(await checked(fixed.versionCode).then((c) => [c.ok, c.problems]), [true, []]);
      ws.close();
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      assert.equal(code, 0, stderr);
    }
  });

  it('refuses a folder without an app, and a bad port', async () => {
    await using dir = await tempDir();
    const none = await runCli(['dev'], { cwd: dir.path });
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^✘ ERROR PROJECT_NOT_FOUND: /);
    const port = await runCli(['dev', '.', '--port', 'http'], { cwd: dir.path });
    assert.equal(port.code, 2);
    assert.match(port.stderr, /^✘ ERROR USAGE: --port must be a port number/);
  });
  it('stops with the located error when the app does not build at start, printed once', async () => {
    await using dir = await tempDir();
    assert.equal((await runCli(['init', 'hello', '--app-id', 'com.example.hello', '--name', 'Hello'], { cwd: dir.path })).code, 0);
    const page = join(dir.path, 'hello/src/pages/index.tsx');
    await writeFile(page, (await readFile(page, 'utf8')).replace('Welcome to Hello</text>', 'Welcome to Hello</txt>'));
    const run = await runCli(['dev', 'hello'], { cwd: dir.path });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^✘ ERROR APP_BUILD_FAILED: the app in .*hello does not build\n {2}src\/pages\/index\.tsx:\d+:\d+: /);
    assert.equal(run.stderr.match(/✘ ERROR/g)?.length, 1);
  });
});
