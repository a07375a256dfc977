import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineCommand, parseCommandArgs } from '../../devtools/src/core/define-command.ts';
import { CliError } from '../../devtools/src/core/errors.ts';
import { createLogger } from '../../devtools/src/core/logger.ts';
import { ask } from '../../devtools/src/core/prompt.ts';
import { createRegistry } from '../../devtools/src/core/registry.ts';
import { runCli, spawnCli } from './run-cli.ts';

describe('atrium help', () => {
  it('generates the overview from the commands', async (t) => {
    const run = await runCli([]);
    assert.equal(run.code, 0);
    t.assert.snapshot(run.stdout);
    assert.equal((await runCli(['help'])).stdout, run.stdout);
    assert.equal((await runCli(['--help'])).stdout, run.stdout);
  });

  it('generates each command\'s help from its metadata', async (t) => {
    for (const command of ['build', 'init', 'publish', 'login', 'versions release']) {
      const run = await runCli([...command.split(' '), '--help']);
      assert.equal(run.code, 0);
      t.assert.snapshot(run.stdout);
      assert.equal((await runCli(['help', ...command.split(' ')])).stdout, run.stdout);
    }
    const noun = await runCli(['help', 'versions']);
    assert.equal(noun.code, 0);
    t.assert.snapshot(noun.stdout);
  });

  it('prints every command\'s metadata as JSON with help --json', async () => {
    const run = await runCli(['help', '--json']);
    assert.equal(run.code, 0);
    const body = JSON.parse(run.stdout) as { commands: Array<{ command: string; flags: Record<string, { type: string }> }> };
    assert.deepEqual(body.commands.slice(0, 9).map((c) => c.command), ['init', 'build', 'preview', 'publish', 'login', 'logout', 'whoami', 'version', 'help']);
    assert.ok(body.commands.some((c) => c.command === 'versions rollback'));
    assert.equal(body.commands.find((c) => c.command === 'init')?.flags['app-id']?.type, 'string');
  });

  it('lists a noun\'s verbs and refuses a missing or unknown verb', async (t) => {
    const registry = createRegistry([
      defineCommand({ command: 'versions list', summary: 'List versions', run: () => 0 }),
      defineCommand({ command: 'versions rollback', summary: 'Roll back', positionals: { code: { description: 'The version code', required: true } }, run: () => 0 }),
    ]);
    t.assert.snapshot(registry.overview('0.0.0'));
    assert.equal(registry.resolve(['versions', 'rollback', '3']).command.command, 'versions rollback');
    assert.throws(() => registry.resolve(['versions']), (e: CliError) => e.code === 'UNKNOWN_COMMAND' && e.exitCode === 2 && /list, rollback/.test(e.hint ?? ''));
    assert.throws(() => registry.resolve(['versions', 'nuke']), (e: CliError) => e.code === 'UNKNOWN_COMMAND' && /"nuke"/.test(e.message));
  });
});

describe('atrium errors and exit codes', () => {
  it('exits 2 on an unknown command with the error format and a suggestion', async () => {
    const run = await runCli(['biuld']);
    assert.equal(run.code, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^✘ ERROR UNKNOWN_COMMAND: "biuld" is not an atrium command\n {2}Did you mean "atrium build"\?/);
  });

  it('exits 2 on an unknown flag, naming it and how to see the flags', async () => {
    const run = await runCli(['build', '--frobnicate']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^✘ ERROR UNKNOWN_FLAG: .*--frobnicate.*\n {2}Run "atrium build --help" to see its flags\.$/);
  });

  it('exits 2 when flags come before any command', async () => {
    const run = await runCli(['--json', 'build']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^✘ ERROR USAGE: "--json" needs a command before it\n {2}Usage: atrium <command> \[flags\]/);
  });

  it('exits 2 on an extra argument or a bad --host', async () => {
    assert.equal((await runCli(['version', 'extra'])).code, 2);
    const run = await runCli(['version', '--host', 'ftp://example.com']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /✘ ERROR USAGE: host "ftp:\/\/example.com" must be http or https/);
  });

  it('exits 1 on a failure and prints only JSON on stdout with --json', async () => {
    const run = await runCli(['build', '--json'], { cwd: '/' });
    assert.equal(run.code, 1);
    const body = JSON.parse(run.stdout) as { error: { code: string; hint: string } };
    assert.equal(body.error.code, 'PROJECT_NOT_FOUND');
    assert.match(body.error.hint, /atrium init/);
    assert.match(run.stderr, /^✘ ERROR PROJECT_NOT_FOUND: /);
  });

  it('prints only JSON on stdout for version --json', async () => {
    const run = await runCli(['version', '--json']);
    assert.equal(run.code, 0);
    assert.deepEqual(Object.keys(JSON.parse(run.stdout) as object), ['version', 'node']);
  });

  it('runs as a child process with the same codes', async () => {
    const ok = await spawnCli(['--help']);
    assert.equal(ok.code, 0);
    assert.match(ok.stdout, /^atrium \d+\.\d+\.\d+ — /);
    const bad = await spawnCli(['nonsense']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^✘ ERROR UNKNOWN_COMMAND: "nonsense" is not an atrium command\n {2}Run "atrium help"/);
    const version = await spawnCli(['version', '--json']);
    assert.equal(version.code, 0);
    assert.equal((JSON.parse(version.stdout) as { version: string }).version.split('.').length, 3);
  });
});

describe('defineCommand', () => {
  const command = defineCommand({
    command: 'versions release',
    summary: 'Release',
    positionals: { code: { description: 'code', required: true } },
    flags: { percent: { type: 'number', description: 'Percent', required: true }, note: { type: 'string', description: 'Note', default: 'none' }, force: { type: 'boolean', description: 'Force' } },
    run({ args }) {
      // Type-level: these assignments fail tsc if the handler's args lose their types.
      const percent: number = args.percent;
      const code: string = args.code;
      const note: string = args.note;
      const force: boolean = args.force;
      // @ts-expect-error a number flag is not a string
      const wrong: string = args.percent;
      // @ts-expect-error an argument the command does not declare does not exist
      void args.missing;
      void wrong;
      return percent + code.length + note.length + Number(force);
    },
  });

  it('parses and types flags and positionals', () => {
    assert.deepEqual(parseCommandArgs(command, ['7', '--percent', '50']), { percent: 50, note: 'none', force: false, json: false, help: false, code: '7' });
  });

  it('names a missing required flag, a missing argument and a non-number', () => {
    assert.throws(() => parseCommandArgs(command, ['7']), (e: CliError) => e.code === 'MISSING_FLAG' && e.message === '--percent is required' && e.exitCode === 2);
    assert.throws(() => parseCommandArgs(command, ['--percent', '5']), (e: CliError) => e.code === 'MISSING_ARGUMENT' && e.message === '<code> is required');
    assert.throws(() => parseCommandArgs(command, ['7', '--percent', 'half']), (e: CliError) => e.code === 'USAGE' && /must be a number/.test(e.message));
  });

  it('refuses a flag that is not kebab-case or shadows a global flag', () => {
    assert.throws(() => defineCommand({ command: 'x', summary: 'x', flags: { appId: { type: 'string', description: 'x' } }, run: () => 0 }), /kebab-case/);
    assert.throws(() => defineCommand({ command: 'x', summary: 'x', flags: { json: { type: 'boolean', description: 'x' } }, run: () => 0 }), /global flag/);
  });
});

describe('prompts and the logger', () => {
  it('never prompts without a TTY: names the missing flag', async () => {
    const io = { stdout() {}, stderr() {}, isTTY: false, env: {}, cwd: '/', readLine: async () => 'x' };
    await assert.rejects(ask(io, { flag: 'app-id', question: 'App id?' }), (e: CliError) => e.code === 'MISSING_FLAG' && e.message.includes('--app-id') && e.hint === 'Pass --app-id <value>.');
  });

  it('asks again on a TTY until the answer is valid', async () => {
    const answers = ['bad id', 'com.example.ok'];
    const err: string[] = [];
    const io = { stdout() {}, stderr: (l: string) => err.push(l), isTTY: true, env: {}, cwd: '/', readLine: async () => answers.shift()! };
    assert.equal(await ask(io, { flag: 'app-id', question: 'App id?', validate: (v) => (v.includes(' ') ? 'no spaces' : undefined) }), 'com.example.ok');
    assert.deepEqual(err, ['  no spaces']);
  });

  it('takes its level from ATRIUM_LOG and keeps stdout for JSON with --json', () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), isTTY: true, env: { ATRIUM_LOG: 'warn' }, cwd: '/' };
    const quiet = createLogger({ io, json: false });
    quiet.info('hidden');
    quiet.debug('hidden');
    quiet.warn('shown');
    assert.deepEqual([out, err], [[], ['▲ WARNING shown']]);
    const json = createLogger({ io: { ...io, env: {} }, json: true });
    json.info('human');
    json.success('done');
    json.spinner('working').stop('finished');
    json.result({ ok: true });
    assert.deepEqual(out, ['{\n  "ok": true\n}']);
    assert.ok(err.includes('human') && err.includes('✔ done') && err.includes('finished'));
    assert.ok(!err.some((l) => l.includes('\r')), 'no spinner frames with --json');
  });

  it('draws a progress bar on a TTY and only the final line elsewhere', () => {
    const err: string[] = [];
    const out: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l), isTTY: true, env: {}, cwd: '/' };
    const bar = createLogger({ io, json: false }).progress('Uploading');
    bar.set(0.5);
    bar.update('Uploading 1.0 MB');
    bar.stop('uploaded');
    assert.ok(err.some((l) => l.startsWith('\r\x1b[2KUploading')), 'drew on stderr');
    assert.deepEqual(out, ['uploaded']);
    const plain: string[] = [];
    const quiet = createLogger({ io: { ...io, isTTY: false, stderr: (l: string) => plain.push(l), stdout: (l: string) => plain.push(l) }, json: false }).progress('Uploading');
    quiet.set(1);
    quiet.stop('uploaded');
    assert.deepEqual(plain, ['uploaded']);
  });

  it('draws spinners only on a TTY', () => {
    const err: string[] = [];
    const io = { stdout() {}, stderr: (l: string) => err.push(l), isTTY: false, env: {}, cwd: '/' };
    createLogger({ io, json: false }).spinner('working').stop();
    assert.equal(err.length, 0);
    createLogger({ io: { ...io, isTTY: true }, json: false }).spinner('working').stop();
    assert.ok(err.some((l) => l.includes('working')));
  });
});
