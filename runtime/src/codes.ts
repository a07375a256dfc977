/** @module The runtime's error codes: the same `{ code, message }` crosses to the guest, the host and the shell. */

/** Every code the runtime produces, with a short title. Codes are API: never rename or reuse one. */
export const RUNTIME_CODES = {
  TIMEOUT: { title: 'The app took too long to respond' },
  CPU_BUDGET_EXCEEDED: { title: 'The app used more CPU than it is allowed' },
  MEMORY_LIMIT: { title: 'The app used more memory than it is allowed' },
  SESSION_CRASHED: { title: 'The app stopped and must be reloaded' },
  SESSION_NOT_FOUND: { title: 'No such session' },
  SESSION_EXISTS: { title: 'A session with this id is already running' },
  APP_ERROR: { title: 'The app threw an error' },
  APP_NOT_REGISTERED: { title: 'The app bundle did not register a dispatcher' },
  APP_BAD_OUTPUT: { title: 'The app answered with something that is not a valid message' },
  PAYLOAD_TOO_LARGE: { title: 'The message is too large' },
  INVALID_ARGUMENT: { title: 'The arguments are not valid' },
  UNKNOWN_API: { title: 'No such bridge API' },
  PERMISSION_DENIED: { title: 'The app has not declared or been granted this permission' },
  RATE_LIMITED: { title: 'Too many requests; slow down' },
  NAVIGATION_STACK_FULL: { title: 'Too many pages are open' },
  PAGE_NOT_FOUND: { title: 'The app has no such page' },
  EVENT_HANDLER_UNKNOWN: { title: 'The page has no such event handler' },
  VIEW_INVALID: { title: 'The view tree is not valid' },
  PATCH_TOO_LARGE: { title: 'The view update is too large' },
  BRIDGE_TIMEOUT: { title: 'The bridge call took too long' },
  BRIDGE_FAILED: { title: 'The bridge call failed' },
  RUNTIME_RESTARTED: { title: 'The runtime restarted; the session must be re-created' },
  RUNTIME_UNAVAILABLE: { title: 'The runtime is not running' },
  SUBPACKAGE_UNAVAILABLE: { title: 'The sub-package holding this page could not be loaded' },
  BUNDLE_NOT_LOADED: { title: 'The runtime does not hold this app version\'s code; send it again' },
  INTERNAL: { title: 'Internal runtime error' },
} as const;

/** A runtime error code. */
export type RuntimeCode = keyof typeof RUNTIME_CODES;

/** The only error shape that crosses a boundary (never an Error object, never a stack). */
export interface RuntimeFailure {
  code: string;
  message: string;
}

/** Builds a `{ code, message }`, defaulting the message to the code's title and capping its length. */
export function failure(code: RuntimeCode, message?: string): RuntimeFailure {
  const text = message ?? RUNTIME_CODES[code].title;
  return { code, message: text.length > 1000 ? `${text.slice(0, 997)}...` : text };
}

/** Thrown inside the runtime process to carry a code to the edge, where it becomes a `RuntimeFailure`. */
export class RuntimeError extends Error {
  readonly code: RuntimeCode;
  constructor(code: RuntimeCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? RUNTIME_CODES[code].title, options);
    this.name = 'RuntimeError';
    this.code = code;
  }
  /** The wire form: code and message only. */
  toFailure(): RuntimeFailure {
    return failure(this.code, this.message);
  }
}

/** Converts anything thrown inside the runtime into a `RuntimeFailure` without leaking stacks or paths. */
export function toFailure(error: unknown): RuntimeFailure {
  if (error instanceof RuntimeError) return error.toFailure();
  return failure('INTERNAL');
}
