/**
 * @module Load clients of the fan-out benchmark, in their own process: thousands of receivers, either device
 * WebSockets to the Atrium host (authenticated like the shell) or NATS connections (the peer). Each received
 * benchmark message (`bench:<sent-at ms>`) counts as one delivery and its send→delivery latency goes into a
 * histogram (0.1 ms bins). Driven over IPC by `tests/bench/fanout.ts`.
 */
import { connect, type NatsConnection } from 'nats';
import { WebSocket } from 'ws';

const BIN_MS = 0.1;
const BINS = 200_000; // 20 s
let hist = new Uint32Array(BINS);
let count = 0;
const sockets: WebSocket[] = [];
const natsConnections: NatsConnection[] = [];
const now = (): number => performance.timeOrigin + performance.now();

function record(sentAt: number): void {
  const ms = now() - sentAt;
  hist[Math.min(BINS - 1, Math.max(0, Math.floor(ms / BIN_MS)))]! += 1;
  count++;
}

function onFrame(frame: string): void {
  const at = frame.indexOf('bench:');
  if (at < 0) return;
  const end = frame.indexOf('"', at);
  record(Number(frame.slice(at + 6, end)));
}

async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

async function connectWs(url: string, tokens: string[]): Promise<void> {
  await pool(tokens, 100, (token) => {
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/ws`, { perMessageDeflate: false });
      ws.once('error', reject);
      ws.once('open', () => ws.send(JSON.stringify({ t: 'auth', token })));
      ws.once('message', (data) => {
        if (!String(data).includes('"ready"')) return reject(new Error(`not ready: ${String(data)}`));
        ws.on('message', (frame) => onFrame(String(frame)));
        sockets.push(ws);
        resolve();
      });
    });
  });
}

async function connectNats(servers: string, subjects: string[]): Promise<void> {
  const decoder = new TextDecoder();
  await pool(subjects, 50, async (subject) => {
    const nc = await connect({ servers, noEcho: true, pingInterval: 10 * 60_000 });
    nc.subscribe(subject, { callback: (_err, msg) => onFrame(`${decoder.decode(msg.data)}"`) });
    await nc.flush();
    natsConnections.push(nc);
  });
}

process.on('message', (raw) => {
  const m = raw as { cmd: string; url?: string; tokens?: string[]; servers?: string; subjects?: string[] };
  void (async () => {
    try {
      if (m.cmd === 'ws') {
        await connectWs(m.url ?? '', m.tokens ?? []);
        process.send?.({ connected: sockets.length });
      } else if (m.cmd === 'nats') {
        await connectNats(m.servers ?? '', m.subjects ?? []);
        process.send?.({ connected: natsConnections.length });
      } else if (m.cmd === 'reset') {
        hist = new Uint32Array(BINS);
        count = 0;
        process.send?.({ ok: true });
      } else if (m.cmd === 'report') {
        const bins: Array<[number, number]> = [];
        for (let i = 0; i < BINS; i++) if (hist[i]) bins.push([i, hist[i] as number]);
        process.send?.({ count, bins, rss: process.memoryUsage().rss });
      } else if (m.cmd === 'close') {
        for (const ws of sockets) ws.terminate();
        sockets.length = 0;
        await Promise.all(natsConnections.map((nc) => nc.close()));
        natsConnections.length = 0;
        process.send?.({ closed: true });
      } else if (m.cmd === 'exit') {
        process.exit(0);
      }
    } catch (error) {
      process.send?.({ error: String(error) });
    }
  })();
});
process.send?.({ up: true });
