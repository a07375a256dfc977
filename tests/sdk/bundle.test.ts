/**
 * @module The whole toolchain on a TSX app: the entry generated from the manifest (`createEntrySource`), bundled
 * by esbuild as an IIFE with `jsxImportSource: '@atrium/sdk'`, tree-shaken (no zod, no validators in the guest),
 * then run in a bare `node:vm` context with a fake prelude and driven through its dispatcher.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import vm from 'node:vm';
import { build } from 'esbuild';
import { counter, createEntrySource, diffTrees, parseManifest, validateViewTree, type GuestOutbound, type Manifest, type ViewNode } from '../../sdk/src/index.ts';

const appDir = new URL('./fixtures/counter/', import.meta.url).pathname;
type Ok = Extract<GuestOutbound, { ok: true }>;

let manifest: Manifest;
let code: string;
let dispatch: (msg: string) => string;
const logs: string[] = [];

function send(msg: unknown): Ok {
  const out = JSON.parse(dispatch(JSON.stringify(msg))) as GuestOutbound;
  assert.equal(out.ok, true, out.ok ? '' : `${out.code}: ${out.message}`);
  return out as Ok;
}
const text = (node: ViewNode): string => (typeof node === 'string' ? node : node.children.map(text).join(' '));

before(async () => {
  const parsed = parseManifest(JSON.parse(await readFile(`${appDir}manifest.json`, 'utf8')));
  assert.ok(parsed.ok);
  manifest = parsed.manifest;
  const result = await build({
    stdin: { contents: createEntrySource({ pages: manifest.pages }), resolveDir: appDir, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: '@atrium/sdk',
    write: false,
    logLevel: 'silent',
  });
  code = result.outputFiles[0]!.text;
  const context = vm.createContext({
    console: { log: (...a: unknown[]) => logs.push(a.join(' ')), warn: (...a: unknown[]) => logs.push(a.join(' ')), error: (...a: unknown[]) => logs.push(a.join(' ')) },
    __atriumRegister: (fn: (msg: string) => string) => {
      dispatch = fn;
    },
  });
  vm.runInContext(code, context, { filename: 'bundle.js' });
});

describe('a bundled TSX app', () => {
  it('generates an entry that imports the app and every manifest page', () => {
    assert.equal(
      createEntrySource({ pages: ['pages/index', 'pages/about'] }),
      [
        "import { startApp } from \"@atrium/sdk\";",
        "import app from \"./src/app.ts\";",
        "import page0 from \"./src/pages/index.tsx\";",
        "import page1 from \"./src/pages/about.tsx\";",
        '',
        'startApp({',
        '  app,',
        '  pages: {',
        '    "pages/index": page0,',
        '    "pages/about": page1,',
        '  },',
        '});',
        '',
      ].join('\n'),
    );
    assert.throws(() => createEntrySource({ pages: ['pages/x"); evil("'] }), /bad page path/);
  });

  it('leaves zod, the validators and the manifest schema out of the guest bundle', () => {
    assert.doesNotMatch(code, /ZodError|safeParse|\$ZodType/);
    assert.doesNotMatch(code, /validateViewTree|STYLE_PROPERTIES|app_id|new URL\(/);
    assert.ok(code.length < 40_000, `bundle is ${code.length} bytes`);
  });

  it('registers its dispatcher and renders valid trees from TSX', () => {
    assert.equal(typeof dispatch, 'function');
    send({ t: 'app', hook: 'launch', options: { path: 'pages/index', query: {}, scene: 1001 } });
    const out = send({ t: 'page', hook: 'load', pageId: 1, route: 'pages/index', query: {} });
    const tree = out.renders[0]!.tree;
    assert.deepEqual(validateViewTree(tree, { routes: manifest.pages }), { ok: true });
    assert.match(text(tree), /Count: 0/);
    const about = send({ t: 'page', hook: 'load', pageId: 2, route: 'pages/about', query: {} }).renders[0]!.tree;
    assert.deepEqual(validateViewTree(about), { ok: true });
    assert.equal(typeof about !== 'string' && about.type, 'view', 'a multi-element fragment root is wrapped in a view');
  });

  it('turns events into small patches on the keyed list', () => {
    const nextId = counter();
    const first = send({ t: 'event', pageId: 1, handler: 'add', detail: { dataset: {} } }).renders[0]!.tree;
    const { wire } = diffTrees(undefined, first, nextId);
    const toggled = send({ t: 'event', pageId: 1, handler: 'toggle', detail: { dataset: { index: 1 } } }).renders[0]!.tree;
    assert.deepEqual(validateViewTree(toggled), { ok: true });
    const { patches } = diffTrees(wire, toggled, nextId);
    assert.deepEqual(patches.map((p) => p[0]), [4], 'one PROPS record: the icon type');
  });

  it('returns bridge calls and uses the host timers installed as globals', async () => {
    const saved = send({ t: 'event', pageId: 1, handler: 'save', detail: { dataset: {} } });
    assert.deepEqual(saved.calls.map((c) => [c.api, c.args]), [['storage.set', { key: 'count', value: 1 }]]);
    send({ t: 'reply', id: saved.calls[0]!.id, ok: true, result: null });
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(text(send({ t: 'flush' }).renders[0]!.tree), /Saved/);
    const later = send({ t: 'event', pageId: 1, handler: 'later', detail: { dataset: {} } });
    assert.equal(later.calls[0]?.api, 'timer.set');
    const fired = send({ t: 'timer', id: (later.calls[0]!.args as { id: number }).id });
    assert.match(text(fired.renders[0]!.tree), /Count: 100/);
  });
});
