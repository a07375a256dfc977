/** @module An app built with the real SDK, bundled by esbuild, through the real runtime child: the whole guest contract. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { pageText } from './helpers/shell.ts';
import { startTestRuntime } from './helpers/runtime.ts';

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./apps/notes-app.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  assert.ok(file);
  return file.text;
}

describe('an SDK app in the runtime', () => {
  it('renders, answers sync and awaited handlers, navigates and fires timers', async () => {
    const storage = new Map<string, unknown>([['count', 41]]);
    await using rt = await startTestRuntime({
      bridge: async (_, api, args) => {
        const { key, value } = args as { key: string; value?: unknown };
        if (api === 'storage.get') return { ok: true, result: { value: storage.get(key) ?? null } };
        if (api === 'storage.set') {
          storage.set(key, value);
          return { ok: true, result: null };
        }
        return { ok: false, code: 'UNKNOWN_API', message: api };
      },
    });
    const code = await bundle();
    const launched = await rt.runtime.launch('n', { code, cacheKey: 'notes@1' }, { pages: ['pages/index', 'pages/detail'] });
    assert.deepEqual(launched, { ok: true, pages: [{ pageId: 1, route: 'pages/index' }] });
    const text = (pageId = 1): string => pageText(rt.outputs, 'n', pageId);
    // onLoad awaited storage.get: its continuation's setData came out through a flush entry.
    await rt.waitFor(() => /count=41 /.test(text()));

    assert.deepEqual(await rt.runtime.event('n', 1, 'inc', { dataset: {} }), { ok: true });
    assert.match(text(), /count=42 saved=no/);
    assert.deepEqual(await rt.runtime.event('n', 1, 'save', {}), { ok: true });
    await rt.waitFor(() => /saved=yes 42/.test(text()));
    assert.equal(storage.get('count'), 42);

    assert.deepEqual(await rt.runtime.event('n', 1, 'tick', {}), { ok: true });
    await rt.waitFor(() => /ticks=1/.test(text()));

    assert.deepEqual(await rt.runtime.event('n', 1, 'open', {}), { ok: true });
    await rt.waitFor(() => /detail count=42/.test(text(2)));
    assert.deepEqual(await rt.runtime.event('n', 2, 'back', {}), { ok: true });
    await rt.waitFor((o) => o.type === 'pages' && o.sessionId === 'n' && o.pages.length === 1 && rt.outputs.filter((p) => p.type === 'pages').length > 2);

    const unknown = await rt.runtime.event('n', 1, 'onLoad', {});
    assert.equal(unknown.ok ? 'ok' : unknown.code, 'EVENT_HANDLER_UNKNOWN');
    assert.equal(rt.outputs.filter((o) => o.type === 'session-crashed').length, 0);
    assert.deepEqual(rt.outputs.filter((o) => o.type === 'log' && o.level !== 'debug' && !/slow entry/.test(o.message)), []);
  });
});
