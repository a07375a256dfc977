import assert from 'node:assert/strict';
import { mkdir, stat, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_HOST, findProject, readUserConfig, resolveHost, userConfigPath, writeUserConfig } from '../../devtools/src/core/config.ts';
import type { CliError } from '../../devtools/src/core/errors.ts';
import { runCli, tempDir } from './run-cli.ts';

describe('project config', () => {
  it('walks up from the cwd to the first atrium.config.json or manifest.json', async () => {
    await using dir = await tempDir();
    await mkdir(join(dir.path, 'app', 'src', 'pages'), { recursive: true });
    await writeFile(join(dir.path, 'app', 'manifest.json'), '{}');
    assert.equal(findProject(join(dir.path, 'app', 'src', 'pages'))?.appDir, join(dir.path, 'app'));
    await writeFile(join(dir.path, 'atrium.config.json'), JSON.stringify({ app: 'app', host: 'https://atrium.example.com', out_dir: 'out' }));
    const project = findProject(join(dir.path, 'app', 'src'));
    assert.equal(project?.root, join(dir.path, 'app'), 'the nearest wins');
    const fromRoot = findProject(dir.path);
    assert.deepEqual([fromRoot?.root, fromRoot?.appDir, fromRoot?.config.out_dir], [dir.path, join(dir.path, 'app'), 'out']);
  });

  it('warns on unknown fields and stops with CONFIG_INVALID on bad ones, located', async () => {
    await using dir = await tempDir();
    await writeFile(join(dir.path, 'atrium.config.json'), JSON.stringify({ hots: 'x' }));
    assert.deepEqual(findProject(dir.path)?.warnings, [`${join(dir.path, 'atrium.config.json')}: unknown field "hots" is ignored`]);
    await writeFile(join(dir.path, 'atrium.config.json'), JSON.stringify({ host: 'not a url', typecheck: 'yes' }));
    assert.throws(() => findProject(dir.path), (e: CliError) => e.code === 'CONFIG_INVALID' && e.details.length === 2 && e.details.some((d) => d.endsWith('atrium.config.json: typecheck: Invalid input: expected boolean, received string')));
    const run = await runCli(['build'], { cwd: dir.path });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^✘ ERROR CONFIG_INVALID: atrium\.config\.json is invalid\n {2}.*atrium\.config\.json: host: /);
    await writeFile(join(dir.path, 'atrium.config.json'), '{ nope');
    assert.throws(() => findProject(dir.path), (e: CliError) => e.code === 'CONFIG_INVALID' && /is not valid JSON/.test(e.message));
  });

  it('picks the host from --host, ATRIUM_HOST, the project, then the default', async () => {
    await using dir = await tempDir();
    await writeFile(join(dir.path, 'atrium.config.json'), JSON.stringify({ host: 'https://project.example.com' }));
    const project = findProject(dir.path);
    assert.equal(resolveHost('http://flag.test:9000/', { ATRIUM_HOST: 'https://env.example.com' }, project), 'http://flag.test:9000');
    assert.equal(resolveHost(undefined, { ATRIUM_HOST: 'https://env.example.com' }, project), 'https://env.example.com');
    assert.equal(resolveHost(undefined, {}, project), 'https://project.example.com');
    assert.equal(resolveHost(undefined, {}, undefined), DEFAULT_HOST);
    assert.throws(() => resolveHost('nope', {}, undefined), (e: CliError) => e.code === 'USAGE' && e.exitCode === 2);
  });
});

describe('user config', () => {
  it('lives in ATRIUM_CONFIG_DIR, XDG_CONFIG_HOME/atrium or ~/.config/atrium', () => {
    assert.equal(userConfigPath({ ATRIUM_CONFIG_DIR: '/c', XDG_CONFIG_HOME: '/x', HOME: '/h' }), '/c/config.json');
    assert.equal(userConfigPath({ XDG_CONFIG_HOME: '/x', HOME: '/h' }), '/x/atrium/config.json');
    assert.equal(userConfigPath({ HOME: '/h' }), '/h/.config/atrium/config.json');
  });

  it('is written with mode 0600 and read back; a readable-by-others file is warned about', async () => {
    await using dir = await tempDir();
    const env = { ATRIUM_CONFIG_DIR: join(dir.path, 'cfg') };
    assert.deepEqual(readUserConfig(env), { hosts: {} });
    const file = await writeUserConfig(env, { hosts: { 'http://127.0.0.1:8080': { token: 'atk_secret', user: 'ada' } } });
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    const warnings: string[] = [];
    assert.equal(readUserConfig(env, (w) => warnings.push(w)).hosts['http://127.0.0.1:8080']?.token, 'atk_secret');
    assert.equal(warnings.length, 0);
    await chmod(file, 0o644);
    readUserConfig(env, (w) => warnings.push(w));
    assert.match(warnings[0] ?? '', /readable by other users; run "chmod 600 /);
    assert.ok(!warnings[0]?.includes('atk_secret'));
  });
});
