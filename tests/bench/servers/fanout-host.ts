/**
 * @module The host of the fan-out benchmark, in its own process: the real `createHost` and server (SQLite on
 * the local disk, WAL, every message committed before its ack), driven over IPC by `tests/bench/fanout.ts`.
 * Seeding uses the services (sign-up, groups, admitting members); only the password hash cost is lowered,
 * since 10,000 production argon2 hashes would take minutes and hashing plays no part in fan-out.
 *
 * IPC: `{cmd:'seed', groups, groupSize}` → `{people: [{token, group}]}` and `{cmd:'stats'}` → `{rss, heapUsed,
 * sockets, cpuUs}` (after a full GC; run with `--expose-gc`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createHost } from '../../../host/src/app.ts';
import { defaultConfig, defaultMessagingConfig } from '../../../host/src/config.ts';
import { openDatabase } from '../../../host/src/db/database.ts';
import { Fanout } from '../../../host/src/messaging/inbox.ts';
import { serveHost } from '../../../host/src/server.ts';
import { windowProfiler } from './window-profiler.ts';

const dir = mkdtempSync(join(tmpdir(), 'atrium-fanout-'));
const database = openDatabase(join(dir, 'atrium.db'));
const base = defaultConfig();
let host: ReturnType<typeof createHost> | undefined;
const { server, port } = await serveHost(() => host, { hostname: '127.0.0.1', port: 0 });
host = createHost({
  db: database,
  logger: pino({ level: 'silent' }),
  config: {
    ...base,
    publicUrl: `http://127.0.0.1:${port}`,
    accessTokenTtlMs: 4 * 3600_000,
    passwordHashing: { memoryCost: 1024, timeCost: 1 },
    rateLimits: { ...base.rateLimits, signupPerAddress: 1e9 },
    messaging: defaultMessagingConfig({ sendsPerWindow: 1e9 }),
  },
});
const services = host.services;

async function seed(groups: number, groupSize: number): Promise<Array<{ token: string; userId: string; group: number }>> {
  const people: Array<{ token: string; userId: string; group: number }> = [];
  const client = { userAgent: 'fanout-bench', address: '127.0.0.1' };
  for (let g = 0; g < groups; g++) {
    const members: string[] = [];
    for (let i = 0; i < groupSize; i++) {
      const session = await services.identity.signUp({ handle: `g${g}_u${i}`, displayName: `G${g} U${i}`, password: 'bench password' }, client);
      people.push({ token: session.accessToken, userId: session.user.id, group: g });
      members.push(session.user.id);
    }
    const [owner, ...rest] = members as [string, ...string[]];
    const created = await services.messaging.conversations.createGroup(owner, { name: `Group ${g}`, memberIds: [] });
    const fanout = new Fanout();
    await database.write((tx) => services.messaging.conversations.admit(tx, fanout, created.id, rest, owner, 'invite'));
  }
  return people;
}

let mark = process.cpuUsage();

// With BENCH_WINDOW_PROF=<dir>, each interval between two `stats` asks is CPU-profiled to <dir>/window-<n>.cpuprofile
// (the Atrium steps are the interval before the last ask), so start-up and seeding do not drown the fan-out.
const profiler = windowProfiler(process.env.BENCH_WINDOW_PROF);
process.on('message', (raw) => {
  const message = raw as { cmd: string; groups?: number; groupSize?: number };
  void (async () => {
    if (message.cmd === 'seed') {
      process.send?.({ people: await seed(message.groups ?? 20, message.groupSize ?? 500) });
    } else if (message.cmd === 'stats') {
      const used = process.cpuUsage(mark); // before the collections below, which are the benchmark's, not the host's
      await profiler.next();
      (globalThis as { gc?: () => void }).gc?.();
      await new Promise((r) => setTimeout(r, 200));
      (globalThis as { gc?: () => void }).gc?.();
      mark = process.cpuUsage();
      const memory = process.memoryUsage();
      process.send?.({ rss: memory.rss, heapUsed: memory.heapUsed, sockets: services.hub.size, cpuUs: used.user + used.system });
    } else if (message.cmd === 'stop') {
      services.stop();
      if ('closeAllConnections' in server) server.closeAllConnections();
      server.close();
      await database.close();
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    }
  })();
});
process.send?.({ port });
