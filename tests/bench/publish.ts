/**
 * @module Publish benchmark (issue 5): how long a developer waits for `atrium build` of the largest sample app,
 * and from `atrium publish` to a person's first view of the new version.
 *
 *   node tests/bench/publish.ts [--json] [--builds 7] [--publishes 5]
 *
 * build_ms: median wall time of `atrium build` (the CLI's launcher as a child process, as the developer runs it)
 * on a copy of the largest app in miniapps/. publish_to_launch_ms: median wall time from starting `atrium
 * publish` (a child process; it builds, validates and uploads) through submit, a reviewer's approval and a 100 %
 * release (developer API, as the CLI and the shell call it) to the first view patch of the new version on a
 * person's WebSocket `app.launch`. The host runs in its own process on 127.0.0.1 with a temporary database.
 * Keys: build_ms, publish_to_launch_ms (plus upload_ms, release_ms, launch_ms: the three legs). Targets: build
 * ≤ 1000 ms, publish to launchable ≤ 2000 ms.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs, promisify } from 'node:util';
import { WebSocket } from 'ws';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, builds: { type: 'string', default: '7' }, publishes: { type: 'string', default: '5' } } });
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length / 2;
  return Math.round(s.length % 2 ? s[Math.floor(m)]! : (s[m - 1]! + s[m]!) / 2);
};
const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');
const ATRIUM = join(ROOT, 'devtools/bin/atrium.js');

/** The largest app under miniapps/ by the bytes of its src/. */
function largestApp(): string {
  const size = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((n, e) => n + (e.isDirectory() ? size(join(dir, e.name)) : statSync(join(dir, e.name)).size), 0);
  const apps = readdirSync(join(ROOT, 'miniapps'), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(ROOT, 'miniapps', e.name));
  return apps.map((dir) => ({ dir, bytes: size(join(dir, 'src')) })).sort((a, b) => b.bytes - a.bytes)[0]!.dir;
}

// The copy lives under the repository's .scratch/ so that @atrium/sdk resolves as it does in an installed app.
mkdirSync(join(ROOT, '.scratch'), { recursive: true });
const work = mkdtempSync(join(ROOT, '.scratch', 'bench-publish-'));
const source = largestApp();
const app = join(work, 'app');
cpSync(source, app, { recursive: true, filter: (p) => !p.includes(`${source}/dist`) });
const manifestPath = join(app, 'manifest.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { app_id: string; name: string; version: { name: string; code: number }; pages: string[] };
const cliEnv = { ...process.env, ATRIUM_LOG: 'warn', ATRIUM_CONFIG_DIR: join(work, 'config') };
log(`publish benchmark: ${manifest.app_id} (${source.slice(ROOT.length + 1)}), node ${process.version}, load average ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);

const builds: number[] = [];
for (let i = 0; i < Number(values.builds) + 1; i++) {
  const started = performance.now();
  await run(process.execPath, [ATRIUM, 'build', '--json'], { cwd: app, env: cliEnv });
  if (i > 0) builds.push(performance.now() - started); // the first run warms the disk cache
}
log(`build           median ${median(builds)} ms   (${builds.map(Math.round).join(', ')})`);

// The host in its own process, as in production.
const hostProcess = spawn(process.execPath, ['--no-node-snapshot', join(import.meta.dirname, 'servers/atrium-publish.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
const hostLines = createInterface({ input: hostProcess.stdout! })[Symbol.asyncIterator]();
const hostLine = async (): Promise<Record<string, unknown>> => {
  const { value, done } = await hostLines.next();
  if (done) throw new Error('the benchmark host exited');
  return JSON.parse(value) as Record<string, unknown>;
};
// On any failure too: a host left running would hold the benchmark's output pipes open.
process.on('exit', () => hostProcess.kill('SIGTERM'));
const { port } = (await hostLine()) as { port: number };
const url = `http://127.0.0.1:${port}`;

async function api<T = any>(method: string, path: string, token: string | undefined, json?: unknown): Promise<T> {
  const res = await fetch(`${url}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}) }, ...(json ? { body: JSON.stringify(json) } : {}) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
const signup = async (handle: string): Promise<string> => (await api<{ accessToken: string }>('POST', '/v1/auth/signup', undefined, { handle, displayName: handle, password: 'benchmark password' })).accessToken;

// A developer with the app registered and a CLI token, a reviewer, a person.
const developer = await signup('dev');
await api('POST', '/v1/developer', developer, { name: 'Bench Labs' });
await api('POST', '/v1/developer/apps', developer, { appId: manifest.app_id, name: manifest.name });
const cliToken = (await api<{ token: string }>('POST', '/v1/developer/tokens', developer, { name: 'bench CLI' })).token;
const reviewer = await signup('rita');
hostProcess.stdin!.write(`${JSON.stringify({ grantReviewer: (await api<{ id: string }>('GET', '/v1/me', reviewer)).id })}\n`);
await hostLine();
const person = await signup('pat');

const ws = new WebSocket(`${url.replace('http', 'ws')}/v1/ws`);
const inbox: any[] = [];
let waiter: { match: (m: any) => boolean; resolve: (m: any) => void } | undefined;
ws.on('message', (data) => {
  const m = JSON.parse(String(data));
  if (waiter?.match(m)) {
    const w = waiter;
    waiter = undefined;
    w.resolve(m);
  } else inbox.push(m);
});
await once(ws, 'open');
const next = (match: (m: any) => boolean): Promise<any> => {
  const i = inbox.findIndex(match);
  if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
  return new Promise((r) => (waiter = { match, resolve: r }));
};
ws.send(JSON.stringify({ t: 'auth', token: person }));
await next((m) => m.t === 'ready');
let messageId = 0;
/** Launches the app; resolves with its page stack (titles) and the first view patch. */
async function launch(): Promise<{ session: string; pages: string; patch: string }> {
  const id = ++messageId;
  ws.send(JSON.stringify({ t: 'app.launch', id, appId: manifest.app_id }));
  const ack = await next((m) => m.t === 'ack' && m.id === id);
  if (!ack.ok) throw new Error(`launch failed: ${JSON.stringify(ack)}`);
  const session = ack.result.session as string;
  const pages = await next((m) => m.t === 'app.page' && m.session === session);
  const patch = await next((m) => m.t === 'app.patch' && m.session === session);
  return { session, pages: JSON.stringify(pages), patch: JSON.stringify(patch) };
}
const totals: number[] = [];
const uploads: number[] = [];
const releases: number[] = [];
const launches: number[] = [];
// Version 1 is released first (and launched, which starts the runtime), so every measured run replaces a
// released version as a real update does.
for (let i = 0; i <= Number(values.publishes); i++) {
  const code = manifest.version.code + i;
  const marker = `bench build ${code}`;
  // Each version has its own page title (the manifest's window title, shown above its first view), so the
  // launch proves it got the new version, whatever the app's first page renders.
  writeFileSync(manifestPath, JSON.stringify({ ...manifest, version: { name: `1.0.${code}`, code }, window: { ...(manifest as { window?: object }).window, navigation_bar_title_text: marker } }, null, 2));
  const started = performance.now();
  await run(process.execPath, [ATRIUM, 'publish', '--json'], { cwd: app, env: { ...cliEnv, ATRIUM_HOST: url, ATRIUM_TOKEN: cliToken } });
  const uploaded = performance.now();
  await api('POST', `/v1/developer/apps/${manifest.app_id}/versions/${code}/submit`, cliToken);
  await api('POST', `/v1/developer/apps/${manifest.app_id}/versions/${code}/approve`, reviewer, {});
  await api('POST', `/v1/developer/apps/${manifest.app_id}/release`, cliToken, { versionCode: code, percent: 100 });
  const released = performance.now();
  const { session, pages, patch } = await launch();
  const launched = performance.now();
  if (!pages.includes(marker)) throw new Error(`the launch of version ${code} did not show "${marker}": ${pages.slice(0, 300)}`);
  if (!patch.includes('"type"')) throw new Error(`the launch of version ${code} showed no view: ${patch.slice(0, 300)}`);
  ws.send(JSON.stringify({ t: 'app.close', session }));
  if (i === 0) continue;
  totals.push(launched - started);
  uploads.push(uploaded - started);
  releases.push(released - uploaded);
  launches.push(launched - released);
}
log(`publish→launch  median ${median(totals)} ms   (${totals.map(Math.round).join(', ')})`);
log(`  legs: atrium publish ${median(uploads)} ms, submit+approve+release ${median(releases)} ms, launch ${median(launches)} ms`);

const figures = {
  build_ms: median(builds),
  publish_to_launch_ms: median(totals),
  upload_ms: median(uploads),
  release_ms: median(releases),
  launch_ms: median(launches),
  app: manifest.app_id,
  // The machine is shared: wall times here include waiting for a core.
  load_avg_1m: Math.round(loadavg()[0]! * 10) / 10,
  targets_met: median(builds) <= 1000 && median(totals) <= 2000,
};
if (values.json) process.stdout.write(`${JSON.stringify(figures)}\n`);

ws.close();
hostProcess.kill('SIGTERM');
await once(hostProcess, 'exit');
rmSync(work, { recursive: true, force: true });
process.exit(0);
