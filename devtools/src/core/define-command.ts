/**
 * @module `defineCommand`: a CLI command described by metadata (name, summary, flags), from which help is
 * generated and args are parsed and typed.
 */
import { parseArgs } from 'node:util';

/** A flag of a command. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  description: string;
  short?: string;
}

/** What a command's handler gets. */
export interface CommandContext<F extends Record<string, FlagSpec>> {
  flags: { [K in keyof F]: F[K]['type'] extends 'boolean' ? boolean : string | undefined };
  positionals: string[];
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** A command as the registry holds it. */
export interface Command<F extends Record<string, FlagSpec> = Record<string, FlagSpec>> {
  name: string;
  summary: string;
  usage: string;
  flags: F;
  run(context: CommandContext<F>): Promise<number> | number;
}

/**
 * Declares a command; the handler's flags are typed from the metadata.
 * @example defineCommand({ name: 'whoami', summary: 'Who is signed in', usage: 'atrium whoami', flags: {}, run: () => 0 })
 */
export function defineCommand<F extends Record<string, FlagSpec>>(command: Command<F>): Command<F> {
  return command;
}

/** Parses argv for `command`; unknown flags throw with the flag's name. */
export function parseCommandArgs<F extends Record<string, FlagSpec>>(command: Command<F>, argv: string[]): { flags: CommandContext<F>['flags']; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(command.flags).map(([name, spec]) => [name, spec.short ? { type: spec.type, short: spec.short } : { type: spec.type }]),
  );
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  return { flags: values as CommandContext<F>['flags'], positionals };
}
