/**
 * @module The realtime hub: one WebSocket per device carries mini-app patches now, chat and payment updates
 * later. A socket authenticates with its first message (`{t:'auth', token}`: browsers cannot set headers on a
 * WebSocket), may re-authenticate after a refresh, and is closed at once when its device is revoked.
 * Delivery goes through the bus, so the process holding a socket delivers wherever the message came from.
 */
import type { WSContext } from 'hono/ws';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Bus } from '../bus/bus.ts';
import { isAtriumError } from '../core/errors.ts';
import type { Caller } from '../identity/service.ts';
import { DEVICE_REVOKED } from '../identity/service.ts';
import { parseWithoutPrototypeKeys } from '../../../runtime/src/bridge/json.ts';
import { CLOSE } from './codes.ts';

/** A message handler for one incoming type; its result (if any) is sent back as `{t:'ack', id, ok, result}`. */
export type SocketHandler<T> = (message: T, caller: Caller) => Promise<unknown> | unknown;

/** Options of {@link SocketHub}. */
export interface SocketHubOptions {
  bus: Bus;
  logger: Logger;
  authenticate: (token: string) => Promise<Caller>;
  /** @default 10_000 */
  authTimeoutMs?: number;
  /** Messages per second per socket before it is closed. @default 50 */
  maxMessagesPerSecond?: number;
  /** @default 256 KiB */
  maxMessageBytes?: number;
}

interface Connection {
  ws: WSContext;
  /** The `ws` socket under hono's wrapper and its TCP stream, for prepared frames (see `sendLocalToUser`). */
  raw: { readyState: number; _socket?: { writable: boolean; write(bytes: Buffer): boolean } } | undefined;
  caller: Caller | undefined;
  authTimer: NodeJS.Timeout | undefined;
  windowStart: number;
  messages: number;
  /** Prepared frames waiting for this turn's flush (see `sendLocalToUser`), in order. */
  pending: Buffer[] | undefined;
}

/** What hono's `upgradeWebSocket` is given for one socket; `onMessage` is dropped once the hub listens on `ws` itself. */
type SocketEvents = { onOpen: (e: Event, ws: WSContext) => void; onMessage?: (e: MessageEvent, ws: WSContext) => void; onClose: (e: CloseEvent, ws: WSContext) => void };

const DELIVER = 'realtime.deliver';

/**
 * Owns the sockets of this process, indexed by device and by person, so delivering to someone costs
 * O(their sockets), not O(all sockets).
 */
export class SocketHub {
  readonly #o: Required<SocketHubOptions>;
  readonly #byDevice = new Map<string, Set<Connection>>();
  readonly #byUser = new Map<string, Set<Connection>>();
  /** `accepts`, when given, is a quick check that passes only messages `schema` accepts as they are; the rest go to the schema. */
  readonly #handlers = new Map<string, { schema: z.ZodType; handler: SocketHandler<never>; accepts: ((message: Record<string, unknown>) => boolean) | undefined }>();
  readonly #unsubscribe: Array<() => void> = [];
  /** Connections with pending prepared frames, flushed together after this turn's I/O. */
  #dirty: Connection[] = [];
  #flushScheduled = false;

  constructor(options: SocketHubOptions) {
    this.#o = { authTimeoutMs: 10_000, maxMessagesPerSecond: 50, maxMessageBytes: 256 * 1024, ...options };
    this.#unsubscribe.push(
      options.bus.subscribe(DEVICE_REVOKED, (event) => this.#closeDevice((event as { deviceId: string }).deviceId, CLOSE.DEVICE_REVOKED, 'device signed out')),
      options.bus.subscribe(DELIVER, (event) => this.#deliverLocal(event as Delivery)),
    );
  }

  /**
   * Handles messages `{ t: type, id?, ...}` validated by `schema` (which should include `t`).
   * @example hub.on('app.event', AppEventSchema, (msg, caller) => sessions.event(caller, msg));
   */
  on<S extends z.ZodType>(type: string, schema: S, handler: SocketHandler<z.infer<S>>, accepts?: (message: Record<string, unknown>) => boolean): void {
    this.#handlers.set(type, { schema, handler: handler as SocketHandler<never>, accepts });
  }

  /** Sends `message` to every socket of the device, in whichever process holds it. */
  sendToDevice(deviceId: string, message: unknown): void {
    this.#o.bus.publish(DELIVER, { deviceId, message });
  }

  /** Sends `message` to every socket of every device of the person. */
  sendToUser(userId: string, message: unknown): void {
    this.sendToUsers([userId], message);
  }

  /** Sends `message` to every socket of each of these people: one bus event for all of them. */
  sendToUsers(userIds: readonly string[], message: unknown): void {
    if (userIds.length > 0) this.#o.bus.publish(DELIVER, { userIds, message });
  }

  /**
   * Writes a message to the sockets this process holds for the person (no bus hop): for domains that fan out
   * through their own bus topic and deliver where the sockets are. Returns how many sockets.
   *
   * A {@link PreparedFrame} made once for many people goes straight to each socket's TCP stream, instead of
   * through ws's header + payload writev and UTF-8 encoding per socket, which at group fan-out was most of the
   * host's cost. Safe because the server does not negotiate permessage-deflate (ws's server default), so ws
   * never holds frames back in a queue a direct write could overtake; once the stream closes it is skipped.
   *
   * Prepared frames are written once this turn's I/O has been handled (`setImmediate`), all of a socket's
   * frames in one write: the kernel's cost of a write to a socket (~12 µs on this VM, most of a delivery) is
   * then paid once per socket per turn instead of once per frame. When the host keeps up, a turn carries one
   * update per socket and nothing waits; under a burst, updates to the same person share a write (what
   * nats-server does with a client's outbound buffer). Anything else sent to the socket flushes its pending
   * frames first, so a socket's messages keep their order.
   */
  sendLocalToUser(userId: string, frame: string | PreparedFrame): number {
    const set = this.#byUser.get(userId);
    if (!set) return 0;
    let sent = 0;
    for (const c of set) {
      if (typeof frame !== 'string' && c.raw?.readyState === 1 && c.raw._socket?.writable) this.#queue(c, frame.bytes);
      else if (c.ws.readyState === 1) this.#sendText(c, typeof frame === 'string' ? frame : frame.text);
      else continue;
      sent++;
    }
    return sent;
  }

  /** True when this process holds an authenticated socket of the person. */
  hasLocalUser(userId: string): boolean {
    return this.#byUser.has(userId);
  }

  /** How many authenticated sockets this process holds. */
  get size(): number {
    let n = 0;
    for (const set of this.#byDevice.values()) n += set.size;
    return n;
  }

  /** The event handlers for one upgraded socket (hono's `upgradeWebSocket`). */
  events(): SocketEvents {
    let connection: Connection | undefined;
    const events: SocketEvents = {
      onOpen: (_event: Event, ws: WSContext): void => {
        connection = { ws, raw: ws.raw as Connection['raw'], caller: undefined, windowStart: Date.now(), messages: 0, authTimer: undefined, pending: undefined };
        const c = connection;
        c.authTimer = setTimeout(() => this.#close(c, CLOSE.UNAUTHENTICATED, 'authenticate first'), this.#o.authTimeoutMs);
        // Under @hono/node-server, listen on the `ws` socket itself: the adapter's path builds an undici
        // MessageEvent (and copies the bytes) per message, ~15% of a tap's time in the host. Only a client that
        // sends before the upgrade's answer could lose a frame to the switch, and it would be its first, the auth.
        const raw = ws.raw as { on?: (event: 'message', listener: (data: Buffer, isBinary: boolean) => void) => void } | undefined;
        if (typeof raw?.on === 'function') {
          delete events.onMessage;
          raw.on('message', (data, isBinary) => void this.#receive(c, isBinary || !Buffer.isBuffer(data) ? data : data.toString('utf8')));
        }
      },
      onMessage: (event: MessageEvent): void => {
        if (connection) void this.#receive(connection, event.data);
      },
      onClose: (): void => {
        if (connection) this.#forget(connection);
      },
    };
    return events;
  }

  /** Closes every socket (shutdown). */
  close(): void {
    for (const off of this.#unsubscribe) off();
    for (const set of this.#byDevice.values()) for (const c of set) this.#close(c, CLOSE.GOING_AWAY, 'server shutting down');
    this.#byDevice.clear();
    this.#byUser.clear();
  }

  async #receive(c: Connection, data: unknown): Promise<void> {
    const now = Date.now();
    if (now - c.windowStart >= 1000) {
      c.windowStart = now;
      c.messages = 0;
    }
    if (++c.messages > this.#o.maxMessagesPerSecond) return this.#close(c, CLOSE.POLICY, 'too many messages');
    if (typeof data !== 'string' || data.length > this.#o.maxMessageBytes) return this.#close(c, CLOSE.POLICY, 'text frames only, 256 KiB at most');
    let message: { t?: unknown; id?: unknown; token?: unknown };
    try {
      message = parseWithoutPrototypeKeys(data) as typeof message;
    } catch {
      return this.#send(c, { t: 'error', code: 'SOCKET_MESSAGE_INVALID', message: 'Not JSON.' });
    }
    if (message === null || typeof message !== 'object') return this.#send(c, { t: 'error', code: 'SOCKET_MESSAGE_INVALID', message: 'Not a JSON object.' });
    const id = typeof message.id === 'number' || typeof message.id === 'string' ? message.id : undefined;
    if (message.t === 'auth') return this.#auth(c, message.token, id);
    if (message.t === 'ping') return this.#send(c, { t: 'pong', id });
    if (!c.caller) return this.#close(c, CLOSE.UNAUTHENTICATED, 'authenticate first');
    const entry = typeof message.t === 'string' ? this.#handlers.get(message.t) : undefined;
    if (!entry) return this.#send(c, { t: 'ack', id, ok: false, error: { code: 'SOCKET_MESSAGE_INVALID', message: `Unknown message type.` } });
    let input: unknown = message;
    if (!entry.accepts?.(message as Record<string, unknown>)) {
      const parsed = entry.schema.safeParse(message);
      if (!parsed.success) {
        const detail = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
        return this.#send(c, { t: 'ack', id, ok: false, error: { code: 'SOCKET_MESSAGE_INVALID', message: detail } });
      }
      input = parsed.data;
    }
    try {
      const result = await entry.handler(input as never, c.caller);
      if (id !== undefined) this.#send(c, { t: 'ack', id, ok: true, result: result ?? null });
    } catch (error) {
      if (isAtriumError(error)) return this.#send(c, { t: 'ack', id, ok: false, error: { code: error.code, message: error.detail ?? error.title } });
      this.#o.logger.error({ err: error, type: message.t }, 'socket handler failed');
      this.#send(c, { t: 'ack', id, ok: false, error: { code: 'INTERNAL', message: 'Internal error' } });
    }
  }

  async #auth(c: Connection, token: unknown, id: string | number | undefined): Promise<void> {
    if (typeof token !== 'string' || token.length > 4096) return this.#close(c, CLOSE.UNAUTHENTICATED, 'a token is required');
    let caller: Caller;
    try {
      caller = await this.#o.authenticate(token);
    } catch (error) {
      const code = isAtriumError(error) ? error.code : 'UNAUTHENTICATED';
      return this.#close(c, code === 'AUTH_DEVICE_REVOKED' ? CLOSE.DEVICE_REVOKED : CLOSE.UNAUTHENTICATED, code);
    }
    if (c.caller && c.caller.deviceId !== caller.deviceId) return this.#close(c, CLOSE.POLICY, 'a socket belongs to one device');
    clearTimeout(c.authTimer);
    if (!c.caller) {
      addTo(this.#byDevice, caller.deviceId, c);
      addTo(this.#byUser, caller.userId, c);
    }
    c.caller = caller;
    // Close the socket when this token expires unless the client re-authenticates with a fresh one.
    c.authTimer = setTimeout(() => this.#close(c, CLOSE.UNAUTHENTICATED, 'token expired'), Math.max(0, caller.expiresAt - Date.now()));
    this.#send(c, { t: 'ready', id, userId: caller.userId, deviceId: caller.deviceId, expiresAt: caller.expiresAt });
  }

  #deliverLocal(event: Delivery): void {
    const targets = new Set<Connection>(event.deviceId ? this.#byDevice.get(event.deviceId) : undefined);
    for (const userId of event.userIds ?? []) for (const c of this.#byUser.get(userId) ?? []) targets.add(c);
    if (targets.size === 0) return;
    const frame = JSON.stringify(event.message);
    for (const c of targets) if (c.ws.readyState === 1) this.#sendText(c, frame);
  }

  #closeDevice(deviceId: string, code: number, reason: string): void {
    for (const c of this.#byDevice.get(deviceId) ?? []) this.#close(c, code, reason);
  }

  #forget(c: Connection): void {
    c.pending = undefined;
    clearTimeout(c.authTimer);
    if (!c.caller) return;
    removeFrom(this.#byDevice, c.caller.deviceId, c);
    removeFrom(this.#byUser, c.caller.userId, c);
  }

  #send(c: Connection, message: unknown): void {
    if (c.ws.readyState === 1) this.#sendText(c, JSON.stringify(message));
  }

  /** Sends through ws, after the socket's pending prepared frames. */
  #sendText(c: Connection, text: string): void {
    this.#flush(c);
    c.ws.send(text);
  }

  /** Closes after the socket's pending prepared frames. */
  #close(c: Connection, code: number, reason: string): void {
    this.#flush(c);
    c.ws.close(code, reason);
  }

  #queue(c: Connection, bytes: Buffer): void {
    if (c.pending) {
      c.pending.push(bytes);
      return;
    }
    c.pending = [bytes];
    this.#dirty.push(c);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(this.#flushAll);
    }
  }

  readonly #flushAll = (): void => {
    this.#flushScheduled = false;
    const dirty = this.#dirty;
    this.#dirty = [];
    for (const c of dirty) this.#flush(c);
  };

  #flush(c: Connection): void {
    const pending = c.pending;
    if (!pending) return;
    c.pending = undefined;
    const stream = c.raw?._socket;
    if (c.raw?.readyState === 1 && stream?.writable) stream.write(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
  }
}

/** What the hub publishes on the bus for {@link SocketHub.sendToDevice} and friends: whom, and what. */
interface Delivery {
  deviceId?: string;
  userIds?: readonly string[];
  message: unknown;
}

/** A text message framed once (RFC 6455 §5.2: server frames are unmasked, so every socket gets the same bytes). */
export interface PreparedFrame {
  readonly text: string;
  readonly bytes: Buffer;
}

/**
 * Frames `text` once for sending to many sockets.
 * @example const frame = prepareFrame(JSON.stringify(update)); for (const id of members) hub.sendLocalToUser(id, frame);
 */
export function prepareFrame(text: string): PreparedFrame {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x81, length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65_536) {
    header[0] = 0x81;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65_536) {
    header[0] = 0x81;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return { text, bytes: Buffer.concat([header, payload]) };
}


function addTo(index: Map<string, Set<Connection>>, key: string, c: Connection): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(c);
}

function removeFrom(index: Map<string, Set<Connection>>, key: string, c: Connection): void {
  const set = index.get(key);
  set?.delete(c);
  if (set?.size === 0) index.delete(key);
}
