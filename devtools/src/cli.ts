#!/usr/bin/env node
/**
 * @module The `atrium` CLI entry: `main(argv, io)` finds the command, parses its flags, runs it and prints
 * failures as `✘ ERROR <CODE>: …` plus how to fix them. Exit codes: 0 ok, 1 failure, 2 usage.
 */
import { createInterface } from 'node:readline/promises';
import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import appsCreate from './commands/apps/create.ts';
import appsInfo from './commands/apps/info.ts';
import appsList from './commands/apps/list.ts';
import buildCommand from './commands/build.ts';
import initCommand from './commands/init.ts';
import loginCommand from './commands/login.ts';
import logoutCommand from './commands/logout.ts';
import keysRotate from './commands/keys/rotate.ts';
import previewCommand from './commands/preview.ts';
import publishCommand from './commands/publish.ts';
import reviewApprove from './commands/review/approve.ts';
import reviewList from './commands/review/list.ts';
import reviewReject from './commands/review/reject.ts';
import testersAdd from './commands/testers/add.ts';
import testersRemove from './commands/testers/remove.ts';
import versionsList from './commands/versions/list.ts';
import versionsPause from './commands/versions/pause.ts';
import versionsRelease from './commands/versions/release.ts';
import versionsResume from './commands/versions/resume.ts';
import versionsRollback from './commands/versions/rollback.ts';
import versionsSubmit from './commands/versions/submit.ts';
import versionCommand from './commands/version.ts';
import whoamiCommand from './commands/whoami.ts';
import { findProject, resolveHost } from './core/config.ts';
import { defineCommand, GLOBAL_FLAGS, parseCommandArgs, type CliIO, type Command } from './core/define-command.ts';
import { CliError, formatError, toCliError } from './core/errors.ts';
import { createLogger } from './core/logger.ts';
import { createRegistry, type Registry } from './core/registry.ts';
import { CLI_VERSION } from './core/version.ts';

const helpCommand = defineCommand({
  command: 'help',
  summary: 'Show the commands, or one command\'s flags',
  positionals: { command: { description: 'A command, e.g. build or "versions list"' } },
  run: () => {}, // answered by main, which holds the registry
});

/** Every command, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  buildCommand,
  previewCommand,
  publishCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
  versionCommand,
  helpCommand,
  appsCreate,
  appsList,
  appsInfo,
  versionsList,
  versionsSubmit,
  versionsRelease,
  versionsPause,
  versionsResume,
  versionsRollback,
  reviewList,
  reviewApprove,
  reviewReject,
  keysRotate,
  testersAdd,
  testersRemove,
];

/** The CLI's registry. */
export const registry: Registry = createRegistry(COMMANDS);

/** The real process's IO. */
export function processIO(): CliIO {
  return {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(text.startsWith('\r') ? text : `${text}\n`),
    isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    env: process.env,
    cwd: process.cwd(),
    readLine: async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  };
}

/**
 * Runs the CLI with `argv` (without node and the script); returns the exit code.
 * @example const code = await main(['build', '--json'], { ...processIO(), stdout: (l) => out.push(l) });
 */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const json = argv.includes('--json');
  const log = createLogger({ io, json });
  try {
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h') {
      io.stdout(registry.overview(CLI_VERSION));
      return 0;
    }
    if (argv[0] === '--version' || argv[0] === '-v') argv = ['version', ...argv.slice(1)];
    if (argv[0] === 'help' && json) {
      // Machine-readable metadata of every command (for editors, completions and docs).
      const commands = registry.commands.map(({ command, summary, description, positionals, flags, examples }) => ({ command, summary, description, positionals, flags, examples }));
      log.result({ version: CLI_VERSION, globalFlags: GLOBAL_FLAGS, commands });
      return 0;
    }
    if (argv[0] === 'help') return help(argv.slice(1).filter((a) => !a.startsWith('-')), io);
    const { command, rest } = registry.resolve(argv);
    const args = parseCommandArgs(command, rest);
    if (args.help === true) {
      io.stdout(registry.commandHelp(command));
      return 0;
    }
    const host = resolveHost(args.host as string | undefined, io.env, safeProject(io.cwd));
    const code = await command.run({ args: args as never, log, io, host });
    return code ?? 0;
  } catch (thrown) {
    const error = toCliError(thrown);
    for (const line of formatError(error)) io.stderr(line);
    if (error.code === 'INTERNAL' && error.cause instanceof Error) log.debug(error.cause.stack ?? String(error.cause));
    if (json) io.stdout(JSON.stringify({ error: { code: error.code, message: error.message, details: error.details, hint: error.hint } }, null, 2));
    return error.exitCode;
  }
}

function help(words: string[], io: CliIO): number {
  if (words.length === 0) {
    io.stdout(registry.overview(CLI_VERSION));
    return 0;
  }
  const exact = registry.commands.find((c) => c.command === words.join(' '));
  if (exact) {
    io.stdout(registry.commandHelp(exact));
    return 0;
  }
  if (registry.commands.some((c) => c.command.startsWith(`${words[0]} `))) {
    io.stdout(registry.overview(CLI_VERSION, words[0]));
    return 0;
  }
  throw new CliError({ code: 'UNKNOWN_COMMAND', message: `"${words.join(' ')}" is not an atrium command`, hint: 'Run "atrium help" to see the commands.' });
}

// A broken atrium.config.json must not stop `atrium help`; commands that need the project report it themselves.
function safeProject(cwd: string): ReturnType<typeof findProject> {
  try {
    return findProject(cwd);
  } catch {
    return undefined;
  }
}

function isEntry(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntry()) process.exitCode = await main(process.argv.slice(2));
