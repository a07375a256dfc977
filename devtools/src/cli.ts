#!/usr/bin/env node
/**
 * @module The `atrium` CLI entry: finds the command, parses its flags, prints errors as `✘ ERROR <CODE>: …`.
 * Commands (init, dev, build, preview, publish, versions, …) arrive with the developer-platform issue.
 */
import { readFileSync } from 'node:fs';
import { defineCommand, parseCommandArgs, type Command } from './core/define-command.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

const commands: Command[] = [];

const help = defineCommand({
  name: 'help',
  summary: 'Show the commands and their flags',
  usage: 'atrium help [command]',
  flags: {},
  run({ positionals, stdout }) {
    const wanted = positionals[0] ? commands.find((c) => c.name === positionals[0]) : undefined;
    if (wanted) {
      stdout(`${wanted.summary}\n\nUsage: ${wanted.usage}`);
      for (const [name, spec] of Object.entries(wanted.flags)) stdout(`  --${name}${spec.short ? `, -${spec.short}` : ''}  ${spec.description}`);
      return 0;
    }
    stdout(`atrium ${pkg.version} — build, preview and publish Atrium mini-programs\n\nUsage: atrium <command> [flags]\n\nCommands:`);
    for (const c of commands) stdout(`  ${c.name.padEnd(10)} ${c.summary}`);
    stdout('\nRun "atrium help <command>" for a command\'s flags.');
    return 0;
  },
});

const version = defineCommand({
  name: 'version',
  summary: 'Print the CLI version',
  usage: 'atrium version [--json]',
  flags: { json: { type: 'boolean', description: 'Print only JSON' } },
  run({ flags, stdout }) {
    stdout(flags.json ? JSON.stringify({ version: pkg.version, node: process.version }) : pkg.version);
    return 0;
  },
});

commands.push(help as Command, version as Command);

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[], io = { stdout: (l: string) => console.log(l), stderr: (l: string) => console.error(l) }): Promise<number> {
  const [name = 'help', ...rest] = argv;
  const normalized = name === '--help' || name === '-h' ? 'help' : name === '--version' || name === '-v' ? 'version' : name;
  const command = commands.find((c) => c.name === normalized);
  if (!command) {
    io.stderr(`✘ ERROR UNKNOWN_COMMAND: "${name}" is not an atrium command.\n  Run "atrium help" to see the commands.`);
    return 2;
  }
  try {
    const { flags, positionals } = parseCommandArgs(command, rest);
    return await command.run({ flags, positionals, stdout: io.stdout, stderr: io.stderr });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`✘ ERROR USAGE: ${message}\n  Run "atrium help ${command.name}" to see its flags.`);
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/atrium')) {
  process.exitCode = await main(process.argv.slice(2));
}
