/**
 * @module The host's structured JSON logger (pino). Lines are buffered off the request path and flushed
 * at least every `flushMs`, and at exit.
 */
import pino, { type Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** @default 'info' (from `ATRIUM_LOG` in main.ts) */
  level?: string;
  /** A file descriptor or path. @default 1 (stdout) */
  destination?: number | string;
  /** @default 1000 */
  flushMs?: number;
}

/**
 * Creates the logger every request's child logger derives from.
 * @example const logger = createLogger({ level: 'debug' });
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const destination = pino.destination({ dest: options.destination ?? 1, sync: false, minLength: 4096 });
  const timer = setInterval(() => destination.flush(), options.flushMs ?? 1000);
  timer.unref();
  process.once('beforeExit', () => destination.flushSync());
  return pino({ level: options.level ?? 'info', base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
