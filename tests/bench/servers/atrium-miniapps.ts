/**
 * @module The launch benchmark's host, in its own process (so the benchmark's clients do not share its event
 * loop): a temporary database, the mini-apps of the folder given as argv[2] registered in development mode.
 * Prints `{"port": N}` once listening; on SIGUSR2 prints `{"runtimeRssBytes": N}`. BENCH_RUNTIME_ARGS: extra
 * Node flags for the runtime child (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`), for finding where time goes.
 */
import pino from 'pino';
import { createHost, type Host } from '../../../host/src/app.ts';
import { loadDevApps } from '../../../host/src/apps/dev-loader.ts';
import { tempDatabase } from '../../../host/src/db/database.ts';
import { serveHost } from '../../../host/src/server.ts';
import { createRuntimeSupervisor } from '../../../runtime/src/process/supervisor.ts';
import { testConfig } from '../../helpers/host.ts';

const root = process.argv[2];
if (!root) throw new Error('usage: atrium-miniapps.ts <miniapps folder>');
const database = tempDatabase();
let host: Host | undefined;
const { server, port } = await serveHost(() => host, { hostname: '127.0.0.1', port: 0 });
const runtimeArgs = process.env.BENCH_RUNTIME_ARGS ? process.env.BENCH_RUNTIME_ARGS.split(' ') : [];
host = createHost({
  db: database,
  config: testConfig({ publicUrl: `http://127.0.0.1:${port}` }),
  logger: pino({ level: 'warn' }),
  createRuntime: (hooks) => createRuntimeSupervisor({ ...hooks, execArgv: runtimeArgs }),
});
const loaded = await loadDevApps({ registry: host.services.apps.registry, root });
process.stdout.write(`${JSON.stringify({ port, bundleBytes: loaded[0]?.bundleBytes ?? 0 })}\n`);

process.on('SIGUSR2', () => {
  void host?.services.sessions.runtimeStats().then((stats) => process.stdout.write(`${JSON.stringify({ runtimeRssBytes: stats?.rssBytes ?? 0 })}\n`));
});
process.on('SIGTERM', () => {
  host?.services.stop();
  void host?.services.sessions.stop().then(async () => {
    server.close();
    await database[Symbol.asyncDispose]();
    process.exit(0);
  });
});
