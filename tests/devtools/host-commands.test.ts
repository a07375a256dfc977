/**
 * @module The host-backed commands against a real host on a temporary port: device-code login confirmed by the
 * person, whoami, publish of an init'd app (refused when the version code does not increase), logout, a declined
 * sign-in.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serveTestHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';
import { runCli, spawnCli, tempDir, type CliRun } from './run-cli.ts';

const fast = (): Promise<void> => new Promise((done) => setTimeout(done, 20));

async function api(url: string, method: string, path: string, token: string | undefined, json?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) }, ...(json ? { body: JSON.stringify(json) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Runs `atrium login` and answers the sign-in as `token`'s person once the CLI shows its code. */
async function login(url: string, env: Record<string, string>, token: string, allow: boolean): Promise<CliRun> {
  let decided: Promise<unknown> | undefined;
  const run = await runCli(['login', '--name', 'atrium CLI in tests'], {
    env,
    sleep: fast,
    onLine: (line) => {
      const code = /enter the code ([A-Z]{4}-?[A-Z]{4})/.exec(line)?.[1];
      if (code && !decided) decided = api(url, 'POST', `/v1/developer/device-authorizations/${code}/decision`, token, { allow });
    },
  });
  assert.equal((await decided) !== undefined, true, 'the CLI showed a code');
  return run;
}

describe('host-backed commands', () => {
  it('logs in by device code, publishes an app, refuses a non-increasing version, logs out', async () => {
    await using host = await serveTestHost();
    await using dir = await tempDir();
    const env = { ATRIUM_HOST: host.url, ATRIUM_CONFIG_DIR: join(dir.path, 'config') };
    const signup = await api(host.url, 'POST', '/v1/auth/signup', undefined, { handle: 'ada', displayName: 'Ada', password: TEST_PASSWORD });
    assert.equal(signup.status, 201, JSON.stringify(signup.body));
    const person = signup.body.accessToken as string;
    assert.equal((await api(host.url, 'POST', '/v1/developer', person, { name: 'Ada Labs' })).status, 200);
    assert.equal((await api(host.url, 'POST', '/v1/developer/apps', person, { appId: 'com.example.hello', name: 'Hello' })).status, 201);

    const before = await runCli(['whoami'], { env });
    assert.equal(before.code, 1);
    assert.match(before.stderr, new RegExp(`^✘ ERROR NOT_LOGGED_IN: not logged in to ${host.url}\\n {2}Run "atrium login --host ${host.url}"`));

    const loggedIn = await login(host.url, env, person, true);
    assert.equal(loggedIn.code, 0, loggedIn.stderr);
    assert.match(loggedIn.stdout, new RegExp(`Open ${host.url}/device\\?code=[A-Z-]+ and allow "atrium CLI in tests"\\.`));
    assert.match(loggedIn.stdout, /✔ Logged in to .* \(token "atrium CLI in tests", expires \d{4}-\d\d-\d\d\)\. Next: "atrium whoami"/);

    // A child process finds the stored token for the host.
    const whoami = await spawnCli(['whoami', '--json'], { env });
    assert.equal(whoami.code, 0, whoami.stderr);
    assert.equal((JSON.parse(whoami.stdout) as { developer: { name: string } }).developer.name, 'Ada Labs');

    assert.equal((await runCli(['init', 'hello', '--app-id', 'com.example.hello', '--name', 'Hello'], { cwd: dir.path, env })).code, 0);
    const app = join(dir.path, 'hello');
    const published = await runCli(['publish', '--skip-typecheck', '--json'], { cwd: app, env });
    assert.equal(published.code, 0, published.stderr);
    const version = JSON.parse(published.stdout) as { appId: string; versionCode: number; status: string; packageSha256: string };
    assert.deepEqual([version.appId, version.versionCode, version.status], ['com.example.hello', 1, 'uploaded']);
    assert.match(version.packageSha256, /^[0-9a-f]{64}$/);

    const again = await runCli(['publish', '--package', 'dist/com.example.hello-1.zip'], { cwd: app, env, isTTY: true });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /✘ ERROR VERSION_CODE_NOT_INCREASING: /);

    const bogus = await runCli(['publish', '--package', 'manifest.json'], { cwd: app, env });
    assert.equal(bogus.code, 1);
    assert.match(bogus.stderr, /^✘ ERROR PACKAGE_INVALID: .*manifest\.json is not a valid package\n {2}package: not a readable ZIP archive/);

    const out = await runCli(['logout'], { env });
    assert.equal(out.code, 0);
    assert.match(out.stdout, new RegExp(`✔ Forgot the token of ${host.url}\\.`));
    assert.equal((await runCli(['whoami'], { env })).code, 1);
  });

  it('stops when the person declines the sign-in', async () => {
    await using host = await serveTestHost();
    await using dir = await tempDir();
    const env = { ATRIUM_HOST: host.url, ATRIUM_CONFIG_DIR: join(dir.path, 'config') };
    const signup = await api(host.url, 'POST', '/v1/auth/signup', undefined, { handle: 'bob', displayName: 'Bob', password: TEST_PASSWORD });
    const declined = await login(host.url, env, signup.body.accessToken as string, false);
    assert.equal(declined.code, 1);
    assert.match(declined.stderr, /✘ ERROR DEVICE_ACCESS_DENIED: the sign-in was declined in Atrium\n {2}Run "atrium login" again/);
  });
});
