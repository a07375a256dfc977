/**
 * @module The host-backed commands against a real host on a temporary port: device-code login confirmed by the
 * person, whoami, publish of an init'd app (refused when the version code does not increase), logout, a declined
 * sign-in.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
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
    const noAppFlag = await runCli(['publish', '--skip-typecheck', '--app', 'x'], { cwd: join(dir.path, 'hello'), env: { ...env } });
    assert.equal(noAppFlag.code, 2, 'publish takes no --app: the manifest names the app');
    await writeFile(join(app, 'manifest.json'), (await readFile(join(app, 'manifest.json'), 'utf8')).replace('com.example.hello', 'com.example.other'));
    const notRegistered = await runCli(['publish', '--skip-typecheck'], { cwd: app, env });
    assert.equal(notRegistered.code, 1);
    assert.match(notRegistered.stderr, /✘ ERROR APP_NOT_FOUND: com\.example\.other is not registered on .*\n(.*\n)* {2}Register it with "atrium apps create"/);
    await writeFile(join(app, 'manifest.json'), (await readFile(join(app, 'manifest.json'), 'utf8')).replace('com.example.other', 'com.example.hello'));

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

    // A token revoked by the person stops working, and the CLI says how to get a new one.
    const { body: tokens } = await api(host.url, 'GET', '/v1/developer/tokens', person);
    const cliToken = (tokens.tokens as Array<{ id: string; name: string }>).find((tk) => tk.name === 'atrium CLI in tests')!;
    assert.equal((await api(host.url, 'DELETE', `/v1/developer/tokens/${cliToken.id}`, person)).status, 204);
    const revoked = await runCli(['whoami'], { env });
    assert.equal(revoked.code, 1);
    assert.match(revoked.stderr, new RegExp(`^✘ ERROR DEVELOPER_TOKEN_INVALID: .*\\n(.*\\n)* {2}Run "atrium login --host ${host.url}"`));

    const out = await runCli(['logout'], { env });
    assert.equal(out.code, 0);
    assert.match(out.stdout, new RegExp(`✔ Forgot the token of ${host.url}\\.`));
    assert.equal((await runCli(['whoami'], { env })).code, 1);
  });

  it('runs the whole loop: apps create → publish → submit → approve → release 50 % → pause → 100 % → rollback, testers, preview, keys', async () => {
    await using host = await serveTestHost();
    await using dir = await tempDir();
    const adaEnv = { ATRIUM_HOST: host.url, ATRIUM_CONFIG_DIR: join(dir.path, 'ada') };
    const revEnv = { ATRIUM_HOST: host.url, ATRIUM_CONFIG_DIR: join(dir.path, 'rev') };
    const people: Record<string, { token: string; id: string }> = {};
    for (const handle of ['ada', 'rev', 'tess']) {
      const signup = await api(host.url, 'POST', '/v1/auth/signup', undefined, { handle, displayName: handle.toUpperCase(), password: TEST_PASSWORD });
      people[handle] = { token: signup.body.accessToken as string, id: signup.body.user.id as string };
    }
    await api(host.url, 'POST', '/v1/developer', people.ada!.token, { name: 'Ada Labs' });
    await host.host.services.developer.members.grantReviewer(people.rev!.id);
    assert.equal((await login(host.url, adaEnv, people.ada!.token, true)).code, 0);
    assert.equal((await login(host.url, revEnv, people.rev!.token, true)).code, 0);

    const cli = async (argv: string[], env = adaEnv): Promise<any> => {
      const run = await runCli([...argv, '--json'], { cwd: join(dir.path, 'loop'), env });
      assert.equal(run.code, 0, `${argv.join(' ')}: ${run.stderr}`);
      return JSON.parse(run.stdout);
    };
    assert.equal((await runCli(['init', 'loop', '--app-id', 'com.example.loop', '--name', 'Loop'], { cwd: dir.path })).code, 0);
    const created = await cli(['apps', 'create']);
    assert.deepEqual([created.app.id, created.app.name], ['com.example.loop', 'Loop']);
    assert.match(created.secret, /^as_/);
    assert.deepEqual((await cli(['apps', 'list'])).apps.map((a: { id: string }) => a.id), ['com.example.loop']);

    const manifestFile = join(dir.path, 'loop', 'manifest.json');
    const setCode = async (code: number): Promise<void> => {
      const m = JSON.parse(await readFile(manifestFile, 'utf8')) as { version: { name: string; code: number } };
      await writeFile(manifestFile, JSON.stringify({ ...m, version: { name: `1.${code}.0`, code } }));
    };
    for (const code of [1, 2]) {
      await setCode(code);
      assert.equal((await cli(['publish', '--skip-typecheck'])).versionCode, code);
      assert.equal((await cli(['versions', 'submit', String(code)])).status, 'submitted');
      assert.deepEqual((await cli(['review', 'list'], revEnv)).versions.map((v: { versionCode: number }) => v.versionCode), [code]);
      assert.equal((await cli(['review', 'approve', 'com.example.loop', String(code), '--note', 'fine'], revEnv)).status, 'approved');
      const released = await cli(['versions', 'release', String(code), '--percent', code === 1 ? '100' : '50']);
      if (code === 1) assert.equal(released.stableVersion, 1);
      else assert.deepEqual([released.stableVersion, released.rollout], [1, { versionCode: 2, percent: 50, paused: false }]);
    }
    assert.equal((await cli(['versions', 'pause'])).rollout.paused, true);
    assert.equal((await cli(['versions', 'resume'])).rollout.paused, false);
    const completed = await cli(['versions', 'release', '2', '--percent', '100']);
    assert.deepEqual([completed.stableVersion, completed.rollout], [2, null]);
    const rolledBack = await cli(['versions', 'rollback', '1']);
    assert.deepEqual([rolledBack.stableVersion, rolledBack.rollout], [1, null]);
    assert.deepEqual((await cli(['versions', 'list'])).versions.map((v: { versionCode: number }) => v.versionCode), [2, 1]);

    // A reviewer may not approve what a developer asks, and a developer may not review.
    const notReviewer = await runCli(['review', 'approve', 'com.example.loop', '2'], { cwd: dir.path, env: adaEnv });
    assert.equal(notReviewer.code, 1);
    assert.match(notReviewer.stderr, /^✘ ERROR REVIEWER_REQUIRED: /);

    await setCode(3);
    await cli(['publish', '--skip-typecheck']);
    await cli(['versions', 'submit', '3']);
    const rejected = await cli(['review', 'reject', 'com.example.loop', '3', '--reason', 'crashes on launch'], revEnv);
    assert.deepEqual([rejected.status, rejected.reviewNote], ['rejected', 'crashes on launch']);

    assert.equal((await cli(['testers', 'add', '@tess'])).role, 'tester');
    const preview = await cli(['preview', '--version', '2']);
    assert.match(preview.url, new RegExp(`^${host.url}/`));
    assert.equal((await cli(['testers', 'remove', 'tess'])).removed, 'tess');
    const notTester = await runCli(['testers', 'remove', 'ada'], { cwd: join(dir.path, 'loop'), env: adaEnv });
    assert.equal(notTester.code, 1);
    assert.match(notTester.stderr, /✘ ERROR USAGE: @ada is an owner of com\.example\.loop, not a tester/);

    const rotated = await cli(['keys', 'rotate']);
    assert.match(rotated.secret, /^as_/);
    assert.notEqual(rotated.secret, created.secret);
    const info = await cli(['apps', 'info']);
    assert.deepEqual([info.app.id, info.release.stableVersion, info.versions.length], ['com.example.loop', 1, 3]);
    const human = await runCli(['apps', 'info'], { cwd: join(dir.path, 'loop'), env: adaEnv });
    assert.match(human.stdout, /^Loop \(com\.example\.loop\), your role: owner\nReleased: version 1 for everybody else\nVersions: 3 rejected, 2 \w+, 1 \w+$/);
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
