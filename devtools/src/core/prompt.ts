/**
 * @module Prompts: asked only on a TTY. Without one (CI, pipes) the command stops and names the flag to pass.
 */
import type { CliIO } from './define-command.ts';
import { CliError } from './errors.ts';

/** What {@link ask} takes. */
export interface AskOptions {
  /** The flag that answers the question without a prompt (named in the error). */
  flag: string;
  question: string;
  /** Offered as the answer when the person just presses Enter. */
  defaultValue?: string;
  /** Returns a message when the answer is not acceptable (the question is asked again). */
  validate?: (value: string) => string | undefined;
}

/** Asks one question on the terminal, or throws MISSING_FLAG when there is none. */
export async function ask(io: CliIO, options: AskOptions): Promise<string> {
  if (!io.isTTY || !io.readLine) {
    throw new CliError({ code: 'MISSING_FLAG', message: `--${options.flag} is required when not running in a terminal`, hint: `Pass --${options.flag} <value>.` });
  }
  for (;;) {
    const suffix = options.defaultValue ? ` (${options.defaultValue})` : '';
    const answer = (await io.readLine(`? ${options.question}${suffix} `)).trim() || options.defaultValue || '';
    const problem = options.validate?.(answer);
    if (!problem) return answer;
    io.stderr(`  ${problem}`);
  }
}
