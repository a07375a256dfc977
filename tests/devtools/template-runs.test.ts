/** @module The `atrium init` template runs at once: its built package launches in the real runtime and answers a tap. */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readPackage } from '../../devtools/src/build/package.ts';
import { startTestRuntime } from '../runtime/helpers/runtime.ts';
import { pageText } from '../runtime/helpers/shell.ts';
import { runCli, tempDir } from './run-cli.ts';

describe('the init template', () => {
  it('launches from its package in the runtime, renders and counts taps into storage', async () => {
    await using dir = await tempDir();
    assert.equal((await runCli(['init', 'app', '--app-id', 'com.example.counter', '--name', 'Counter'], { cwd: dir.path })).code, 0);
    const built = await runCli(['build', '--skip-typecheck', '--json'], { cwd: join(dir.path, 'app') });
    assert.equal(built.code, 0, built.stderr);
    const pkg = readPackage(new Uint8Array(await readFile((JSON.parse(built.stdout) as { file: string }).file)));

    const storage = new Map<string, unknown>();
    await using rt = await startTestRuntime({
      bridge: async (_, api, args) => {
        const { key, value } = args as { key: string; value?: unknown };
        if (api === 'storage.get') return { ok: true, result: { value: storage.get(key) ?? null } };
        if (api === 'storage.set') return storage.set(key, value), { ok: true, result: null };
        if (api === 'storage.remove') return storage.delete(key), { ok: true, result: null };
        if (api === 'showToast') return { ok: true, result: null };
        return { ok: false, code: 'UNKNOWN_API', message: api };
      },
    });
    const launched = await rt.runtime.launch('t', { code: pkg.appJs, cacheKey: 'counter@1' }, { pages: pkg.manifest.pages });
    assert.deepEqual(launched, { ok: true, pages: [{ pageId: 1, route: 'pages/index' }] });
    // Generous waits: this runs beside browser tests in `npm test`, and the first render waits for a storage
    // read through the bridge (on failure the helper says what the runtime did say).
    await rt.waitFor(() => /Welcome to Counter/.test(pageText(rt.outputs, 't', 1)) && /Tapped 0 times\./.test(pageText(rt.outputs, 't', 1)), 15_000);
    assert.deepEqual(await rt.runtime.event('t', 1, 'increment', { dataset: {} }), { ok: true });
    await rt.waitFor(() => /Tapped 1 time\./.test(pageText(rt.outputs, 't', 1)), 15_000);
    // The storage write is a bridge call, not a runtime output: it may land just after the patch, so poll it.
    for (let i = 0; i < 100 && storage.get('count') !== 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(storage.get('count'), 1);
  });
});
