/** @module The compiled-code cache: data made on our side, checked against the code, re-made once the code has run. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ivm from 'isolated-vm';
import { createCompileCache } from '../../runtime/src/isolate/compile-cache.ts';

const wrap = (code: string): string => `(function () {\n${code}\n})();`;
/** A bundle whose top level calls most of its functions, as an app's start-up does. */
const bundle = (tag: string): string => {
  const fns = Array.from({ length: 200 }, (_, i) => `function f${i}(a) { const parts = String(a).split(''); return parts.map((c) => c + '${tag}').join('') + ${i}; }`);
  return `${fns.join('\n')}\nglobalThis.out = [${fns.map((_, i) => `f${i}(${i})`).join(', ')}].join('|');`;
};

async function run(cache: ReturnType<typeof createCompileCache>, code: string, key: string, verified: string[]): Promise<{ isolate: ivm.Isolate; out: string; rejected: boolean }> {
  const isolate = new ivm.Isolate({ memoryLimit: 32 });
  const context = await isolate.createContext();
  const script = (await cache.compile(isolate, code, key, wrap, async (source) => void verified.push(source))) as ivm.Script & { cachedDataRejected?: boolean };
  await script.run(context, { timeout: 1000 });
  const out = (await context.global.get('out')) as string;
  return { isolate, out, rejected: script.cachedDataRejected === true };
}

describe('compile cache', () => {
  it('re-makes a version’s data once from the isolate that ran it, with the functions the run compiled', async () => {
    const cache = createCompileCache();
    const code = bundle('a');
    const verified: string[] = [];
    const first = await run(cache, code, 'app@1', verified);
    const atCompile = cache.dataBytes('app@1')!;
    await cache.recordRun(first.isolate, code, 'app@1', wrap);
    const afterRun = cache.dataBytes('app@1')!;
    assert.ok(afterRun > atCompile * 2, `data after the run (${afterRun} B) holds the compiled functions, not only the top level (${atCompile} B)`);
    await cache.recordRun(first.isolate, code, 'app@1', wrap);
    assert.equal(cache.dataBytes('app@1'), afterRun, 'made once per version');
    first.isolate.dispose();

    const second = await run(cache, code, 'app@1', verified);
    assert.equal(second.rejected, false, 'V8 accepts the re-made data');
    assert.equal(second.out, first.out);
    assert.equal(verified.length, 1, 'known code is not verified again');
    second.isolate.dispose();
  });

  it('never applies a version’s data to other code under the same key', async () => {
    const cache = createCompileCache();
    const verified: string[] = [];
    const first = await run(cache, bundle('a'), 'app@1', verified);
    // A run of other code cannot re-make the entry.
    await cache.recordRun(first.isolate, bundle('b'), 'app@1', wrap);
    first.isolate.dispose();
    const other = await run(cache, bundle('b'), 'app@1', verified);
    assert.equal(verified.length, 2, 'new code under a known key is verified');
    assert.match(other.out, /0b/);
    other.isolate.dispose();
  });
});
