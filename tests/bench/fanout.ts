/**
 * @module Chat fan-out benchmark (issue 7): 10,000 device WebSockets held by one host process, in 20 groups of
 * 500; group messages sent over the socket (`chat.send`, acknowledged only once stored in SQLite) and pushed to
 * every member. The host runs in its own process; receivers in `--procs` other processes; this process sends.
 * Then the same fan-out through NATS (nats-server on 127.0.0.1, 10,000 NATS connections, one subject per group,
 * nothing stored) as the peer, or `skipped` when nats-server is not installed.
 *
 *   node tests/bench/fanout.ts [--json] [--clients 10000] [--group 500] [--seconds 5] [--rates 40,100,160,240,320] [--procs 2]
 *
 * Offered load steps up through `--rates` (group messages/s; × group size = deliveries/s) until delivery falls
 * behind (< 90 % of offered). Keys: deliveries_per_s (best sustained step), delivery_p99_ms (send → delivery at
 * the step nearest 100 msgs/s = 50,000 deliveries/s), kb_per_idle_conn (host RSS growth per authenticated idle
 * socket), nats_deliveries_per_s (best sustained step through NATS). Targets: ≥ 50,000/s, p99 ≤ 50 ms,
 * ≤ 20 KB per idle connection, ≥ 0.5 × NATS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import { WebSocket } from 'ws';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    clients: { type: 'string', default: '10000' },
    group: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '5' },
    rates: { type: 'string', default: '40,100,160,240,320' },
    procs: { type: 'string', default: '2' },
    'no-pin': { type: 'boolean', default: false },
  },
});
const CLIENTS = Number(values.clients);
const GROUP = Number(values.group);
const GROUPS = Math.ceil(CLIENTS / GROUP);
const SECONDS = Number(values.seconds);
const RATES = String(values.rates).split(',').map(Number);
const PROCS = Number(values.procs);
const NATS_SERVER = '/usr/sbin/nats-server';
/**
 * On a 2-core machine the load generator must not starve the server: the server under test (host or
 * nats-server) is pinned to core 0 and the receiving clients run at lower priority (nice 10) on any core, so
 * they use what the server leaves (`--no-pin` to turn off). The same for both systems.
 */
const PIN = !values['no-pin'] && existsSync('/usr/bin/taskset') && availableParallelism() >= 2;
const ROOT = new URL('../../', import.meta.url).pathname;
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const now = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A child process spoken to over IPC, one request at a time. */
class Child {
  readonly process: ChildProcess;
  readonly #queue: Array<(m: any) => void> = [];
  constructor(script: string, nodeArgs: string[] = [], role: 'server' | 'load' = 'load') {
    // Each child raises its own file-descriptor limit: 10,000 sockets need more than the usual 1,024.
    const pin = !PIN ? '' : role === 'server' ? 'taskset -c 0 ' : 'nice -n 10 ';
    const command = `ulimit -n 65536 2>/dev/null || ulimit -n $(ulimit -Hn); exec ${pin}node --no-node-snapshot ${nodeArgs.join(' ')} ${script}`;
    this.process = spawn('bash', ['-c', command], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.process.on('message', (m) => this.#queue.shift()?.(m));
  }
  next(): Promise<any> {
    return new Promise((resolve) => this.#queue.push(resolve));
  }
  ask(message: unknown): Promise<any> {
    const reply = this.next();
    this.process.send(message as object);
    return reply;
  }
  async stop(message?: unknown): Promise<void> {
    if (this.process.exitCode !== null) return;
    const exited = once(this.process, 'exit');
    if (message) this.process.send(message as object);
    else this.process.kill('SIGTERM');
    await Promise.race([exited, sleep(5000).then(() => this.process.kill('SIGKILL'))]);
  }
}

interface Step {
  rate: number;
  offered: number;
  delivered: number;
  expected: number;
  perSecond: number;
  p50: number;
  p99: number;
  ackP99?: number;
  errors?: number;
}

function percentile(bins: Map<number, number>, total: number, p: number): number {
  let seen = 0;
  for (const [bin, n] of [...bins].sort((a, b) => a[0] - b[0])) {
    seen += n;
    if (seen >= total * p) return Math.round(bin * 0.1 * 10) / 10;
  }
  return Number.NaN;
}

async function measure(clients: Child[], rate: number, send: (group: number) => void, extra: () => Partial<Step>): Promise<Step> {
  await Promise.all(clients.map((c) => c.ask({ cmd: 'reset' })));
  const total = Math.round(rate * SECONDS);
  const started = now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((now() - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) send(sent % GROUPS);
    await sleep(5);
  }
  const expected = total * GROUP;
  let delivered = 0;
  let last = -1;
  let stalledSince = now();
  for (;;) {
    const reports = await Promise.all(clients.map((c) => c.ask({ cmd: 'report' })));
    delivered = reports.reduce((a, r) => a + r.count, 0);
    if (delivered >= expected) break;
    if (delivered !== last) {
      last = delivered;
      stalledSince = now();
    } else if (now() - stalledSince > 3000) break;
    await sleep(100);
  }
  const elapsed = (now() - started) / 1000;
  const reports = await Promise.all(clients.map((c) => c.ask({ cmd: 'report' })));
  const bins = new Map<number, number>();
  for (const r of reports) for (const [bin, n] of r.bins as Array<[number, number]>) bins.set(bin, (bins.get(bin) ?? 0) + n);
  delivered = reports.reduce((a, r) => a + r.count, 0);
  return { rate, offered: rate * GROUP, delivered, expected, perSecond: Math.round(delivered / Math.max(elapsed, SECONDS)), p50: percentile(bins, delivered, 0.5), p99: percentile(bins, delivered, 0.99), ...extra() };
}

async function steps(clients: Child[], name: string, run: (rate: number) => Promise<Step>): Promise<Step[]> {
  const results: Step[] = [];
  for (const rate of RATES) {
    const step = await run(rate);
    results.push(step);
    log(
      `  ${name} ${String(rate).padStart(4)} msgs/s → offered ${step.offered.toLocaleString('en')}/s, delivered ${step.perSecond.toLocaleString('en')}/s ` +
        `(${step.delivered}/${step.expected}), p50 ${step.p50} ms, p99 ${step.p99} ms${step.ackP99 === undefined ? '' : `, ack p99 ${step.ackP99} ms, errors ${step.errors}`}`,
    );
    if (step.delivered < step.expected || step.perSecond < 0.9 * step.offered) break;
    await sleep(500);
  }
  void clients;
  return results;
}

const best = (xs: Step[]): number => Math.max(0, ...xs.filter((s) => s.delivered >= s.expected * 0.999).map((s) => s.perSecond));
const atTarget = (xs: Step[]): Step | undefined => [...xs].sort((a, b) => Math.abs(a.rate - 100) - Math.abs(b.rate - 100))[0];

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return Number.NaN;
  }
}

const delivered = (xs: Step[]): number => xs.reduce((a, s) => a + s.delivered, 0);

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function main(): Promise<void> {
  log(`fan-out: ${CLIENTS.toLocaleString('en')} clients in ${GROUPS} groups of ${GROUP}, ${PROCS} client processes, ${SECONDS} s per step${PIN ? '; server pinned to core 0, clients at nice 10' : ''}`);
  // BENCH_HOST_ARGS: extra Node flags for the host (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof), to find where time goes.
  const host = new Child('tests/bench/servers/fanout-host.ts', ['--expose-gc', ...(process.env.BENCH_HOST_ARGS ? process.env.BENCH_HOST_ARGS.split(' ') : [])], 'server');
  const { port } = await host.next();
  const url = `http://127.0.0.1:${port}`;
  let t0 = now();
  const { people } = (await host.ask({ cmd: 'seed', groups: GROUPS, groupSize: GROUP })) as { people: Array<{ token: string; group: number }> };
  log(`  seeded ${people.length} people and ${GROUPS} groups through the services in ${Math.round(now() - t0)} ms`);
  const before = await host.ask({ cmd: 'stats' });

  const clients = Array.from({ length: PROCS }, () => new Child('tests/bench/servers/fanout-clients.ts', [], 'load'));
  await Promise.all(clients.map((c) => c.next()));
  t0 = now();
  const connected = await Promise.all(clients.map((c, i) => c.ask({ cmd: 'ws', url, tokens: people.filter((_, j) => j % PROCS === i).map((p) => p.token) })));
  const sockets = connected.reduce((a, r) => a + (r.connected ?? 0), 0);
  if (sockets !== people.length) throw new Error(`only ${sockets} sockets connected: ${JSON.stringify(connected)}`);
  await sleep(1000);
  const idle = await host.ask({ cmd: 'stats' });
  const kbPerIdle = Math.round(((idle.rss - before.rss) / idle.sockets / 1024) * 10) / 10;
  log(`  ${idle.sockets} authenticated sockets in ${Math.round(now() - t0)} ms; host RSS ${Math.round(before.rss / 2 ** 20)} → ${Math.round(idle.rss / 2 ** 20)} MB (${kbPerIdle} KB per idle connection, heap ${Math.round(idle.heapUsed / 2 ** 20)} MB)`);

  // senders: one socket per group, as its owner (the first member)
  const owners = Array.from({ length: GROUPS }, (_, g) => people.find((p) => p.group === g)?.token ?? '');
  const conversations = new Map<number, string>();
  const senders = await Promise.all(
    owners.map(async (token, g) => {
      const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/ws`, { perMessageDeflate: false });
      await once(ws, 'open');
      ws.send(JSON.stringify({ t: 'auth', token }));
      await once(ws, 'message');
      ws.send(JSON.stringify({ t: 'chat.sync', id: 0, cursor: 0 }));
      const [sync] = await once(ws, 'message');
      conversations.set(g, JSON.parse(String(sync)).result.updates.find((u: { type: string }) => u.type === 'membership').conversationId);
      return ws;
    }),
  );
  let ackLatencies: number[] = [];
  let errors = 0;
  const pending = new Map<number, number>();
  for (const ws of senders) {
    ws.on('message', (data) => {
      const text = String(data);
      if (!text.startsWith('{"t":"ack"')) return;
      const ack = JSON.parse(text) as { id: number; ok: boolean };
      const sentAt = pending.get(ack.id);
      pending.delete(ack.id);
      if (!ack.ok) errors++;
      if (sentAt !== undefined) ackLatencies.push(now() - sentAt);
    });
  }
  let nextId = 1;
  const sendAtrium = (g: number): void => {
    const id = nextId++;
    const at = now();
    pending.set(id, at);
    (senders[g] as WebSocket).send(JSON.stringify({ t: 'chat.send', id, conversationId: conversations.get(g), clientId: `bench-${id}-${Math.round(at)}`, text: `bench:${at}` }));
  };
  log('Atrium (stored, then pushed):');
  await host.ask({ cmd: 'stats' });
  const atrium = await steps(clients, 'atrium', async (rate) => {
    ackLatencies = [];
    errors = 0;
    return measure(clients, rate, sendAtrium, () => {
      const sorted = [...ackLatencies].sort((a, b) => a - b);
      return { ackP99: Math.round((sorted[Math.floor(sorted.length * 0.99)] ?? Number.NaN) * 10) / 10, errors };
    });
  });
  const hostCpu = await host.ask({ cmd: 'stats' });
  for (const ws of senders) ws.terminate();
  await Promise.all(clients.map((c) => c.ask({ cmd: 'close' })));
  await host.stop({ cmd: 'stop' });

  let nats: Step[] | 'skipped' = 'skipped';
  let natsCpuUs = Number.NaN;
  if (existsSync(NATS_SERVER)) {
    const natsPort = await freePort();
    const server = spawn('bash', ['-c', `ulimit -n 65536; exec ${PIN ? 'taskset -c 0 ' : ''}${NATS_SERVER} -a 127.0.0.1 -p ${natsPort}`], { stdio: 'ignore' });
    const exited = once(server, 'exit');
    await sleep(500);
    const servers = `127.0.0.1:${natsPort}`;
    t0 = now();
    const subjects = people.map((p) => `group.${p.group}`);
    const natsConnected = await Promise.all(clients.map((c, i) => c.ask({ cmd: 'nats', servers, subjects: subjects.filter((_, j) => j % PROCS === i) })));
    log(`NATS 2.9 peer (nothing stored): ${natsConnected.reduce((a, r) => a + (r.connected ?? 0), 0)} connections in ${Math.round(now() - t0)} ms`);
    const publisher = await connect({ servers });
    const encoder = new TextEncoder();
    const cpuBefore = processCpuSeconds(server.pid);
    nats = await steps(clients, 'nats  ', (rate) => measure(clients, rate, (g) => publisher.publish(`group.${g}`, encoder.encode(`bench:${now()}`)), () => ({})));
    natsCpuUs = ((processCpuSeconds(server.pid) - cpuBefore) * 1e6) / delivered(nats);
    await publisher.close();
    await Promise.all(clients.map((c) => c.ask({ cmd: 'close' })));
    server.kill('SIGTERM');
    await exited;
  } else {
    log('NATS peer: skipped (nats-server is not installed)');
  }
  await Promise.all(clients.map((c) => c.stop({ cmd: 'exit' })));

  const target = atTarget(atrium);
  const result = {
    deliveries_per_s: best(atrium),
    delivery_p99_ms: target?.p99 ?? null,
    delivery_p99_at_deliveries_per_s: target?.offered ?? null,
    ack_p99_ms: target?.ackP99 ?? null,
    kb_per_idle_conn: kbPerIdle,
    nats_deliveries_per_s: nats === 'skipped' ? 'skipped' : best(nats),
    nats_delivery_p99_ms: nats === 'skipped' ? 'skipped' : (atTarget(nats)?.p99 ?? null),
    clients: CLIENTS,
    group_size: GROUP,
    host_cpu_us_per_delivery: Math.round((hostCpu.cpuUs / delivered(atrium)) * 10) / 10,
    nats_cpu_us_per_delivery: nats === 'skipped' ? 'skipped' : Math.round(natsCpuUs * 10) / 10,
    pinned: PIN,
  };
  log(
    `deliveries/s ${result.deliveries_per_s.toLocaleString('en')} (target ≥ 50,000), p99 ${result.delivery_p99_ms} ms at ${result.delivery_p99_at_deliveries_per_s}/s (≤ 50), ` +
      `${result.kb_per_idle_conn} KB/idle conn (≤ 20), NATS ${typeof result.nats_deliveries_per_s === 'number' ? result.nats_deliveries_per_s.toLocaleString('en') : 'skipped'}/s` +
      (typeof result.nats_deliveries_per_s === 'number' && result.nats_deliveries_per_s > 0 ? ` (ratio ${(result.deliveries_per_s / result.nats_deliveries_per_s).toFixed(2)}, target ≥ 0.5)` : '') +
      `; server CPU per delivery: host ${result.host_cpu_us_per_delivery} µs (stored), nats-server ${result.nats_cpu_us_per_delivery} µs`,
  );
  if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
process.exit(0);
