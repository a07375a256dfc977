/**
 * @module One error type for the whole host: `AtriumError` carries a stable code from the code table.
 */
import { CODES, type ErrorCode } from './codes.ts';

/** A field-level validation problem, as rendered in `errors` of a problem document. */
export interface FieldError {
  path: string;
  message: string;
}

/** Options of {@link AtriumError}. */
export interface AtriumErrorOptions {
  code: ErrorCode;
  /** Human-readable explanation specific to this occurrence. Never contains secrets. */
  detail?: string;
  cause?: unknown;
  /** Extra members of the problem document (e.g. `retryAfter`). */
  extensions?: Record<string, unknown>;
  /** Field errors for `VALIDATION_FAILED`. */
  errors?: FieldError[];
  /** Response headers to add (e.g. `Retry-After`). */
  headers?: Record<string, string>;
}

/**
 * The one error class services throw; the HTTP edge renders it as RFC 9457 problem+json.
 * @example throw new AtriumError({ code: 'AUTH_INVALID_CREDENTIALS' })
 */
export class AtriumError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: Record<string, unknown> | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(options: AtriumErrorOptions) {
    const info = CODES[options.code];
    super(options.detail ?? info.title, { cause: options.cause });
    this.name = 'AtriumError';
    this.code = options.code;
    this.status = info.status;
    this.title = info.title;
    this.detail = options.detail;
    this.extensions = options.extensions;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

/** True when `value` is an {@link AtriumError}, optionally with the given code. */
export function isAtriumError(value: unknown, code?: ErrorCode): value is AtriumError {
  return value instanceof AtriumError && (code === undefined || value.code === code);
}
