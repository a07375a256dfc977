/**
 * @module `ApiError`: a failed API call, carrying the problem document's stable `code`.
 */
import type { FieldError, Problem } from './types.ts';

/** A code the shell itself uses when no answer came back. */
export const NETWORK_ERROR = 'NETWORK_ERROR';

/** A failed API call: the HTTP status and the problem's code, title, detail, field errors and wait time. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  /** Seconds to wait before trying again (`RATE_LIMITED`). */
  readonly retryAfter: number | undefined;
  /** Tries left before payments lock (`WALLET_PIN_INCORRECT`). */
  readonly attemptsLeft: number | undefined;

  constructor(status: number, problem: Problem, options?: { cause?: unknown }) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.retryAfter = typeof problem.retryAfter === 'number' ? problem.retryAfter : undefined;
    this.attemptsLeft = typeof problem.attemptsLeft === 'number' ? problem.attemptsLeft : undefined;
  }

  /** Reads the problem document of a failed response (or makes one from its status). */
  static async fromResponse(response: Response): Promise<ApiError> {
    let problem: Problem = {};
    try {
      const type = response.headers.get('content-type') ?? '';
      if (type.includes('json')) problem = (await response.json()) as Problem;
    } catch {
      // A body that is not JSON: keep the status alone.
    }
    if (problem.retryAfter === undefined) {
      const header = Number(response.headers.get('retry-after'));
      if (Number.isFinite(header) && header > 0) problem.retryAfter = header;
    }
    return new ApiError(response.status, problem);
  }

  /** The request never got an answer (offline, server down). */
  static network(cause: unknown): ApiError {
    return new ApiError(0, { code: NETWORK_ERROR, title: 'The network is not reachable' }, { cause });
  }
}

/** True for the abort of a request the shell cancelled itself. */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** True when `error` is an `ApiError` with one of `codes`. */
export function hasCode(error: unknown, ...codes: string[]): error is ApiError {
  return error instanceof ApiError && codes.includes(error.code);
}
