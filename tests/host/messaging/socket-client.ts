/**
 * @module A test client for the device WebSocket: authenticates, sends requests and awaits their acks, and
 * keeps every pushed frame in order.
 */
import { once } from 'node:events';
import { WebSocket } from 'ws';

/** A pushed frame or an ack. */
export type Frame = { t: string; [key: string]: any };

/** One device's socket. */
export class SocketClient {
  readonly ws: WebSocket;
  /** Everything pushed (not acks), in arrival order. */
  readonly pushed: Frame[] = [];
  readonly closed: Promise<[number, string]>;
  #nextId = 1;
  readonly #acks = new Map<number, (frame: Frame) => void>();
  readonly #watchers: Array<{ test: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];

  private constructor(ws: WebSocket) {
    this.ws = ws;
    this.closed = once(ws, 'close').then(([code, reason]) => [code as number, String(reason)] as [number, string]);
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      if ((frame.t === 'ack' || frame.t === 'ready') && typeof frame.id === 'number' && this.#acks.has(frame.id)) {
        this.#acks.get(frame.id)?.(frame);
        this.#acks.delete(frame.id);
        return;
      }
      this.pushed.push(frame);
      for (const w of [...this.#watchers]) {
        if (w.test(frame)) {
          this.#watchers.splice(this.#watchers.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
  }

  /** Opens a socket to `baseUrl` and authenticates with `token`. */
  static async connect(baseUrl: string, token: string): Promise<SocketClient> {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/v1/ws`);
    const client = new SocketClient(ws);
    await once(ws, 'open');
    const ready = await client.request({ t: 'auth', token });
    if (ready.t !== 'ready') throw new Error(`not ready: ${JSON.stringify(ready)}`);
    return client;
  }

  /** Sends `{...message, id}` and resolves with its ack (or `ready` for auth). */
  request(message: Record<string, unknown>): Promise<Frame> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#acks.set(id, resolve);
      this.ws.send(JSON.stringify({ ...message, id }));
    });
  }

  /** Resolves with the first pushed frame (already received or coming) that passes `test`. */
  waitFor(test: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.pushed.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(this.pushed).slice(0, 500)}`)), timeoutMs);
      this.#watchers.push({ test, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  close(): Promise<[number, string]> {
    this.ws.close();
    return this.closed;
  }
}
