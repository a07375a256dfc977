/**
 * @module Runs the host: `npm start`. Reads the environment (see the README), opens the embedded database
 * (migrating it), seeds demo data on first start, serves on HOST:PORT and shuts down gracefully.
 */
import { join, resolve } from 'node:path';
import { loadDevApps } from './apps/dev-loader.ts';
import { createHost, type Host } from './app.ts';
import { settingsFromEnv } from './config.ts';
import { createLogger } from './logger.ts';
import { openDatabase } from './db/database.ts';
import { DEMO_PASSWORD, seedDemoData } from './seed.ts';
import { serveHost } from './server.ts';

const SHUTDOWN_GRACE_MS = 10_000;

const settings = settingsFromEnv();
const logger = createLogger({ level: settings.logLevel });
const database = openDatabase(join(settings.dataDir, 'atrium.db'));

let host: Host | undefined;
let served: Awaited<ReturnType<typeof serveHost>>;
try {
  served = await serveHost(() => host, { hostname: settings.host, port: settings.port });
} catch (error) {
  logger.fatal({ err: error }, 'could not listen');
  logger.flush();
  process.exit(1);
}
const { server, port } = served;
const publicUrl = process.env.ATRIUM_PUBLIC_URL ? settings.config.publicUrl : settings.config.publicUrl.replace(/:\d+$/, `:${port}`);
host = createHost({ db: database, logger, config: { ...settings.config, publicUrl } });
const seeded = await seedDemoData(host.services);
host.services.wallet.webhooks.start(); // merchant webhooks: deliver from the outbox every second
logger.info({ url: publicUrl, dataDir: settings.dataDir }, 'listening');
if (seeded.length > 0) {
  logger.info({ handles: seeded }, 'seeded demo people');
  process.stdout.write(`\nDemo people (password "${DEMO_PASSWORD}"): ${seeded.map((h) => `@${h}`).join(', ')}\n`);
}
let appLines = '';
if (settings.miniappsDir) {
  try {
    const loaded = await loadDevApps({
      registry: host.services.apps.registry,
      root: settings.miniappsDir,
      backends: { network: host.services.apps.network, atriumUrl: publicUrl, merchantKey: (appId) => host!.services.wallet.appPayments.developmentKey(appId) },
      publish: host.services.developer,
    });
    logger.info({ apps: loaded.map((a) => ({ id: a.appId, version: a.versionCode, bytes: a.bundleBytes })) }, 'development mini-apps loaded');
    appLines = loaded.map((a) => `\n  ${a.name}: ${publicUrl}/a/${a.appId}`).join('');
  } catch (error) {
    logger.error({ err: error }, 'could not load the development mini-apps');
  }
}
process.stdout.write(`\nAtrium is running at ${publicUrl}\n  API reference: ${publicUrl}/docs${appLines}\n\n`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down: no new connections, finishing requests in flight');
  const force = setTimeout(() => {
    logger.warn('requests still in flight after the grace period; closing their connections');
    if ('closeAllConnections' in server) server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  force.unref();
  host?.services.stop();
  // Keep-alive connections become idle once their request is answered (a held long poll, say): close them as
  // they do instead of waiting out the keep-alive timeout.
  const sweep = setInterval(() => 'closeIdleConnections' in server && server.closeIdleConnections(), 100);
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    if ('closeIdleConnections' in server) server.closeIdleConnections();
  });
  clearInterval(sweep);
  await host?.services.bus.close();
  await database.close();
  logger.info('stopped');
  logger.flush();
  setImmediate(() => process.exit(0));
}

process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
