/**
 * @module `AtriumError`: what a bridge promise rejects with — `{ code, message }` and a stack for debugging.
 * Codes are API (never renamed or reused); the same code crosses the runtime, the host and the shell.
 */

/**
 * Codes the SDK itself produces. The runtime and the host add theirs (see the README's error table), e.g.
 * `PERMISSION_DENIED`, `STORAGE_QUOTA_EXCEEDED`, `NAVIGATION_STACK_FULL`, `RATE_LIMITED`.
 */
export const SDK_CODES = {
  INVALID_ARGUMENT: 'The arguments are not JSON or do not fit the API',
  CANCELLED: 'The person cancelled (action sheet, scanner)',
  APP_ERROR: 'A hook, handler or render of the app threw',
  PAGE_NOT_FOUND: 'The app has no such page, or the page id is not open',
  EVENT_HANDLER_UNKNOWN: 'The page has no handler with that name',
  BAD_MESSAGE: 'The runtime sent a message the guest does not understand',
  NOT_STARTED: 'atrium.* was used before startApp ran',
} as const;

/** A code produced by the SDK. */
export type SdkCode = keyof typeof SDK_CODES;

/**
 * The error a bridge call rejects with.
 * @example
 * try { await atrium.getUserProfile(); }
 * catch (error) { if (error instanceof AtriumError && error.code === 'PERMISSION_DENIED') showWhyWeAsk(); }
 */
export class AtriumError extends Error {
  readonly code: string;
  constructor(code: string, message?: string) {
    super(message ?? (Object.hasOwn(SDK_CODES, code) ? SDK_CODES[code as SdkCode] : code));
    this.name = 'AtriumError';
    this.code = code;
  }

  /** The wire form `{ code, message }`. */
  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** True for an `AtriumError` or anything shaped `{ code: string, message: string }`. */
export function isAtriumError(value: unknown): value is { code: string; message: string } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string' && typeof (value as { message?: unknown }).message === 'string';
}
