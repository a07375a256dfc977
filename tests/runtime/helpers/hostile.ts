/** @module Shared fixtures of the hostile-code battery: a page factory, a bystander session and liveness checks. */

import assert from 'node:assert/strict';
import { COUNTER_PAGE } from './guest.ts';
import { pageText } from './shell.ts';
import type { TestRuntime } from './runtime.ts';

/**
 * A page whose text shows `data.out` and which has one button per handler, so that every handler is a valid event
 * target. `handlers` is JS source for the handlers object's body.
 */
export function hostilePage(handlers: string, data = "{ out: '' }"): string {
  return `pages['pages/index'] = {
  data: ${data},
  render(d) {
    return h('view', {}, [h('text', {}, ['out=' + String(d.out)]), ...Object.keys(this.def.handlers).map((k) => h('button', { onTap: k }, [k]))]);
  },
  handlers: { ${handlers} },
};`;
}

/** The bystander: a counter session launched next to every hostile one; it must keep working. */
export const BYSTANDER = 'bystander';

/** Launches the bystander on a runtime. */
export async function launchBystander(rt: TestRuntime): Promise<void> {
  const launched = await rt.launch(BYSTANDER, COUNTER_PAGE, { cacheKey: 'counter@1' });
  assert.equal(launched.ok, true);
}

/** Taps the bystander's counter and checks that the person sees the new count. */
export async function assertBystanderWorks(rt: TestRuntime): Promise<void> {
  const before = pageText(rt.outputs, BYSTANDER, 1);
  const count = Number(/n=(\d+)/.exec(before)?.[1] ?? NaN);
  const outcome = await rt.runtime.event(BYSTANDER, 1, 'inc', {});
  assert.deepEqual(outcome, { ok: true });
  assert.match(pageText(rt.outputs, BYSTANDER, 1), new RegExp(`n=${count + 1}\\b`));
}

/** Text the person sees on page 1 of a session. */
export function seen(rt: TestRuntime, sessionId: string): string {
  return pageText(rt.outputs, sessionId, 1);
}

/** The `session-crashed` output of a session, waiting up to `ms`. */
export async function crashOf(rt: TestRuntime, sessionId: string, ms = 5000): Promise<{ code: string; message: string }> {
  const output = await rt.waitFor((o) => o.type === 'session-crashed' && o.sessionId === sessionId, ms);
  assert.equal(output.type, 'session-crashed');
  return output as { code: string; message: string };
}

/** Ticks an interval in the test process and reports the longest gap between ticks (event-loop liveness). */
export function startTicker(): { stop(): number } {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(worst, performance.now() - last);
    },
  };
}
