/**
 * @module The benchmarked Atrium host, in its own process, exactly as `npm start` builds it (production
 * argon2 cost, the same logger at `info`) but on a temporary database and logging to /dev/null.
 * Prints `{"port": N}` once listening, and `{"cpuUs": N}` on SIGUSR2. With `--open-signup` the sign-up and
 * sign-in throttles per address are lifted, so one load generator can sign up its hundred payers (payments).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createHost } from '../../../host/src/app.ts';
import { defaultConfig } from '../../../host/src/config.ts';
import { openDatabase } from '../../../host/src/db/database.ts';
import { createLogger } from '../../../host/src/logger.ts';
import { windowProfiler } from './window-profiler.ts';

const dir = mkdtempSync(join(tmpdir(), 'atrium-bench-'));
const database = openDatabase(join(dir, 'atrium.db'));
const logger = createLogger({ level: process.env.BENCH_LOG ?? 'info', destination: '/dev/null' });
let publicUrl = 'http://127.0.0.1';
const server = serve({ fetch: (req, env) => host.fetch(req, env), hostname: '127.0.0.1', port: 0 }, (info) => {
  publicUrl = `http://127.0.0.1:${info.port}`;
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
const base = defaultConfig();
const rateLimits = process.argv.includes('--open-signup') ? { ...base.rateLimits, signupPerAddress: 1_000_000, signinPerAddress: 1_000_000 } : base.rateLimits;
const host = createHost({ db: database, logger, config: defaultConfig({ publicUrl, rateLimits }) });
process.on('SIGTERM', () =>
  server.close(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }),
);

// The benchmark asks for the CPU this process spent (user + system, µs) since it last asked.
// With BENCH_WINDOW_PROF=<dir>, a CPU profile covers exactly the window between two such asks (the measured
// run, not start-up and set-up), written to <dir>/window-<n>.cpuprofile.
let mark = process.cpuUsage();
const profiler = windowProfiler(process.env.BENCH_WINDOW_PROF);
process.on('SIGUSR2', () => {
  const used = process.cpuUsage(mark);
  mark = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuUs: used.user + used.system, userUs: used.user, systemUs: used.system })}\n`);
  void (profiler.running ? profiler.stop() : profiler.start());
});
