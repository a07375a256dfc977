/** @module An in-process session manager with a fake clock, for tests of the session layer (no child process). */

import type { Json } from '../../../sdk/src/protocol.ts';
import type { BridgeResult } from '../../../runtime/src/bridge/registry.ts';
import type { RuntimeLimits } from '../../../runtime/src/config.ts';
import { SessionManager } from '../../../runtime/src/session/manager.ts';
import type { LaunchOptions, RuntimeOutput } from '../../../runtime/src/session/types.ts';
import { loadViewOps } from '../../../runtime/src/view/ops.ts';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import { TEST_PAGES, testApp } from './guest.ts';
import { pageText } from './shell.ts';

/** A manager under test. */
export interface InProcess {
  manager: SessionManager;
  clock: FakeClock;
  outputs: RuntimeOutput[];
  launch(sessionId: string, pageCode: string, options?: Partial<LaunchOptions>): ReturnType<SessionManager['launch']>;
  text(sessionId: string, pageId: number): string;
  /** Waits until no entry runs or waits and no session has queued work (entries run on isolated-vm's threads). */
  settle(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a session manager in this process on a fake clock. */
export async function startInProcess(
  limits: Partial<RuntimeLimits> = {},
  bridge: (sessionId: string, api: string, args: Json) => Promise<BridgeResult> = async () => ({ ok: true, result: null }),
): Promise<InProcess> {
  const clock = createFakeClock();
  const outputs: RuntimeOutput[] = [];
  const manager = new SessionManager({
    limits: { warmPoolSize: 1, ...limits },
    view: await loadViewOps(),
    bridge,
    clock,
    emit: (output) => outputs.push(output),
  });
  await manager.start();
  return {
    manager,
    clock,
    outputs,
    launch: (sessionId, pageCode, options = {}) =>
      manager.launch(sessionId, { code: testApp(pageCode), cacheKey: `test-${sessionId}` }, { pages: TEST_PAGES, ...options }),
    text: (sessionId, pageId) => pageText(outputs, sessionId, pageId),
    async settle() {
      const deadline = Date.now() + 10_000;
      let quiet = 0;
      while (quiet < 3 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        quiet = manager.busy ? 0 : quiet + 1;
      }
    },
    [Symbol.asyncDispose]: async () => manager.dispose(),
  };
}
