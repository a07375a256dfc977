/**
 * @module Sub-packages in the session layer (real SDK bundles, in-process manager): a sub-package's code is asked
 * for and run in the session's isolate only when one of its pages first opens; a fetch failure refuses the
 * navigation and leaves the stack as it was; a sub-package that throws at its top level ends the session.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { SessionManager } from '../../runtime/src/session/manager.ts';
import type { AppBundle, Outcome, RuntimeOutput } from '../../runtime/src/session/types.ts';
import { loadViewOps } from '../../runtime/src/view/ops.ts';
import { createFakeClock } from './helpers/fake-clock.ts';
import { pageText } from './helpers/shell.ts';

const ROOT = new URL('../..', import.meta.url).pathname;

async function bundle(contents: string): Promise<string> {
  const result = await build({ stdin: { contents, resolveDir: ROOT, loader: 'tsx' }, bundle: true, format: 'iife', platform: 'neutral', target: 'es2022', jsx: 'automatic', jsxImportSource: '@atrium/sdk', mainFields: ['module', 'main'], conditions: ['import'], write: false, logLevel: 'silent' });
  return result.outputFiles[0]!.text;
}

const MAIN = `import { definePage, startApp } from '@atrium/sdk';
startApp({ pages: { 'pages/index': definePage({ render: () => <text>home</text> }) } });`;
const EXTRA = `import { atrium, definePage, registerSubpackage } from '@atrium/sdk';
registerSubpackage({ name: 'extra', pages: { 'extra/pages/a': definePage({
  data: { n: 0 },
  async onLoad() { const { value } = await atrium.storage.get({ key: 'n' }); this.setData({ n: Number(value) }); },
  render: (d) => <text>{'extra ' + d.n}</text>,
}) } });`;

async function start(loader: (sessionId: string, name: string) => Promise<Outcome<{ bundle: AppBundle }>>) {
  const outputs: RuntimeOutput[] = [];
  const manager = new SessionManager({
    limits: { warmPoolSize: 1 },
    view: await loadViewOps(),
    clock: createFakeClock(),
    bridge: async (_s, api) => (api === 'storage.get' ? { ok: true, result: { value: 7 } } : { ok: false, code: 'UNKNOWN_API', message: api }),
    emit: (o) => outputs.push(o),
    loadSubpackage: loader,
  });
  await manager.start();
  const launch = async (id: string) => manager.launch(id, { code: await bundle(MAIN), cacheKey: 'app@1' }, { pages: ['pages/index'], subpackages: [{ name: 'extra', pages: ['extra/pages/a'] }] });
  const pages = (id: string) => outputs.filter((o): o is Extract<RuntimeOutput, { type: 'pages' }> => o.type === 'pages' && o.sessionId === id).at(-1)?.pages.map((p) => p.route);
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 500 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(ok(), 'timed out');
  };
  return { manager, outputs, launch, pages, until, [Symbol.dispose]: () => manager.dispose() };
}

describe('sub-packages in a session', () => {
  it('loads a sub-package once, on the first navigation to one of its pages', async () => {
    const extra = await bundle(EXTRA);
    const asked: string[] = [];
    using rt = await start(async (sessionId, name) => {
      asked.push(`${sessionId}:${name}`);
      return { ok: true, bundle: { code: extra, cacheKey: 'app@1/extra' } };
    });
    assert.equal((await rt.launch('s')).ok, true);
    assert.deepEqual([asked, rt.manager.stats().subpackageLoads], [[], 0]);
    assert.deepEqual(await rt.manager.navigate('s', 'navigateTo', { url: '/extra/pages/a' }), { ok: true });
    await rt.until(() => pageText(rt.outputs, 's', 2) === 'extra 7');
    assert.deepEqual(rt.pages('s'), ['pages/index', 'extra/pages/a']);
    assert.deepEqual([asked, rt.manager.stats().subpackageLoads], [['s:extra'], 1]);
    assert.deepEqual(await rt.manager.navigate('s', 'navigateBack', { delta: 1 }), { ok: true });
    assert.deepEqual(await rt.manager.navigate('s', 'reLaunch', { url: 'extra/pages/a' }), { ok: true });
    assert.deepEqual([asked, rt.manager.stats().subpackageLoads], [['s:extra'], 1]);
    // Another session runs it in its own isolate (the compiled code comes from the cache).
    assert.deepEqual(await rt.launch('t').then((o) => o.ok), true);
    assert.deepEqual(await rt.manager.navigate('t', 'redirectTo', { url: 'extra/pages/a' }), { ok: true });
    assert.deepEqual([asked, rt.manager.stats().subpackageLoads], [['s:extra', 't:extra'], 2]);
  });

  it('refuses the navigation when the sub-package cannot be fetched, and keeps the stack and the session', async () => {
    using rt = await start(async () => ({ ok: false, code: 'NOT_FOUND', message: 'gone' }));
    assert.equal((await rt.launch('s')).ok, true);
    const refused = await rt.manager.navigate('s', 'navigateTo', { url: 'extra/pages/a' });
    assert.equal(refused.ok ? 'ok' : refused.code, 'SUBPACKAGE_UNAVAILABLE');
    assert.deepEqual(rt.pages('s'), ['pages/index']);
    assert.equal(rt.manager.stats().subpackageLoads, 0);
    assert.deepEqual(await rt.manager.navigate('s', 'navigateTo', { url: 'pages/index' }), { ok: true }, 'the session still runs');
  });

  it('ends the session when a sub-package throws at its top level', async () => {
    const broken = await bundle(`throw new Error('boom');`);
    using rt = await start(async () => ({ ok: true, bundle: { code: broken, cacheKey: 'app@1/extra' } }));
    assert.equal((await rt.launch('s')).ok, true);
    const failed = await rt.manager.navigate('s', 'navigateTo', { url: 'extra/pages/a' });
    assert.equal(failed.ok, false);
    await rt.until(() => rt.outputs.some((o) => o.type === 'session-crashed' && o.sessionId === 's'));
    const crashed = rt.outputs.find((o): o is Extract<RuntimeOutput, { type: 'session-crashed' }> => o.type === 'session-crashed');
    assert.match(crashed!.message, /The sub-package extra failed to load: .*boom/);
  });
});
