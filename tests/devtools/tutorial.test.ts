/**
 * @module The SDK tutorial's CLI commands, exactly as sdk/README.md writes them, against a real host on a
 * temporary port: init, then login (allowed as @ada the way the shell's /device page does), apps create, publish,
 * submit, a second sign-in allowed as the reviewer @rita, review list and approve, release 50 % then 100 %, a
 * second version, and a rollback. A command the CLI does not accept fails this test.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { serveTestHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';
import { COMMANDS } from '../../devtools/src/cli.ts';
import { parseCommandArgs } from '../../devtools/src/core/define-command.ts';
import { createRegistry } from '../../devtools/src/core/registry.ts';
import { ROOT, runCli, tempDir } from './run-cli.ts';

const readme = await readFile(join(ROOT, 'sdk/README.md'), 'utf8');
/** The `sh` block that follows `marker` in the tutorial (or in `text`). */
function block(marker: string, text = readme): string[] {
  const at = text.indexOf(marker);
  assert.ok(at >= 0, `the README has ${marker}`);
  const m = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  assert.ok(m, `an sh block after ${marker}`);
  return m[1]!.split('\n').filter((l) => l.trim() !== '');
}

/** `npx atrium a "b c" --d  # comment` → env prefix and argv. */
function parse(line: string): { env: Record<string, string>; argv: string[] } | { comment: string } {
  const code = line.replace(/\s+#.*$/, '').trim();
  if (code === '' || code.startsWith('#')) return { comment: line.trim() };
  const words = [...code.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_]+=/.test(words[0])) {
    const [k, v] = words.shift()!.split('=') as [string, string];
    env[k] = v;
  }
  assert.deepEqual(words.slice(0, 2), ['npx', 'atrium'], `a documented command: ${line}`);
  return { env, argv: words.slice(2) };
}

async function api(url: string, method: string, path: string, token: string | undefined, json?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) }, ...(json ? { body: JSON.stringify(json) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe('the SDK tutorial, as written', () => {
  it('creates, publishes, reviews, releases 50 % then 100 %, and rolls back with the documented commands', async () => {
    await using host = await serveTestHost();
    await using dir = await tempDir();
    const person = async (handle: string, displayName: string): Promise<string> => {
      const res = await api(host.url, 'POST', '/v1/auth/signup', undefined, { handle, displayName, password: TEST_PASSWORD });
      assert.equal(res.status, 201);
      return res.body.accessToken as string;
    };
    const ada = await person('ada', 'Ada');
    const rita = await person('rita', 'Rita');
    await host.host.services.developer.members.grantReviewer((await api(host.url, 'GET', '/v1/me', rita)).body.id);
    const home = join(dir.path, 'home');
    const defaultConfig = join(home, '.config', 'atrium');

    let cwd = dir.path;
    const run = async (line: string): Promise<void> => {
      const parsed = parse(line);
      if ('comment' in parsed) {
        // The one step in prose: change the page and raise the version code.
        assert.match(parsed.comment, /edit src\/pages\/index\.tsx, then set "code": 2/);
        const page = join(cwd, 'src/pages/index.tsx');
        await writeFile(page, (await readFile(page, 'utf8')).replace('Welcome to Hello', 'Welcome back to Hello'));
        const manifest = JSON.parse(await readFile(join(cwd, 'manifest.json'), 'utf8')) as { version: { name: string; code: number } };
        manifest.version = { name: '1.1.0', code: 2 };
        await writeFile(join(cwd, 'manifest.json'), JSON.stringify(manifest, null, 2));
        return;
      }
      const configDir = (parsed.env.ATRIUM_CONFIG_DIR ?? defaultConfig).replace(/^~/, home);
      const asRita = configDir !== defaultConfig;
      let decided: Promise<unknown> | undefined;
      const result = await runCli(parsed.argv, {
        cwd,
        env: { ATRIUM_HOST: host.url, ATRIUM_CONFIG_DIR: configDir, HOME: home },
        sleep: () => new Promise((done) => setTimeout(done, 20)),
        onLine: (text) => {
          const code = /enter the code ([A-Z]{4}-?[A-Z]{4})/.exec(text)?.[1];
          if (!code || decided) return;
          // What the shell's /device page does when the person allows: developer mode on, then the decision.
          const token = asRita ? rita : ada;
          decided = api(host.url, 'POST', '/v1/developer', token, { name: asRita ? 'Rita' : 'Ada' }).then(() => api(host.url, 'POST', `/v1/developer/device-authorizations/${code}/decision`, token, { allow: true }));
        },
      });
      assert.equal(result.code, 0, `"${line}" failed:\n${result.stderr}`);
      if (decided) assert.equal((await decided as { status: number }).status, 200);
    };

    // Step 1: init, then cd.
    const [init, cd] = block('### 1. Create the folder and the manifest');
    await run(init!);
    assert.match(cd!, /^cd my-apps\/hello$/);
    cwd = join(dir.path, 'my-apps/hello');

    const release = async (): Promise<any> => (await api(host.url, 'GET', '/v1/developer/apps/dev.example.hello/release', ada)).body;
    for (const line of block('<!-- tutorial: publish -->')) {
      await run(line);
      if (/release 1 --percent 50/.test(line)) assert.deepEqual((await release()).rollout, { versionCode: 1, percent: 50, paused: false });
      if (/release 1 --percent 100/.test(line)) assert.equal((await release()).stableVersion, 1);
      if (/release 2 --percent 100/.test(line)) assert.equal((await release()).stableVersion, 2);
    }
    const final = await release();
    assert.equal(final.stableVersion, 1, 'rolled back to version 1');
    assert.equal(final.rollout, null);
  });

  it('the root README\'s walkthrough uses only commands and flags the CLI accepts', async () => {
    const registry = createRegistry(COMMANDS);
    const lines = block('## Build your own mini-app', await readFile(join(ROOT, 'README.md'), 'utf8')).filter((l) => l.includes('npx atrium'));
    assert.ok(lines.length >= 8);
    for (const line of lines) {
      const parsed = parse(line);
      assert.ok('argv' in parsed, line);
      const { command, rest } = registry.resolve(parsed.argv);
      assert.doesNotThrow(() => parseCommandArgs(command, rest), line);
    }
  });
});
