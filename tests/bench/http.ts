/**
 * @module HTTP benchmark (issue 3): requests/s and p99 latency for `GET /healthz`, an authenticated
 * `GET /v1/me` (token verification + one read), and a bare hono "hello" app as the baseline in the same run.
 *
 *   node tests/bench/http.ts [--json] [--duration 10] [--connections 50] [--rounds 5]
 *
 * Each server runs in its own child process; autocannon drives it from this one. The three loads take turns
 * (`--rounds` rounds of baseline, healthz, me, each `duration / rounds` seconds) so a slow minute of this shared
 * machine falls on all three alike instead of on whichever ran then; each figure sums its rounds. With `--json`, the last
 * line is `{"healthz_rps", "me_rps", "baseline_rps", "me_p99_ms", ...}`. Target: me_rps ≥ 0.5 × baseline_rps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '5' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const warmup = Number(values.warmup);
const rounds = Math.max(1, Number(values.rounds));
const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface Server {
  child: ChildProcess;
  url: string;
  /** CPU (user + system, µs) the server spent since the last call. */
  cpu(): Promise<number>;
}

async function startServer(script: string): Promise<Server> {
  // BENCH_HOST_ARGS: extra Node flags for the servers (e.g. --cpu-prof), for finding where the time goes.
  const extra = process.env.BENCH_HOST_ARGS ? process.env.BENCH_HOST_ARGS.split(' ') : [];
  const child = spawn(process.execPath, [...extra, new URL(script, import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, number>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error(`${script} exited`);
    return JSON.parse(value) as Record<string, number>;
  };
  const { port } = await next();
  const cpu = async (): Promise<number> => {
    child.kill('SIGUSR2');
    return (await next()).cpuUs ?? 0;
  };
  return { child, url: `http://127.0.0.1:${port}`, cpu };
}

async function stopServer(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (child.exitCode === null) await once(child, 'exit');
}

interface Figures {
  rps: number;
  /** Server CPU per request, µs (user + system): independent of how the load generator shares the cores. */
  cpuUs: number;
  p50: number;
  p99: number;
}

interface Load {
  name: string;
  server: Server;
  url: string;
  headers: Record<string, string>;
  requests: number;
  seconds: number;
  cpuUs: number;
  p99s: number[];
  p50s: number[];
}

function load(name: string, server: Server, path: string, headers: Record<string, string> = {}): Load {
  return { name, server, url: `${server.url}${path}`, headers, requests: 0, seconds: 0, cpuUs: 0, p99s: [], p50s: [] };
}

/** One round of `seconds` on `target`, added to its totals. */
async function round(target: Load, seconds: number): Promise<void> {
  await target.server.cpu();
  const result = await autocannon({ url: target.url, connections, duration: seconds, headers: target.headers });
  target.cpuUs += await target.server.cpu();
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${target.name}: ${result.non2xx} non-2xx responses and ${result.errors} errors`);
  target.requests += result.requests.total;
  target.seconds += result.duration;
  target.p99s.push(result.latency.p99);
  target.p50s.push(result.latency.p50);
}

function figuresOf(target: Load): Figures {
  const median = (values: number[]): number => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  const figures = {
    rps: Math.round(target.requests / target.seconds),
    cpuUs: Math.round((target.cpuUs / target.requests) * 10) / 10,
    p50: median(target.p50s),
    // The worst round's p99: an upper bound on the whole run's.
    p99: Math.max(...target.p99s),
  };
  log(`${target.name.padEnd(10)} ${String(figures.rps).padStart(7)} req/s   server CPU ${String(figures.cpuUs).padStart(5)} µs/req   p50 ${figures.p50} ms   p99 ${figures.p99} ms`);
  return figures;
}

log(`http benchmark: ${connections} connections, ${rounds} rounds of ${duration / rounds} s per load (${duration} s each in all) after ${warmup} s warm-up, node ${process.version}`);

const baselineServer = await startServer('./servers/baseline.ts');
const atrium = await startServer('./servers/atrium.ts');
const signup = await fetch(`${atrium.url}/v1/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ handle: 'bench', displayName: 'Bench Mark', password: 'benchmark password' }),
});
if (signup.status !== 201) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
const { accessToken } = (await signup.json()) as { accessToken: string };
const loads = [load('baseline', baselineServer, '/'), load('healthz', atrium, '/healthz'), load('me', atrium, '/v1/me', { authorization: `Bearer ${accessToken}` })];
if (warmup > 0) for (const target of loads) await autocannon({ url: target.url, connections, duration: warmup, headers: target.headers });
for (let i = 0; i < rounds; i++) for (const target of loads) await round(target, duration / rounds);
await stopServer(baselineServer.child);
await stopServer(atrium.child);
const [baseline, healthz, me] = loads.map(figuresOf) as [Figures, Figures, Figures];

const figures = {
  healthz_rps: healthz.rps,
  me_rps: me.rps,
  baseline_rps: baseline.rps,
  me_p99_ms: me.p99,
  healthz_p99_ms: healthz.p99,
  baseline_p99_ms: baseline.p99,
  me_to_baseline: Math.round((me.rps / baseline.rps) * 1000) / 1000,
  baseline_cpu_us_per_req: baseline.cpuUs,
  healthz_cpu_us_per_req: healthz.cpuUs,
  me_cpu_us_per_req: me.cpuUs,
  target_met: me.rps >= 0.5 * baseline.rps,
  connections,
  duration_s: duration,
  rounds,
};
log(`me_rps / baseline_rps = ${figures.me_to_baseline} (target ≥ 0.5: ${figures.target_met ? 'met' : 'NOT met'})`);
if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
