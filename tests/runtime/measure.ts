/**
 * @module Runtime figures through the real supervisor and child: launch with the warm pool (~250 KB SDK bundle),
 * event round trip, RSS per idle session, 200 concurrent launches. `node tests/runtime/measure.ts [--json]`.
 */

import { build } from 'esbuild';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppBundle } from '../../runtime/src/session/types.ts';
import { startTestRuntime, type TestRuntime } from './helpers/runtime.ts';

const PAGES = ['pages/index', 'pages/detail'];

/** The SDK notes app padded with unused functions to about 250 KB, like a real app with its libraries. */
async function bundle(): Promise<AppBundle> {
  const result = await build({ entryPoints: [new URL('./apps/notes-app.ts', import.meta.url).pathname], bundle: true, format: 'iife', platform: 'neutral', write: false, logLevel: 'silent' });
  let code = result.outputFiles[0]?.text ?? '';
  const padding: string[] = [];
  for (let i = 0; code.length + padding.join('\n').length < 250 * 1024; i++) {
    padding.push(`function lib${i}(a, b) { const s = 'helper ${i} ' + a; return b ? s.split(' ').map((w) => w.toUpperCase()).join('-') : s.length * ${i}; }`);
  }
  code = `${padding.join('\n')}\n${code}`;
  return { code, cacheKey: 'notes@measure' };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function childRss(rt: TestRuntime): Promise<number> {
  await sleep(700);
  const stats = await rt.runtime.stats();
  return stats.ok && stats.stats ? stats.stats.rssBytes : NaN;
}

const storage = async (_: string, api: string): Promise<{ ok: true; result: unknown }> => ({ ok: true, result: api === 'storage.get' ? { value: 1 } : null });
const app = await bundle();
await using rt = await startTestRuntime({ bridge: storage, limits: { warmPoolSize: 4 } });
await sleep(300);

// Warm the compile cache once (the first launch of a version compiles and produces cachedData).
const first = performance.now();
await rt.runtime.launch('cold', app, { pages: PAGES });
const coldMs = performance.now() - first;
await rt.runtime.close('cold');

const launches: number[] = [];
for (let i = 0; i < 100; i++) {
  await sleep(15); // launches arrive spread out; the pool refills in between
  const started = performance.now();
  const outcome = await rt.runtime.launch(`l${i}`, app, { pages: PAGES });
  if (!outcome.ok) throw new Error(outcome.code);
  launches.push(performance.now() - started);
}

const events: number[] = [];
for (let i = 0; i < 500; i++) {
  const started = performance.now();
  await rt.runtime.event(`l${i % 100}`, 1, 'inc', {});
  events.push(performance.now() - started);
  if (i % 20 === 19) await sleep(60); // stay under 20 flushes per second per session
}
for (let i = 0; i < 100; i++) await rt.runtime.close(`l${i}`);

const before = await childRss(rt);
for (let i = 0; i < 200; i++) await rt.runtime.launch(`idle${i}`, app, { pages: PAGES });
const after = await childRss(rt);
const perSessionMb = (after - before) / 200 / 1048576;
for (let i = 0; i < 200; i++) await rt.runtime.close(`idle${i}`);

const mass = await Promise.all(
  Array.from({ length: 200 }, async (_, i) => {
    const started = performance.now();
    const outcome = await rt.runtime.launch(`mass${i}`, app, { pages: PAGES });
    if (!outcome.ok) throw new Error(outcome.code);
    return performance.now() - started;
  }),
);

const figures = {
  bundle_kb: Math.round(app.code.length / 1024),
  cold_launch_ms: +coldMs.toFixed(2),
  launch_p50_ms: +percentile(launches, 50).toFixed(2),
  launch_p99_ms: +percentile(launches, 99).toFixed(2),
  event_p50_ms: +percentile(events, 50).toFixed(2),
  event_p99_ms: +percentile(events, 99).toFixed(2),
  rss_per_idle_session_mb: +perSessionMb.toFixed(2),
  sessions_per_gb: Math.round(1024 / perSessionMb),
  mass_launch_p99_ms: +percentile(mass, 99).toFixed(1),
};
if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
else console.table(figures);
