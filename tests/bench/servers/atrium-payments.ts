/**
 * @module The Atrium host for the payments benchmark: as `npm start` builds it (production
 * argon2 cost, the same logger at `info`) on a temporary database, logging to /dev/null, with the sign-up
 * throttle per address lifted so that one load generator can sign up its hundred payers.
 * Prints `{"port": N}` once listening, and `{"cpuUs": N}` on SIGUSR2.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createHost } from '../../../host/src/app.ts';
import { defaultConfig } from '../../../host/src/config.ts';
import { openDatabase } from '../../../host/src/db/database.ts';
import { createLogger } from '../../../host/src/logger.ts';

const dir = mkdtempSync(join(tmpdir(), 'atrium-bench-'));
const database = openDatabase(join(dir, 'atrium.db'));
const logger = createLogger({ level: process.env.BENCH_LOG ?? 'info', destination: '/dev/null' });
let publicUrl = 'http://127.0.0.1';
const server = serve({ fetch: (req, env) => host.fetch(req, env), hostname: '127.0.0.1', port: 0 }, (info) => {
  publicUrl = `http://127.0.0.1:${info.port}`;
  process.stdout.write(`${JSON.stringify({ port: info.port })}\n`);
});
const base = defaultConfig();
const host = createHost({ db: database, logger, config: defaultConfig({ publicUrl, rateLimits: { ...base.rateLimits, signupPerAddress: 1_000_000, signinPerAddress: 1_000_000 } }) });
process.on('SIGTERM', () =>
  server.close(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }),
);

// The benchmark asks for the CPU this process spent (user + system, µs) since it last asked.
let mark = process.cpuUsage();
process.on('SIGUSR2', () => {
  const used = process.cpuUsage(mark);
  mark = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ cpuUs: used.user + used.system })}\n`);
});
