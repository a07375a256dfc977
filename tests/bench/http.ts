/**
 * @module HTTP benchmark (issue 3): requests/s and p99 latency for `GET /healthz`, an authenticated
 * `GET /v1/me` (token verification + one read), and a bare hono "hello" app as the baseline in the same run.
 *
 *   node tests/bench/http.ts [--json] [--duration 10] [--connections 50]
 *
 * Each server runs in its own child process; autocannon drives it from this one. With `--json`, the last
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
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const warmup = Number(values.warmup);
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
  errors: number;
  non2xx: number;
}

async function measure(name: string, server: Server, path: string, headers: Record<string, string> = {}): Promise<Figures> {
  const url = `${server.url}${path}`;
  if (warmup > 0) await autocannon({ url, connections, duration: warmup, headers });
  await server.cpu();
  const result = await autocannon({ url, connections, duration, headers });
  const cpuUs = Math.round(((await server.cpu()) / result.requests.total) * 10) / 10;
  const figures = { rps: Math.round(result.requests.average), cpuUs, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors, non2xx: result.non2xx };
  log(`${name.padEnd(10)} ${String(figures.rps).padStart(7)} req/s   server CPU ${String(cpuUs).padStart(5)} µs/req   p50 ${figures.p50} ms   p99 ${figures.p99} ms   errors ${figures.errors}   non-2xx ${figures.non2xx}`);
  if (figures.non2xx > 0 || figures.errors > 0) throw new Error(`${name}: ${figures.non2xx} non-2xx responses and ${figures.errors} errors`);
  return figures;
}

log(`http benchmark: ${connections} connections, ${duration} s each after ${warmup} s warm-up, node ${process.version}`);

const baselineServer = await startServer('./servers/baseline.ts');
const baseline = await measure('baseline', baselineServer, '/');
await stopServer(baselineServer.child);

const atrium = await startServer('./servers/atrium.ts');
const signup = await fetch(`${atrium.url}/v1/auth/signup`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ handle: 'bench', displayName: 'Bench Mark', password: 'benchmark password' }),
});
if (signup.status !== 201) throw new Error(`sign-up failed: ${signup.status} ${await signup.text()}`);
const { accessToken } = (await signup.json()) as { accessToken: string };
const healthz = await measure('healthz', atrium, '/healthz');
const me = await measure('me', atrium, '/v1/me', { authorization: `Bearer ${accessToken}` });
await stopServer(atrium.child);

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
};
log(`me_rps / baseline_rps = ${figures.me_to_baseline} (target ≥ 0.5: ${figures.target_met ? 'met' : 'NOT met'})`);
if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);
