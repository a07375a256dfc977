/**
 * @module The tab's one WebSocket to `/v1/ws`: authenticates with the access token on open (and again after
 * each refresh), keeps alive with pings, reconnects with back-off, matches requests to their `ack` with a
 * timeout, and hands pushed frames to subscribers by type.
 */
import { backoff } from '../lib/sleep.ts';
import { createStore, type Store } from '../state/store.ts';
import { CLOSE, parseFrame, SOCKET_CLOSED, SOCKET_TIMEOUT, SocketError, type FrameOf, type RequestId, type ServerFrame, type ServerFrameType } from './messages.ts';

/** Where the socket stands: `ready` once authenticated; `offline` while waiting to reconnect. */
export type SocketStatus = 'stopped' | 'connecting' | 'ready' | 'offline';

/** Options of {@link RealtimeSocket}. */
export interface RealtimeSocketOptions {
  /** The socket's address, e.g. `wss://atrium.example/v1/ws`. */
  url: () => string;
  /** The current access token; none means "not signed in", so the socket waits. */
  token: () => string | undefined;
  /** Called with 4401 (the token was refused: refresh it) and 4403 (this device was signed out). */
  onAuthClose?: (code: typeof CLOSE.UNAUTHENTICATED | typeof CLOSE.DEVICE_REVOKED) => void | Promise<void>;
  /** @default globalThis.WebSocket */
  WebSocket?: new (url: string) => WebSocket;
  /** @default 25_000 */
  pingMs?: number;
  /** A ping unanswered this long drops the connection. @default 10_000 */
  pongTimeoutMs?: number;
  /** @default 10_000 */
  requestTimeoutMs?: number;
  /** Frames per second sent at most; more wait for the next second (the hub closes a socket above 50). @default 40 */
  maxFramesPerSecond?: number;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A reconnecting, authenticated WebSocket. */
export class RealtimeSocket {
  /** The connection's state, for banners and for polling only while disconnected. */
  readonly status: Store<SocketStatus> = createStore<SocketStatus>('stopped');
  readonly #o: Required<Omit<RealtimeSocketOptions, 'onAuthClose'>> & Pick<RealtimeSocketOptions, 'onAuthClose'>;
  #ws: WebSocket | undefined;
  #running = false;
  #attempt = 0;
  #nextId = 1;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pending = new Map<RequestId, Pending>();
  readonly #listeners = new Map<string, Set<(frame: never) => void>>();
  readonly #connected = new Set<() => void>();
  #windowStart = 0;
  #windowCount = 0;
  readonly #backlog: string[] = [];
  #backlogTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RealtimeSocketOptions) {
    this.#o = { WebSocket: globalThis.WebSocket, pingMs: 25_000, pongTimeoutMs: 10_000, requestTimeoutMs: 10_000, maxFramesPerSecond: 40, ...options };
  }

  /** Connects (if not already) and stays connected until {@link stop}. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    this.#open();
  }

  /** Closes the socket and fails the requests still waiting. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    this.#drop(CLOSE.NORMAL, 'signed out');
    this.status.set('stopped');
  }

  /** Sends the fresh token on the open socket (after a refresh), so the hub does not close it at expiry. */
  reauthenticate(): void {
    const token = this.#o.token();
    if (token && this.#ws?.readyState === 1) this.#transmit(JSON.stringify({ t: 'auth', id: this.#id(), token }));
  }

  /** Reconnects now rather than after the back-off (the tab came back online or became visible). */
  nudge(): void {
    if (!this.#running || this.status.get() !== 'offline') return;
    clearTimeout(this.#retryTimer);
    this.#open();
  }

  /**
   * Sends `message` with a fresh `id` and resolves with the `ack`'s result (rejects with a {@link SocketError}
   * carrying the ack's code, `SOCKET_TIMEOUT` or `SOCKET_CLOSED`). Waits for the connection when it is down.
   * @example const launched = await socket.request<LaunchResult>({ t: 'app.launch', appId: 'dev.atrium.todo' });
   */
  async request<T>(message: { t: string } & Record<string, unknown>, timeoutMs = this.#o.requestTimeoutMs): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    await this.#whenReady(timeoutMs);
    const id = this.#id();
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SocketError(SOCKET_TIMEOUT, `No answer to ${message.t} in time.`));
      }, Math.max(0, deadline - Date.now()));
      this.#pending.set(id, { resolve: resolve as (result: unknown) => void, reject, timer });
      this.#transmit(JSON.stringify({ ...message, id }));
    });
  }

  /** Sends `message` without waiting for an answer; false when the socket is not ready (the message is dropped). */
  send(message: { t: string } & Record<string, unknown>): boolean {
    if (this.status.get() !== 'ready' || this.#ws?.readyState !== 1) return false;
    this.#transmit(JSON.stringify(message));
    return true;
  }

  /** Sends a frame now, or in the next second when this one's budget is spent (in order). */
  #transmit(frame: string): void {
    const now = Date.now();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#windowCount = 0;
    }
    if (this.#backlog.length === 0 && this.#windowCount < this.#o.maxFramesPerSecond) {
      this.#windowCount++;
      this.#ws?.send(frame);
      return;
    }
    this.#backlog.push(frame);
    this.#backlogTimer ??= setTimeout(() => {
      this.#backlogTimer = undefined;
      const waiting = this.#backlog.splice(0);
      for (const next of waiting) this.#transmit(next);
    }, Math.max(0, this.#windowStart + 1000 - now));
  }

  /**
   * Calls `listener` with each pushed frame of type `t`; returns the unsubscribe function.
   * @example socket.subscribe('app.patch', (frame) => mirror.apply(frame.patches));
   */
  subscribe<T extends ServerFrameType>(t: T, listener: (frame: FrameOf<T>) => void): () => void {
    let set = this.#listeners.get(t);
    if (!set) this.#listeners.set(t, (set = new Set()));
    set.add(listener as (frame: never) => void);
    return () => set.delete(listener as (frame: never) => void);
  }

  /** Calls `listener` each time a new connection is authenticated (not after a mere re-auth). */
  onConnected(listener: () => void): () => void {
    this.#connected.add(listener);
    return () => this.#connected.delete(listener);
  }

  #id(): number {
    return this.#nextId++;
  }

  #open(): void {
    const token = this.#o.token();
    if (!this.#running) return;
    if (!token) return this.#retryLater();
    this.status.set('connecting');
    let ws: WebSocket;
    try {
      ws = new this.#o.WebSocket(this.#o.url());
    } catch {
      return this.#retryLater();
    }
    this.#ws = ws;
    let authenticated = false;
    ws.onopen = () => ws.send(JSON.stringify({ t: 'auth', id: this.#id(), token: this.#o.token() ?? token }));
    ws.onmessage = (event: MessageEvent) => {
      const frame = parseFrame(event.data);
      if (!frame || ws !== this.#ws) return;
      if (frame.t === 'ready' && !authenticated) {
        authenticated = true;
        this.#attempt = 0;
        this.status.set('ready');
        this.#startPings(ws);
        for (const listener of [...this.#connected]) listener();
      }
      this.#receive(frame);
    };
    ws.onclose = (event: CloseEvent) => {
      if (ws !== this.#ws) return;
      this.#ws = undefined;
      this.#stopPings();
      this.#backlog.length = 0; // their requests fail below; they are not re-sent on the next connection
      this.#failPending(`The connection closed (${event.code}).`);
      if (!this.#running) return;
      this.status.set('offline');
      if (event.code === CLOSE.DEVICE_REVOKED) {
        this.#running = false;
        void this.#o.onAuthClose?.(CLOSE.DEVICE_REVOKED);
        return;
      }
      if (event.code === CLOSE.UNAUTHENTICATED) {
        // Refresh the token first; reconnecting with the refused one would only be refused again.
        Promise.resolve(this.#o.onAuthClose?.(CLOSE.UNAUTHENTICATED))
          .catch(() => undefined)
          .finally(() => this.#retryLater());
        return;
      }
      this.#retryLater();
    };
  }

  #receive(frame: ServerFrame): void {
    if (frame.t === 'pong') clearTimeout(this.#pongTimer);
    if (frame.t === 'ack' && frame.id !== undefined) {
      const pending = this.#pending.get(frame.id);
      if (pending) {
        this.#pending.delete(frame.id);
        clearTimeout(pending.timer);
        if (frame.ok) pending.resolve(frame.result);
        else pending.reject(new SocketError(frame.error.code, frame.error.message));
      }
    }
    for (const listener of [...(this.#listeners.get(frame.t) ?? [])]) {
      try {
        listener(frame as never);
      } catch (error) {
        console.error(`socket listener for ${frame.t} failed`, error);
      }
    }
  }

  #retryLater(): void {
    if (!this.#running) return;
    this.status.set('offline');
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open(), backoff(++this.#attempt));
  }

  #startPings(ws: WebSocket): void {
    this.#stopPings();
    this.#pingTimer = setInterval(() => {
      if (ws.readyState !== 1) return;
      this.#transmit(JSON.stringify({ t: 'ping', id: this.#id() }));
      clearTimeout(this.#pongTimer);
      this.#pongTimer = setTimeout(() => ws.close(), this.#o.pongTimeoutMs); // half-open: start over
    }, this.#o.pingMs);
  }

  #stopPings(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
  }

  #drop(code: number, reason: string): void {
    const ws = this.#ws;
    this.#ws = undefined;
    this.#backlog.length = 0;
    clearTimeout(this.#backlogTimer);
    this.#backlogTimer = undefined;
    this.#stopPings();
    this.#failPending('The connection was closed.');
    if (ws && ws.readyState <= 1) ws.close(code, reason);
  }

  #failPending(message: string): void {
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      pending.reject(new SocketError(SOCKET_CLOSED, message));
      this.#pending.delete(id);
    }
  }

  #whenReady(timeoutMs: number): Promise<void> {
    if (this.status.get() === 'ready') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new SocketError(SOCKET_TIMEOUT, 'Not connected.'));
      }, timeoutMs);
      const off = this.status.subscribe(() => {
        if (this.status.get() === 'ready') {
          clearTimeout(timer);
          off();
          resolve();
        } else if (this.status.get() === 'stopped') {
          clearTimeout(timer);
          off();
          reject(new SocketError(SOCKET_CLOSED, 'Signed out.'));
        }
      });
    });
  }
}
