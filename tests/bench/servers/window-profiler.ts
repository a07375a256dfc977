/**
 * @module CPU profiles of chosen windows of a benchmark server's life, so start-up and set-up do not drown the
 * measured part: with `BENCH_WINDOW_PROF=<dir>`, each window is written to `<dir>/window-<n>.cpuprofile`. Without
 * it, every method does nothing.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

/** Starts and stops profiling windows; `next()` ends the current window (if any) and starts another. */
export interface WindowProfiler {
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  next(): Promise<void>;
}

/** @example const profiler = windowProfiler(process.env.BENCH_WINDOW_PROF); await profiler.next(); */
export function windowProfiler(dir: string | undefined): WindowProfiler {
  if (!dir) return { running: false, start: async () => undefined, stop: async () => undefined, next: async () => undefined };
  const session = new Session();
  session.connect();
  const post = (method: string): Promise<{ profile?: unknown }> =>
    new Promise((resolve, reject) => session.post(method, (error, result) => (error ? reject(error) : resolve(result as { profile?: unknown }))));
  let enabled = false;
  let running = false;
  let windows = 0;
  const profiler: WindowProfiler = {
    get running() {
      return running;
    },
    async start() {
      if (running) return;
      running = true;
      if (!enabled) {
        enabled = true;
        await post('Profiler.enable');
      }
      await post('Profiler.start');
    },
    async stop() {
      if (!running) return;
      running = false;
      const { profile } = await post('Profiler.stop');
      writeFileSync(join(dir, `window-${++windows}.cpuprofile`), JSON.stringify(profile));
    },
    async next() {
      await profiler.stop();
      await profiler.start();
    },
  };
  return profiler;
}
