/**
 * @module The frames of the device's WebSocket (`/v1/ws`) as the shell sees them: the hub's own frames
 * (ready, pong, ack, error) and everything the host pushes about mini-apps (type-only imports of the host's
 * protocol, so nothing of the server is bundled).
 */
import type { UpdateBody } from '../../../src/messaging/views.ts';
import type { AppServerMessage } from '../../../src/sessions/protocol.ts';

/** Close codes of the socket; keep in sync with host/src/realtime/codes.ts. */
export const CLOSE = {
  NORMAL: 1000,
  /** No valid `auth` in time, or the token stopped being valid: refresh, then reconnect. */
  UNAUTHENTICATED: 4401,
  /** This device was signed out: the session is over. */
  DEVICE_REVOKED: 4403,
  /** Too much, too fast, or malformed: reconnect after a pause. */
  POLICY: 4408,
} as const;

/** A request's id; the hub echoes it in the `ack`. */
export type RequestId = number | string;

/** An error as an `ack` carries it. */
export interface SocketErrorBody {
  code: string;
  message: string;
}

/** The answer to `{t:'auth'}`. */
export interface ReadyFrame {
  t: 'ready';
  id?: RequestId;
  userId: string;
  deviceId: string;
  expiresAt: number;
}

/** The answer to `{t:'ping'}`. */
export interface PongFrame {
  t: 'pong';
  id?: RequestId;
}

/** The answer to a request that carried an `id`. */
export type AckFrame = { t: 'ack'; id?: RequestId; ok: true; result: unknown } | { t: 'ack'; id?: RequestId; ok: false; error: SocketErrorBody };

/** A frame the hub could not read at all. */
export interface ErrorFrame {
  t: 'error';
  code: string;
  message: string;
}

/** A chat update pushed as it commits (see host/src/messaging/sync.ts). */
export interface ChatUpdateFrame {
  t: 'chat.update';
  seq: number;
  cseq?: number;
  pseq?: number;
  update: UpdateBody;
}

/** Someone in a conversation is typing (ephemeral). */
export interface ChatTypingFrame {
  t: 'chat.typing';
  conversationId: string;
  userId: string;
}

/** The person's wallet moved (a payment, a refund, a hold awaiting confirmation): refetch what is on screen. */
export interface WalletUpdateFrame {
  t: 'wallet.update';
}

/** Every frame the host sends. */
export type ServerFrame = ReadyFrame | PongFrame | AckFrame | ErrorFrame | AppServerMessage | ChatUpdateFrame | ChatTypingFrame | WalletUpdateFrame;

/** The `t` of a server frame. */
export type ServerFrameType = ServerFrame['t'];

/** The frame of type `T`. */
export type FrameOf<T extends ServerFrameType> = Extract<ServerFrame, { t: T }>;

/** A failed or unanswered socket request. */
export class SocketError extends Error {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'SocketError';
    this.code = code;
  }
}

/** The request was not answered in time. */
export const SOCKET_TIMEOUT = 'SOCKET_TIMEOUT';
/** The socket closed (or the tab signed out) before the answer came. */
export const SOCKET_CLOSED = 'SOCKET_CLOSED';

/** Reads one text frame; anything that is not an object with a string `t` is dropped. */
export function parseFrame(data: unknown): ServerFrame | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(data);
    if (value && typeof value === 'object' && typeof (value as { t?: unknown }).t === 'string') return value as ServerFrame;
  } catch {
    // Not JSON: ignore it.
  }
  return undefined;
}
