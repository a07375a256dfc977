/**
 * @module Mini-app launch benchmark (issue 4): a person taps an app and gets its first view tree; taps in it
 * and gets the patch. Through the real path: device WebSocket → host → runtime child process → isolate.
 *
 *   node --no-node-snapshot tests/bench/launch.ts [--json] [--launches 100] [--events 300] [--idle 200] [--mass 200]
 *
 * Keys: launch_p50_ms, launch_p99_ms (warm pool, ~250 KB bundle), event_p50_ms, event_p99_ms,
 * sessions_per_gb (live idle sessions per GB of runtime-process RSS), mass_launch_p99_ms (200 at once).
 * Targets: launch p50 ≤ 15 ms and p99 ≤ 50, event p50 ≤ 2 ms and p99 ≤ 10, ≥ 250 sessions per GB.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WebSocket } from 'ws';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    launches: { type: 'string', default: '100' },
    events: { type: 'string', default: '300' },
    idle: { type: 'string', default: '200' },
    mass: { type: 'string', default: '200' },
  },
});
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0) * 100) / 100;
};

/** A ~250 KB app: a counter page plus a large catalogue module, as real apps ship data and helpers. */
function writeBenchApp(root: string): void {
  const dir = join(root, 'bench');
  mkdirSync(join(dir, 'src', 'pages'), { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ app_id: 'dev.bench.counter', name: 'Bench', version: { name: '1.0.0', code: 1 }, pages: ['pages/index'] }));
  writeFileSync(join(dir, 'src', 'app.ts'), "import { defineApp } from '@atrium/sdk';\nexport default defineApp({});\n");
  const items = Array.from({ length: 2600 }, (_, i) => ({ id: i, name: `Item ${i} ${'x'.repeat(40)}`, price: (i * 37) % 1000, tags: ['a', 'b', 'c'].slice(0, i % 3) }));
  writeFileSync(join(dir, 'src', 'catalogue.ts'), `export const CATALOGUE = ${JSON.stringify(items)};\n`);
  writeFileSync(
    join(dir, 'src', 'pages', 'index.tsx'),
    `/** @jsxImportSource @atrium/sdk */
import { definePage } from '@atrium/sdk';
import { CATALOGUE } from '../catalogue.ts';
export default definePage({
  data: { count: 0, items: CATALOGUE.slice(0, 20) },
  handlers: { inc() { this.setData({ count: this.data.count + 1 }); } },
  render(data) {
    return (<view><text>{'Count: ' + data.count}</text><button onTap="inc">+</button>
      <list>{data.items.map((item) => (<view key={item.id}><text>{item.name}</text></view>))}</list></view>);
  },
});
`,
  );
}

interface Client {
  ws: WebSocket;
  next: (match: (m: any) => boolean) => Promise<any>;
}

async function connect(url: string, token: string): Promise<Client> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/ws`);
  const inbox: any[] = [];
  const waiters: Array<{ match: (m: any) => boolean; resolve: (m: any) => void }> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    const i = waiters.findIndex((w) => w.match(m));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
    else {
      inbox.push(m);
      if (inbox.length > 1000) inbox.shift(); // keep the newest; nothing waits for old page stacks
    }
  });
  let closed: string | undefined;
  ws.on('close', (code, reason) => {
    closed = `socket closed ${code} ${String(reason)}`;
    for (const w of waiters.splice(0)) w.resolve({ t: 'closed', reason: closed });
  });
  await once(ws, 'open');
  const next = async (match: (m: any) => boolean): Promise<any> => {
    const i = inbox.findIndex(match);
    if (i >= 0) return inbox.splice(i, 1)[0];
    if (closed) throw new Error(closed);
    const m = await new Promise<any>((resolve) => waiters.push({ match: (x) => match(x), resolve }));
    if (m?.t === 'closed') throw new Error(m.reason);
    return m;
  };
  ws.send(JSON.stringify({ t: 'auth', token }));
  await next((m) => m.t === 'ready');
  return { ws, next };
}

let launchId = 0;
/** Launches and resolves when the first patch (the first view tree) arrives. */
async function launch(client: Client): Promise<{ ms: number; session: string; pageId: number }> {
  const id = ++launchId;
  const started = performance.now();
  client.ws.send(JSON.stringify({ t: 'app.launch', id, appId: 'dev.bench.counter' }));
  const ack = await client.next((m) => m.t === 'ack' && m.id === id);
  if (!ack.ok) throw new Error(`launch failed: ${JSON.stringify(ack)}`);
  const session = ack.result.session as string;
  const patch = await client.next((m) => m.t === 'app.patch' && m.session === session);
  return { ms: performance.now() - started, session, pageId: patch.pageId as number };
}

const appsRoot = mkdtempSync(join(tmpdir(), 'atrium-bench-apps-'));
writeBenchApp(appsRoot);
// The host runs in its own process, as in production; this process only plays the people's devices.
const hostProcess = spawn(process.execPath, [...(process.env.BENCH_HOST_ARGS ? process.env.BENCH_HOST_ARGS.split(' ') : []), '--no-node-snapshot', new URL('./servers/atrium-miniapps.ts', import.meta.url).pathname, appsRoot], { stdio: ['ignore', 'pipe', 'inherit'] });
const hostLines = createInterface({ input: hostProcess.stdout! })[Symbol.asyncIterator]();
const hostLine = async (): Promise<Record<string, number>> => {
  const { value, done } = await hostLines.next();
  if (done) throw new Error('the benchmark host exited');
  return JSON.parse(value) as Record<string, number>;
};
const { port, bundleBytes } = await hostLine();
const url = `http://127.0.0.1:${port}`;
const runtimeRss = async (): Promise<number> => {
  hostProcess.kill('SIGUSR2');
  return (await hostLine()).runtimeRssBytes ?? 0;
};
log(`launch benchmark: bundle ${Math.round((bundleBytes ?? 0) / 1024)} KB, node ${process.version}`);

const people: Client[] = [];
const massCount = Number(values.mass);
const idleCount = Number(values.idle);
for (let i = 0; i < Math.max(massCount, 1); i++) {
  const res = await fetch(`${url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: `bench${i}`, displayName: `Bench ${i}`, password: 'benchmark password' }) });
  const { accessToken } = (await res.json()) as { accessToken: string };
  people.push(await connect(url, accessToken));
}
const first = people[0]!;

// Warm up: the runtime child, its pool and the compile cache.
for (let i = 0; i < 5; i++) {
  const s = await launch(first);
  first.ws.send(JSON.stringify({ t: 'app.close', session: s.session }));
}
await new Promise((r) => setTimeout(r, 300));

const launches: number[] = [];
for (let i = 0; i < Number(values.launches); i++) {
  const s = await launch(first);
  launches.push(s.ms);
  first.ws.send(JSON.stringify({ t: 'app.close', session: s.session }));
  // Pace like a person (and under the socket's 50 messages/s): it also lets the pool refill between taps.
  await new Promise((r) => setTimeout(r, 50));
}
log(`launch        p50 ${pct(launches, 50)} ms   p99 ${pct(launches, 99)} ms   (${launches.length} sequential, warm pool)`);

const session = await launch(first);
const events: number[] = [];
for (let i = 0; i < Number(values.events); i++) {
  const started = performance.now();
  first.ws.send(JSON.stringify({ t: 'app.event', session: session.session, pageId: session.pageId, handler: 'inc', detail: {} }));
  await first.next((m) => m.t === 'app.patch' && m.session === session.session);
  events.push(performance.now() - started);
  // A brisk person: ~15 taps a second, under the runtime's 20 flushes/s per session (faster taps are
  // coalesced by design, which shows up as latency here rather than as extra patches).
  await new Promise((r) => setTimeout(r, 60));
}
log(`event         p50 ${pct(events, 50)} ms   p99 ${pct(events, 99)} ms   (${events.length} taps → patch)`);

const before = await runtimeRss();
const idle: string[] = [];
for (let i = 0; i < idleCount; i++) idle.push((await launch(people[i % people.length]!)).session);
await new Promise((r) => setTimeout(r, 1500)); // a heartbeat brings fresh RSS
const after = await runtimeRss();
const perSessionBytes = (after - before) / idleCount;
const sessionsPerGb = Math.round((1024 ** 3 / perSessionBytes) * 10) / 10;
log(`idle sessions ${idleCount}: runtime RSS ${Math.round(after / 1e6)} MB (+${Math.round(perSessionBytes / 1e4) / 100} MB each) → ${sessionsPerGb} per GB`);

const mass = await Promise.all(people.slice(0, massCount).map((p) => launch(p).then((r) => r.ms)));
log(`mass launch   ${massCount} at once: p50 ${pct(mass, 50)} ms   p99 ${pct(mass, 99)} ms`);

const figures = {
  launch_p50_ms: pct(launches, 50),
  launch_p99_ms: pct(launches, 99),
  event_p50_ms: pct(events, 50),
  event_p99_ms: pct(events, 99),
  sessions_per_gb: sessionsPerGb,
  mass_launch_p99_ms: pct(mass, 99),
  bundle_kb: Math.round((bundleBytes ?? 0) / 1024),
  targets_met: pct(launches, 50) <= 15 && pct(launches, 99) <= 50 && pct(events, 50) <= 2 && pct(events, 99) <= 10 && sessionsPerGb >= 250,
};
if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);

for (const p of people) p.ws.close();
hostProcess.kill('SIGTERM');
await once(hostProcess, 'exit');
rmSync(appsRoot, { recursive: true, force: true });
process.exit(0);
