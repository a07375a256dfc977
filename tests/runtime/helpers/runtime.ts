/** @module Test harness: a real runtime child behind the supervisor, with recorded outputs and a liveness probe. */

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Json } from '../../../sdk/src/protocol.ts';
import type { BridgeResult } from '../../../runtime/src/bridge/registry.ts';
import type { RuntimeLimits } from '../../../runtime/src/config.ts';
import { createRuntimeSupervisor, type RunawayOptions, type RuntimeSupervisor } from '../../../runtime/src/process/supervisor.ts';
import type { LaunchOptions, RuntimeOutput } from '../../../runtime/src/session/types.ts';
import { TEST_PAGES, testApp } from './guest.ts';

/** A bridge call the host handler saw. */
export interface SeenCall {
  sessionId: string;
  api: string;
  args: Json;
}

/** A runtime under test. */
export interface TestRuntime {
  runtime: RuntimeSupervisor;
  outputs: RuntimeOutput[];
  calls: SeenCall[];
  lost: string[][];
  /** Waits until an output matches (default 5 s). */
  waitFor<T extends RuntimeOutput>(match: (output: RuntimeOutput) => output is T, ms?: number): Promise<T>;
  waitFor(match: (output: RuntimeOutput) => boolean, ms?: number): Promise<RuntimeOutput>;
  /** Launches a bundle built from page code with the test pages. */
  launch(sessionId: string, pageCode: string, options?: Partial<LaunchOptions> & { cacheKey?: string; register?: boolean }): ReturnType<RuntimeSupervisor['launch']>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of `startTestRuntime`. */
export interface TestRuntimeOptions {
  limits?: Partial<RuntimeLimits>;
  runaway?: Partial<RunawayOptions>;
  /** The host's bridge handler (default: answers `{ echo: api }`). */
  bridge?: (sessionId: string, api: string, args: Json) => Promise<BridgeResult>;
}

/** Starts a supervised runtime child for a test. */
export async function startTestRuntime(options: TestRuntimeOptions = {}): Promise<TestRuntime> {
  const outputs: RuntimeOutput[] = [];
  const calls: SeenCall[] = [];
  const lost: string[][] = [];
  const watchers = new Set<() => void>();
  const runtime = createRuntimeSupervisor({
    limits: { warmPoolSize: 2, ...options.limits },
    runaway: options.runaway,
    bridge: async (sessionId, api, args) => {
      calls.push({ sessionId, api, args });
      return options.bridge ? options.bridge(sessionId, api, args) : { ok: true, result: { echo: api } };
    },
    onOutput: (output) => {
      outputs.push(output);
      for (const watcher of watchers) watcher();
    },
    onSessionsLost: (ids) => {
      lost.push(ids);
      for (const watcher of watchers) watcher();
    },
  });
  await runtime.ready;
  function waitFor(match: (output: RuntimeOutput) => boolean, ms = 5000): Promise<RuntimeOutput> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = outputs.find(match);
        if (!found) return false;
        watchers.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        // What the runtime did say, to tell a slow machine from a lost call or a restarted child.
        const seen = outputs.slice(-8).map((o) => (o.type === 'log' ? `log:${o.message.slice(0, 80)}` : `${o.type}:${'sessionId' in o ? o.sessionId : ''}`));
        reject(new Error(`no matching runtime output within ${ms} ms (last outputs: ${seen.join(', ') || 'none'}; bridge calls: ${calls.map((c) => c.api).join(', ') || 'none'}; lost: ${JSON.stringify(lost)}; restarts: ${runtime.restarts})`));
      }, ms);
      if (!check()) watchers.add(check);
    });
  }
  return {
    runtime,
    outputs,
    calls,
    lost,
    waitFor: waitFor as TestRuntime['waitFor'],
    launch(sessionId, pageCode, launchOptions = {}) {
      const { cacheKey = `app-${sessionId}`, register, ...rest } = launchOptions;
      return runtime.launch(sessionId, { code: testApp(pageCode, { register }), cacheKey }, { pages: TEST_PAGES, ...rest });
    },
    [Symbol.asyncDispose]: () => runtime.stop(),
  };
}

/** A tiny HTTP server in the test process: answering within 1 s proves the host side stays responsive. */
export async function startProbeServer(): Promise<{ probe(): Promise<number>; [Symbol.asyncDispose](): Promise<void> }> {
  const server: Server = createServer((_, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** Milliseconds one request took (throws if over 1 s). */
    async probe() {
      const started = performance.now();
      const response = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
      await response.text();
      return performance.now() - started;
    },
    [Symbol.asyncDispose]: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Outputs of one type for one session. */
export function outputsOf<T extends RuntimeOutput['type']>(outputs: RuntimeOutput[], type: T, sessionId: string): Array<Extract<RuntimeOutput, { type: T }>> {
  return outputs.filter((output): output is Extract<RuntimeOutput, { type: T }> => output.type === type && 'sessionId' in output && output.sessionId === sessionId);
}

export { TEST_PAGES };
