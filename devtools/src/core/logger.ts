/**
 * @module The CLI's logger: every line the person sees goes through it. The level comes from `ATRIUM_LOG`
 * (debug | info | warn | error | silent); with `--json` stdout carries only JSON and human lines go to stderr;
 * spinners and progress bars draw only on a TTY.
 */
import type { CliIO } from './define-command.ts';

/** Log levels, quietest last. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** A log level. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A spinner or progress line; `stop` replaces it with a final line (or nothing). */
export interface Activity {
  update(text: string): void;
  stop(finalLine?: string): void;
}

/** The logger handed to commands. */
export interface Logger {
  readonly level: LogLevel;
  readonly json: boolean;
  debug(line: string): void;
  info(line: string): void;
  /** A success line (`✔ …`); name the next step in it. */
  success(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  /** Prints one JSON value on stdout (the only stdout output with `--json`). */
  result(value: unknown): void;
  /** A spinner on a TTY; elsewhere nothing until `stop`. */
  spinner(text: string): Activity;
  /** A progress bar (0..1) on a TTY; elsewhere nothing until `stop`. */
  progress(text: string): Activity & { set(fraction: number): void };
}

/** What {@link createLogger} takes. */
export interface LoggerOptions {
  io: CliIO;
  json: boolean;
  /** @default ATRIUM_LOG from io.env, else 'info' */
  level?: LogLevel;
}

/** Reads `ATRIUM_LOG`; an unknown value falls back to info. */
export function levelFromEnv(env: Record<string, string | undefined>): LogLevel {
  const value = env.ATRIUM_LOG?.toLowerCase();
  return (LOG_LEVELS as readonly string[]).includes(value ?? '') ? (value as LogLevel) : 'info';
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** Creates the logger for one CLI run. */
export function createLogger(options: LoggerOptions): Logger {
  const { io, json } = options;
  const level = options.level ?? levelFromEnv(io.env);
  const rank = (l: LogLevel): number => LOG_LEVELS.indexOf(l);
  const enabled = (l: LogLevel): boolean => rank(l) >= rank(level);
  // Human lines go to stdout unless stdout is reserved for JSON.
  const human = (text: string): void => (json ? io.stderr(text) : io.stdout(text));
  const live = io.isTTY && !json && enabled('info');

  function activity(initial: string, render: (text: string, tick: number) => string): Activity & { set(fraction: number): void } {
    let text = initial;
    let fraction = 0;
    let tick = 0;
    const draw = (): void => io.stderr(`\r\x1b[2K${render(`${text}${fraction ? ` ${bar(fraction)}` : ''}`, tick++)}`);
    const timer = live ? setInterval(draw, 80) : undefined;
    if (live) draw();
    return {
      update(next) {
        text = next;
      },
      set(next) {
        fraction = Math.max(0, Math.min(1, next));
      },
      stop(finalLine) {
        if (timer) {
          clearInterval(timer);
          io.stderr('\r\x1b[2K');
        }
        if (finalLine !== undefined && enabled('info')) human(finalLine);
      },
    };
  }

  return {
    level,
    json,
    debug: (line) => enabled('debug') && io.stderr(`[debug] ${line}`),
    info: (line) => enabled('info') && human(line),
    success: (line) => enabled('info') && human(`✔ ${line}`),
    warn: (line) => enabled('warn') && io.stderr(`▲ WARNING ${line}`),
    error: (line) => enabled('error') && io.stderr(line),
    result: (value) => io.stdout(JSON.stringify(value, null, 2)),
    spinner: (text) => activity(text, (t, i) => `${FRAMES[i % FRAMES.length]} ${t}`),
    progress: (text) => activity(text, (t) => t),
  };
}

/** A 20-cell progress bar with a percentage. */
function bar(fraction: number): string {
  const full = Math.round(fraction * 20);
  return `[${'█'.repeat(full)}${'░'.repeat(20 - full)}] ${Math.round(fraction * 100)}%`;
}
