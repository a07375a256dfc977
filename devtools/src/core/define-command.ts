/**
 * @module `defineCommand`: a command described by metadata — its words (`build`, `versions rollback`), summary,
 * positionals and flags — from which help is generated and argv is parsed, validated and typed for the handler.
 */
import { parseArgs } from 'node:util';
import { CliError } from './errors.ts';
import type { Logger } from './logger.ts';

/** A flag of a command (names are kebab-case: `--app-id`). */
export interface FlagSpec {
  type: 'string' | 'boolean' | 'number';
  description: string;
  short?: string;
  /** Must be given (a usage error names it when missing). */
  required?: boolean;
  default?: string | boolean | number;
  /** Shown in help as the value's name: `--percent <N>`. */
  valueName?: string;
}

/** A positional argument, in declaration order. */
export interface PositionalSpec {
  description: string;
  required?: boolean;
}

type FlagValue<S extends FlagSpec> = S['type'] extends 'boolean' ? boolean : S['type'] extends 'number' ? number : string;
type IsSet<S> = S extends { required: true } ? true : S extends { default: string | number | boolean } ? true : S extends { type: 'boolean' } ? true : false;

/** The typed flags of a command. */
export type InferFlags<F extends Record<string, FlagSpec>> = { [K in keyof F]: IsSet<F[K]> extends true ? FlagValue<F[K]> : FlagValue<F[K]> | undefined };
/** The typed positionals of a command. */
export type InferPositionals<P extends Record<string, PositionalSpec>> = { [K in keyof P]: P[K] extends { required: true } ? string : string | undefined };

/** Flags every command takes. */
export const GLOBAL_FLAGS = {
  json: { type: 'boolean', description: 'Print only JSON on stdout (for scripts and CI)' },
  host: { type: 'string', description: 'The Atrium host to talk to (or ATRIUM_HOST)', valueName: 'URL' },
  help: { type: 'boolean', short: 'h', description: 'Show help for this command' },
} as const satisfies Record<string, FlagSpec>;

/** The global flags, parsed. */
export type GlobalArgs = InferFlags<typeof GLOBAL_FLAGS>;

/** Where a command reads and writes: the process in the CLI, captured buffers in tests. */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdin and stderr are a terminal (prompts, spinners and progress bars only then). */
  isTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Reads one line from the terminal; absent when there is none. */
  readLine?: (question: string) => Promise<string>;
  /** Waits (polling the host). @default setTimeout */
  sleep?: (ms: number) => Promise<void>;
  /** Reaches the host. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** What a handler gets. */
export interface CommandContext<F extends Record<string, FlagSpec>, P extends Record<string, PositionalSpec>> {
  args: InferFlags<F> & InferPositionals<P> & GlobalArgs;
  log: Logger;
  io: CliIO;
  /** The host URL: `--host`, ATRIUM_HOST, the project's config, or http://127.0.0.1:8080. */
  host: string;
}

/** A command's metadata and handler. */
export interface CommandDefinition<F extends Record<string, FlagSpec>, P extends Record<string, PositionalSpec>> {
  /** The words that call it: `build` or `versions rollback`. */
  command: string;
  summary: string;
  /** Longer help text, shown under the usage line. */
  description?: string;
  positionals?: P;
  flags?: F;
  examples?: Array<{ command: string; description: string }>;
  /** Returns the exit code (0 by default); throws a CliError to fail. */
  run(context: CommandContext<F, P>): Promise<number | void> | number | void;
}

/** A command as the registry holds it (types erased). */
export interface Command {
  command: string;
  summary: string;
  description: string | undefined;
  positionals: Record<string, PositionalSpec>;
  flags: Record<string, FlagSpec>;
  examples: Array<{ command: string; description: string }>;
  run(context: CommandContext<Record<string, FlagSpec>, Record<string, PositionalSpec>>): Promise<number | void> | number | void;
}

/**
 * Declares a command; the handler's `args` are typed from its flags and positionals.
 * @example
 * export default defineCommand({
 *   command: 'versions rollback', summary: 'Roll back to a released version',
 *   positionals: { code: { description: 'The version code', required: true } },
 *   run({ args }) { args.code; }, // string
 * });
 */
export function defineCommand<const F extends Record<string, FlagSpec> = {}, const P extends Record<string, PositionalSpec> = {}>(definition: CommandDefinition<F, P>): Command {
  for (const name of Object.keys(definition.flags ?? {})) {
    if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name)) throw new TypeError(`defineCommand(${definition.command}): flag "${name}" must be kebab-case`);
    if (name in GLOBAL_FLAGS) throw new TypeError(`defineCommand(${definition.command}): "--${name}" is a global flag`);
  }
  return {
    command: definition.command,
    summary: definition.summary,
    description: definition.description,
    positionals: definition.positionals ?? {},
    flags: definition.flags ?? {},
    examples: definition.examples ?? [],
    run: definition.run as Command['run'],
  };
}

/** Parses argv (after the command's words) against the command's and the global flags. */
export function parseCommandArgs(command: Command, argv: string[]): Record<string, unknown> {
  const specs: Record<string, FlagSpec> = { ...command.flags, ...GLOBAL_FLAGS };
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [name, { type: spec.type === 'boolean' ? ('boolean' as const) : ('string' as const), ...(spec.short ? { short: spec.short } : {}) }]),
  );
  const hint = `Run "atrium ${command.command} --help" to see its flags.`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message.split('\n')[0]!.replace(/\. To specify a positional.*$/, '') : String(cause);
    const unknown = (cause as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION';
    throw new CliError({ code: unknown ? 'UNKNOWN_FLAG' : 'USAGE', message, hint, cause });
  }
  if (parsed.values.help === true) return { help: true };
  const args: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = parsed.values[name];
    if (raw === undefined) {
      if (spec.default !== undefined) args[name] = spec.default;
      else if (spec.type === 'boolean') args[name] = false;
      else if (spec.required) throw new CliError({ code: 'MISSING_FLAG', message: `--${name} is required`, hint });
      continue;
    }
    if (spec.type === 'number') {
      const n = Number(raw);
      if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n)) throw new CliError({ code: 'USAGE', message: `--${name} must be a number (got "${String(raw)}")`, hint });
      args[name] = n;
    } else args[name] = raw;
  }
  const names = Object.keys(command.positionals);
  if (parsed.positionals.length > names.length) {
    throw new CliError({ code: 'USAGE', message: `unexpected argument "${parsed.positionals[names.length]}"`, hint });
  }
  names.forEach((name, i) => {
    const value = parsed.positionals[i];
    if (value === undefined && command.positionals[name]!.required) throw new CliError({ code: 'MISSING_ARGUMENT', message: `<${name}> is required`, hint });
    args[name] = value;
  });
  return args;
}
