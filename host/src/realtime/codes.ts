/**
 * @module Close codes and error codes of the realtime socket.
 */
import type { CodeInfo } from '../core/codes.ts';

/** WebSocket close codes (4000–4999 are ours). */
export const CLOSE = {
  NORMAL: 1000,
  GOING_AWAY: 1001,
  /** No valid `auth` in time, or the token stopped being valid. */
  UNAUTHENTICATED: 4401,
  /** The device was signed out. */
  DEVICE_REVOKED: 4403,
  /** The client sent too much, too fast, or malformed frames. */
  POLICY: 4408,
} as const;

export const REALTIME_CODES = {
  SOCKET_MESSAGE_INVALID: { status: 400, title: 'The socket message is not valid' },
  SOCKET_RATE_LIMITED: { status: 429, title: 'Too many socket messages' },
} as const satisfies Record<string, CodeInfo>;
