/**
 * @module `CliError`: the one error type the CLI prints, as `✘ ERROR <CODE>: <message>` and a line on how to fix it.
 * Usage errors exit with 2, every other failure with 1.
 */

/** The CLI's error codes (stable: scripts may match on them). Host codes pass through unchanged. */
export const CLI_CODES = {
  USAGE: { exit: 2 },
  UNKNOWN_COMMAND: { exit: 2 },
  UNKNOWN_FLAG: { exit: 2 },
  MISSING_ARGUMENT: { exit: 2 },
  MISSING_FLAG: { exit: 2 },
  CONFIG_INVALID: { exit: 1 },
  PROJECT_NOT_FOUND: { exit: 1 },
  DIRECTORY_NOT_EMPTY: { exit: 1 },
  MANIFEST_INVALID: { exit: 1 },
  LINT_FAILED: { exit: 1 },
  TYPECHECK_FAILED: { exit: 1 },
  BUILD_FAILED: { exit: 1 },
  PACKAGE_INVALID: { exit: 1 },
  PACKAGE_TOO_LARGE: { exit: 1 },
  HOST_UNREACHABLE: { exit: 1 },
  HOST_RESPONSE_INVALID: { exit: 1 },
  NOT_LOGGED_IN: { exit: 1 },
  INTERNAL: { exit: 1 },
} as const;

/** A code the CLI raises itself. */
export type CliCode = keyof typeof CLI_CODES;

/** What a {@link CliError} carries. */
export interface CliErrorOptions {
  /** A CLI code, or a host's problem+json `code`. */
  code: CliCode | (string & {});
  message: string;
  /** One line on how to fix it. */
  hint?: string;
  /** Located problems (`manifest.json: pages[0]: …`), printed one per line. */
  details?: string[];
  cause?: unknown;
  /** @default 2 for usage codes, otherwise 1 */
  exitCode?: 1 | 2;
}

/** An error the CLI reports to the person and exits on. */
export class CliError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: string[];
  readonly exitCode: 1 | 2;

  constructor(options: CliErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.code = options.code;
    this.hint = options.hint;
    this.details = options.details ?? [];
    const known = (CLI_CODES as Record<string, { exit: 1 | 2 }>)[options.code];
    this.exitCode = options.exitCode ?? known?.exit ?? 1;
  }
}

/** Turns anything thrown into a CliError (unknown errors become INTERNAL, keeping the cause). */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CliError({ code: 'INTERNAL', message, hint: 'This is a bug in atrium; run again with ATRIUM_LOG=debug and report the output.', cause: error });
}

/** The lines printed for an error: `✘ ERROR <CODE>: <message>`, the details, then how to fix it. */
export function formatError(error: CliError): string[] {
  const lines = [`✘ ERROR ${error.code}: ${error.message}`];
  for (const d of error.details) lines.push(`  ${d}`);
  if (error.hint) lines.push(`  ${error.hint}`);
  return lines;
}
