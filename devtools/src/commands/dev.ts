/**
 * @module `atrium dev [dir]`: a local development host (the host `npm start` runs, with the demo people) on a
 * free or given port and a temporary or given data folder, with the app published through the registry as the
 * host's development loader does. It watches the folder: on save it rebuilds, publishes the new version and tells
 * live sessions of the app to reload (`app.reload` on their socket; the shell relaunches). Build errors are
 * printed located, and the running host keeps the last good version.
 *
 * After each build (the first too) it runs the checks `atrium build` runs besides esbuild — the project lints,
 * `tsc --noEmit` and the first-render view lint — and prints what they find in the terminal and sends it to the
 * shells running the app (`app.build_error`). Like Vite, a type or lint error does not hold the reload back: a
 * bundle esbuild could build is reloaded at once, and the check's result follows a moment later (`atrium build`
 * still refuses to package it). One check runs at a time; saves made meanwhile are checked once it ends.
 *
 * With `--json`, one JSON object a line: `{"event":"ready"|"rebuilt"|"error"|"checked", …}`; `checked` has
 * `ok`, `typecheck` ('passed' | 'failed' | 'skipped') and `problems` ({ code, message, details }[]).
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import QRCode from 'qrcode';
import { findProject } from '../core/config.ts';
import { defineCommand } from '../core/define-command.ts';
import { CliError, formatError } from '../core/errors.ts';
import { checkProject } from '../build/check.ts';
import { readProjectManifest } from '../build/build-project.ts';

/** Where the host's source is: the development host needs the Atrium repository (or an installed host). */
const HOST_SRC = new URL('../../../host/src/', import.meta.url);

/** Loads a host module by a computed URL (the CLI bundle does not carry the host). */
async function hostModule<T>(path: string): Promise<T> {
  try {
    return (await import(new URL(path, HOST_SRC).href)) as T;
  } catch (cause) {
    throw new CliError({ code: 'INTERNAL', message: `the development host could not be loaded (${path})`, hint: 'Run "atrium dev" from a clone of the Atrium repository (npm install at its root).', cause });
  }
}

/** The host's error for a failed build, as located lines. */
function buildProblem(error: unknown, dir: string): CliError {
  const e = error as { code?: string; detail?: string; message?: string };
  const code = typeof e.code === 'string' ? e.code : 'BUILD_FAILED';
  const lines = String(e.detail ?? e.message ?? error).split('\n').map((l) => l.trim()).filter(Boolean);
  // The first line names the folder; the rest are the located problems.
  const details = lines[0]?.startsWith(dir) ? lines.slice(1) : lines;
  return new CliError({ code, message: `the app in ${relative(process.cwd(), dir) || '.'} does not build`, details, hint: 'Fix it and save: atrium dev rebuilds. People keep the last good version.' });
}

export default defineCommand({
  command: 'dev',
  summary: 'Run a local Atrium host with the app, rebuilding and reloading it on save',
  description: 'Starts the host that "npm start" runs (with the demo people) on 127.0.0.1, publishes the app in\ndevelopment mode and watches its folder: each save rebuilds it, releases the new version and reloads\nthe sessions running it. Build errors are printed with their locations; the last good version keeps\nrunning. After each build it type-checks and lints as "atrium build" does and shows the problems in the\nterminal and the shell, without holding the reload back. Stops on Ctrl-C. The data folder is temporary\nunless --data-dir is given.',
  positionals: { dir: { description: 'The app folder (default: the project found from the current folder)' } },
  flags: {
    port: { type: 'string', description: 'Listen on this port (default: a free one)', valueName: 'PORT' },
    'skip-typecheck': { type: 'boolean', description: 'Do not run tsc --noEmit after each build (the lints still run)' },
    'data-dir': { type: 'string', description: 'Keep the host\'s data here (default: a temporary folder)', valueName: 'DIR' },
  },
  examples: [
    { command: 'atrium dev', description: 'Run the app of this folder on a local host' },
    { command: 'atrium dev --port 8080 --data-dir .atrium', description: 'A fixed port, data kept between runs' },
  ],
  async run({ args, io, log }) {
    const dir = args.dir ? resolve(io.cwd, args.dir) : findProject(io.cwd)?.appDir;
    if (!dir) throw new CliError({ code: 'PROJECT_NOT_FOUND', message: `no manifest.json in ${io.cwd} or above`, hint: 'Run it in an app folder, or pass the folder: "atrium dev <dir>".' });
    const port = args.port === undefined ? 0 : Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new CliError({ code: 'USAGE', message: `--port must be a port number (0–65535), not "${args.port}"`, exitCode: 2 });

    const { createHost } = await hostModule<typeof import('../../../host/src/app.ts')>('app.ts');
    const { settingsFromEnv } = await hostModule<typeof import('../../../host/src/config.ts')>('config.ts');
    const { openDatabase } = await hostModule<typeof import('../../../host/src/db/database.ts')>('db/database.ts');
    const { serveHost } = await hostModule<typeof import('../../../host/src/server.ts')>('server.ts');
    const { seedDemoData, DEMO_PASSWORD } = await hostModule<typeof import('../../../host/src/seed.ts')>('seed.ts');
    const { createLogger } = await hostModule<typeof import('../../../host/src/logger.ts')>('logger.ts');
    const { loadDevApp } = await hostModule<typeof import('../../../host/src/apps/dev-loader.ts')>('apps/dev-loader.ts');

    const temporary = args['data-dir'] === undefined;
    const dataDir = temporary ? await mkdtemp(join(tmpdir(), 'atrium-dev-')) : resolve(io.cwd, args['data-dir']!);
    const settings = settingsFromEnv({ PORT: String(port), HOST: '127.0.0.1', ATRIUM_DATA_DIR: dataDir, ATRIUM_MINIAPPS_DIR: '', ATRIUM_LOG: io.env.ATRIUM_HOST_LOG ?? 'warn' });
    // The host's log goes to stderr: stdout carries the CLI's lines (and only JSON with --json).
    const logger = createLogger({ level: settings.logLevel, destination: 2 });
    const database = openDatabase(join(dataDir, 'atrium.db'));
    let host: ReturnType<typeof createHost> | undefined;
    let served: Awaited<ReturnType<typeof serveHost>>;
    try {
      served = await serveHost(() => host, { hostname: settings.host, port: settings.port });
    } catch (cause) {
      await database.close();
      throw new CliError({ code: 'HOST_UNREACHABLE', message: `could not listen on 127.0.0.1:${port}: ${(cause as Error).message}`, hint: 'Pass another --port, or leave it out for a free one.', cause });
    }
    const publicUrl = `http://127.0.0.1:${served.port}`;
    host = createHost({ db: database, logger, config: { ...settings.config, publicUrl } });
    const seeded = await seedDemoData(host.services);
    const services = host.services;
    const options = { registry: services.apps.registry, publish: services.developer };
    const emit = (event: Record<string, unknown>): void => io.stdout(JSON.stringify(event));

    let appId: string | undefined;
    const project = findProject(dir);
    const typecheck = !args['skip-typecheck'] && project?.config.typecheck !== false;

    // The checks of `atrium build` after each build: one at a time, the newest build's result only.
    let checking = false;
    let checkAgain = false;
    let lastShown = '';
    let latestVersion = 0;
    const check = async (versionCode: number): Promise<void> => {
      latestVersion = versionCode;
      if (checking) {
        checkAgain = true;
        return;
      }
      checking = true;
      try {
        do {
          checkAgain = false;
          const manifest = await readProjectManifest(dir).catch(() => undefined);
          if (!manifest || !appId) return;
          const report = await checkProject(dir, manifest, { typecheck }).catch((cause: unknown) => ({
            problems: [{ code: 'LINT_FAILED' as const, message: 'the checks could not run', details: [cause instanceof Error ? cause.message : String(cause)] }],
            warnings: [],
            typecheck: 'skipped' as const,
          }));
          if (checkAgain) continue; // a newer save is waiting: its check is the one to show
          const lines = report.problems.flatMap((p) => [`${p.code}: ${p.message}`, ...p.details]);
          if (lines.length) services.sessions.buildFailed(appId, lines, { sticky: true });
          else services.sessions.buildPassed(appId);
          if (args.json) emit({ event: 'checked', appId, versionCode: latestVersion, ok: report.problems.length === 0, typecheck: report.typecheck, problems: report.problems });
          else {
            const shown = JSON.stringify(lines);
            for (const problem of report.problems) {
              const error = new CliError({ code: problem.code, message: problem.message, details: problem.details, hint: 'The app was reloaded anyway; fix these before "atrium build" (it refuses them).' });
              for (const line of formatError(error)) io.stderr(line);
            }
            if (!lines.length && lastShown !== '[]' && lastShown !== '') log.success(`No type or lint errors${report.typecheck === 'passed' ? '' : ` (type check ${report.typecheck})`}.`);
            lastShown = shown;
          }
        } while (checkAgain);
      } finally {
        checking = false;
      }
    };

    const rebuild = async (first: boolean): Promise<void> => {
      const started = performance.now();
      try {
        const loaded = await loadDevApp(dir, first ? { ...options, backends: { network: services.apps.network, atriumUrl: publicUrl } } : options);
        appId = loaded.appId;
        const ms = Math.round(performance.now() - started);
        if (first) {
          firstVersion = loaded.versionCode;
          return;
        }
        const reloaded = services.sessions.reloadApp(loaded.appId);
        if (args.json) emit({ event: 'rebuilt', appId: loaded.appId, versionCode: loaded.versionCode, ms, reloaded });
        else log.success(`Rebuilt ${loaded.appId} as version ${loaded.versionCode} in ${ms} ms; reloaded ${reloaded} session${reloaded === 1 ? '' : 's'}.`);
        void check(loaded.versionCode);
      } catch (error) {
        const problem = buildProblem(error, dir);
        if (first) throw problem; // reported once, by the CLI's error path, and the command stops
        if (appId) services.sessions.buildFailed(appId, [problem.message, ...problem.details]);
        if (args.json) emit({ event: 'error', error: { code: problem.code, message: problem.message, details: problem.details, hint: problem.hint } });
        else for (const line of formatError(problem)) io.stderr(line);
      }
    };

    const stop = async (): Promise<void> => {
      watcher?.close();
      services.stop();
      await services.sessions.stop();
      await new Promise<void>((done) => served.server.close(() => done()));
      await services.bus.close();
      await database.close();
      if (temporary) await rm(dataDir, { recursive: true, force: true });
    };
    let watcher: FSWatcher | undefined;
    let firstVersion = 0;
    try {
      await rebuild(true);
    } catch (error) {
      await stop();
      throw error;
    }
    const launchUrl = `${publicUrl}/a/${appId}`;
    if (args.json) emit({ event: 'ready', url: publicUrl, appId, launchUrl, people: seeded, dataDir });
    else {
      log.success(`Atrium dev host at ${publicUrl} (data in ${dataDir}${temporary ? ', removed on exit' : ''})`);
      if (seeded.length > 0) log.info(`Sign in as ${seeded.map((h) => `@${h}`).join(', ')} (password "${DEMO_PASSWORD}").`);
      if (io.isTTY) log.info(await QRCode.toString(launchUrl, { type: 'terminal', small: true }));
      log.info(`Open ${appId}: ${launchUrl}`);
      log.info(`Watching ${dir} — save to rebuild and reload. Ctrl-C stops.`);
    }
    const firstCheck = check(firstVersion);

    // Saves come in bursts (editors write, rename, touch): rebuild once they settle, one build at a time.
    let timer: NodeJS.Timeout | undefined;
    let building: Promise<void> = Promise.resolve();
    let pending = false;
    const schedule = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (pending) return;
        pending = true;
        building = building.then(() => {
          pending = false;
          return rebuild(false);
        });
      }, 80);
    };
    watcher = watch(dir, { recursive: true }, (_event, file) => {
      const name = String(file ?? '');
      if (/^(dist|node_modules|\.git)(\/|$)/.test(name) || name.endsWith('~') || name.endsWith('.swp')) return;
      schedule();
    });

    await new Promise<void>((done) => {
      const onSignal = (): void => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        done();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    clearTimeout(timer);
    await building;
    await firstCheck;
    while (checking) await new Promise((resolve) => setTimeout(resolve, 50));
    await stop();
  },
});
