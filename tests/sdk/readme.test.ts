/**
 * @module The SDK README stays true: its tutorial is the `hello` fixture (type-checked by tsc, bundled and run
 * here), and its reference names every component, bridge API, manifest field and SDK error code.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';
import { BRIDGE_API_NAMES, COMPONENT_NAMES, createEntrySource, ManifestSchema, parseManifest, SDK_CODES, validateViewTree, type GuestOutbound } from '../../sdk/src/index.ts';

const readme = await readFile(new URL('../../sdk/README.md', import.meta.url), 'utf8');
const hello = new URL('./fixtures/hello/', import.meta.url).pathname;
const blocks = [...readme.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], code: m[2] }));

describe('sdk/README.md', () => {
  it('contains the hello fixture verbatim as its tutorial', async () => {
    const of = (lang: string) => blocks.filter((b) => b.lang === lang).map((b) => b.code);
    assert.equal(of('json')[0], await readFile(`${hello}manifest.json`, 'utf8'));
    assert.equal(of('ts')[0], await readFile(`${hello}src/app.ts`, 'utf8'));
    assert.equal(of('tsx')[0], await readFile(`${hello}src/pages/index.tsx`, 'utf8'));
    assert.equal(of('tsx')[1], await readFile(`${hello}src/pages/detail.tsx`, 'utf8'));
  });

  it('documents every component, bridge API, manifest field and SDK error code', () => {
    for (const name of COMPONENT_NAMES) assert.ok(readme.includes(`| \`${name}\` |`), `component ${name}`);
    for (const name of BRIDGE_API_NAMES) assert.ok(readme.includes(`\`${name}`), `bridge API ${name}`);
    const fields = Object.keys(ManifestSchema.shape);
    assert.ok(fields.length > 10);
    for (const field of fields) assert.ok(readme.includes(`| \`${field}\` |`), `manifest field ${field}`);
    for (const code of Object.keys(SDK_CODES)) assert.ok(readme.includes(`\`${code}\``), `error code ${code}`);
  });

  it('lists every value @atrium/sdk exports in its exports table', async () => {
    const sdk = await import('../../sdk/src/index.ts');
    const table = readme.slice(readme.indexOf('### Everything `@atrium/sdk` exports'), readme.indexOf('### Error codes'));
    assert.ok(table.length > 100, 'the exports section exists');
    const missing = Object.keys(sdk).filter((name) => !new RegExp(`\`${name}[\`(]`).test(table));
    assert.deepEqual(missing, [], 'add these to the exports table in sdk/README.md');
  });

  it('runs the tutorial app: load, restore the list from storage, type and add', async () => {
    const manifest = parseManifest(JSON.parse(await readFile(`${hello}manifest.json`, 'utf8')));
    assert.ok(manifest.ok);
    const result = await build({
      stdin: { contents: createEntrySource({ pages: manifest.manifest.pages }), resolveDir: hello, loader: 'ts' },
      bundle: true, format: 'iife', platform: 'neutral', jsx: 'automatic', jsxImportSource: '@atrium/sdk', write: false, logLevel: 'silent',
    });
    let dispatch: (msg: string) => string = () => '';
    vm.runInContext(result.outputFiles[0]!.text, vm.createContext({ console: { log() {}, warn() {}, error() {} }, __atriumRegister: (fn: typeof dispatch) => (dispatch = fn) }));
    const send = (msg: unknown): Extract<GuestOutbound, { ok: true }> => {
      const out = JSON.parse(dispatch(JSON.stringify(msg))) as GuestOutbound;
      assert.equal(out.ok, true, JSON.stringify(out));
      return out as Extract<GuestOutbound, { ok: true }>;
    };
    send({ t: 'app', hook: 'launch', options: { path: 'pages/index', query: {}, scene: 1001 } });
    const loaded = send({ t: 'page', hook: 'load', pageId: 1, route: 'pages/index', query: {} });
    assert.deepEqual(validateViewTree(loaded.renders[0]!.tree, { routes: manifest.manifest.pages }), { ok: true });
    send({ t: 'reply', id: loaded.calls[0]!.id, ok: true, result: { value: [{ id: 1, title: 'milk', done: false }] } });
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(JSON.stringify(send({ t: 'flush' }).renders), /milk/);
    send({ t: 'event', pageId: 1, handler: 'typed', detail: { value: 'eggs', dataset: {} } });
    const added = send({ t: 'event', pageId: 1, handler: 'add', detail: { dataset: {} } });
    assert.match(JSON.stringify(added.renders), /eggs/);
    assert.deepEqual(added.calls.map((c) => c.api), ['storage.set']);
    const detail = send({ t: 'page', hook: 'load', pageId: 2, route: 'pages/detail', query: { from: 'index' } });
    assert.match(JSON.stringify(detail.renders), /Opened from index/);
  });
});
