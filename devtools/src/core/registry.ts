/**
 * @module The command registry: finds a command from argv's leading words (`build`, `versions rollback`) and
 * generates help from every command's metadata.
 */
import { GLOBAL_FLAGS, type Command, type FlagSpec } from './define-command.ts';
import { CliError } from './errors.ts';

/** The commands of the CLI. */
export interface Registry {
  readonly commands: readonly Command[];
  /** Finds the command named by argv's leading words; returns it and the remaining argv. */
  resolve(argv: string[]): { command: Command; rest: string[] };
  /** The help for the whole CLI, or for the commands under a noun. */
  overview(version: string, noun?: string): string;
  /** The help for one command. */
  commandHelp(command: Command): string;
}

/** Creates a registry; duplicate command words are a programming error. */
export function createRegistry(commands: readonly Command[]): Registry {
  const byWords = new Map<string, Command>();
  for (const c of commands) {
    if (byWords.has(c.command)) throw new TypeError(`duplicate command "${c.command}"`);
    byWords.set(c.command, c);
  }
  const nouns = new Set(commands.filter((c) => c.command.includes(' ')).map((c) => c.command.split(' ')[0]!));

  return {
    commands,
    resolve(argv) {
      const [first, second] = argv;
      if (first !== undefined && second !== undefined && byWords.has(`${first} ${second}`)) return { command: byWords.get(`${first} ${second}`)!, rest: argv.slice(2) };
      if (first !== undefined && byWords.has(first)) return { command: byWords.get(first)!, rest: argv.slice(1) };
      if (first !== undefined && nouns.has(first)) {
        const verbs = commands.filter((c) => c.command.startsWith(`${first} `)).map((c) => c.command.split(' ')[1]);
        const message = second === undefined || second.startsWith('-') ? `"atrium ${first}" needs a subcommand` : `"${second}" is not an "atrium ${first}" subcommand`;
        throw new CliError({ code: 'UNKNOWN_COMMAND', message, hint: `Use one of: ${verbs.join(', ')} (run "atrium help ${first}").` });
      }
      if (first?.startsWith('-')) throw new CliError({ code: 'USAGE', message: `"${first}" needs a command before it`, hint: 'Usage: atrium <command> [flags]. Run "atrium help" to see the commands.' });
      const suggestion = closest(first ?? '', [...new Set(commands.map((c) => c.command.split(' ')[0]!))]);
      throw new CliError({
        code: 'UNKNOWN_COMMAND',
        message: `"${first}" is not an atrium command`,
        hint: suggestion ? `Did you mean "atrium ${suggestion}"? Run "atrium help" to see the commands.` : 'Run "atrium help" to see the commands.',
      });
    },
    overview(version, noun) {
      if (noun !== undefined) {
        const under = commands.filter((c) => c.command.startsWith(`${noun} `));
        return [`atrium ${noun}`, '', 'Commands:', ...table(under.map((c) => [`atrium ${usageWords(c)}`, c.summary])), '', 'Global flags:', ...flagTable(GLOBAL_FLAGS), ''].join('\n');
      }
      const lifecycle = commands.filter((c) => !c.command.includes(' '));
      const nounRows = [...nouns].map((n) => [`atrium ${n}`, commands.filter((c) => c.command.startsWith(`${n} `)).map((c) => c.command.split(' ')[1]).join(' | ')] as [string, string]);
      return [
        `atrium ${version} — create, build, preview and publish Atrium mini-programs`,
        '',
        'Usage: atrium <command> [flags]',
        '',
        'Commands:',
        ...table(lifecycle.map((c) => [`atrium ${usageWords(c)}`, c.summary])),
        ...(nounRows.length ? ['', 'Resources:', ...table(nounRows)] : []),
        '',
        'Global flags:',
        ...flagTable(GLOBAL_FLAGS),
        '',
        'Run "atrium <command> --help" for a command\'s flags.',
        '',
      ].join('\n');
    },
    commandHelp(c) {
      const lines = [`atrium ${usageWords(c)}${Object.keys(c.flags).length ? ' [flags]' : ''}`, '', c.summary + '.'];
      if (c.description) lines.push('', c.description);
      const positionals = Object.entries(c.positionals);
      if (positionals.length) lines.push('', 'Arguments:', ...table(positionals.map(([name, spec]) => [spec.required ? `<${name}>` : `[${name}]`, spec.description])));
      if (Object.keys(c.flags).length) lines.push('', 'Flags:', ...flagTable(c.flags));
      lines.push('', 'Global flags:', ...flagTable(GLOBAL_FLAGS));
      if (c.examples.length) lines.push('', 'Examples:', ...table(c.examples.map((e) => [e.command, e.description])));
      lines.push('');
      return lines.join('\n');
    },
  };
}

function usageWords(c: Command): string {
  const positionals = Object.entries(c.positionals).map(([name, spec]) => (spec.required ? `<${name}>` : `[${name}]`));
  return [c.command, ...positionals].join(' ');
}

function flagTable(flags: Record<string, FlagSpec>): string[] {
  return table(
    Object.entries(flags).map(([name, spec]) => {
      const value = spec.type === 'boolean' ? '' : ` <${spec.valueName ?? (spec.type === 'number' ? 'N' : 'value')}>`;
      const short = spec.short ? `-${spec.short}, ` : '    ';
      const extra = [spec.required ? 'required' : '', spec.default !== undefined && spec.type !== 'boolean' ? `default: ${String(spec.default)}` : ''].filter(Boolean).join(', ');
      return [`${short}--${name}${value}`, extra ? `${spec.description} [${extra}]` : spec.description];
    }),
  );
}

function table(rows: Array<[string, string]>): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`);
}

/** The nearest word by edit distance (≤ 2), for "did you mean". */
function closest(word: string, candidates: string[]): string | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const c of candidates) {
    const d = distance(word, c);
    if (d <= 2 && (!best || d < best.distance)) best = { word: c, distance: d };
  }
  return best?.word;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
