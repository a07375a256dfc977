import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { bundleMiniApp } from '../../devtools/src/build/bundle.ts';
import { readPackage } from '../../devtools/src/build/package.ts';
import { bundleMiniApp as hostBundleMiniApp, readManifest } from '../../host/src/apps/dev-loader.ts';
import { lintPageSource } from '../../devtools/src/build/lint.ts';
import { ROOT, runCli, spawnCli, tempDir } from './run-cli.ts';

interface Report {
  appId: string;
  file: string;
  sha256: string;
  size: { main: { bytes: number; limit: number }; total: { bytes: number; limit: number } };
  typecheck: { status: string };
  warnings: Array<{ where: string; message: string }>;
  modules: Array<{ path: string; bytes: number }>;
}

async function initApp(dir: string, ...flags: string[]): Promise<string> {
  const run = await runCli(['init', 'app', '--app-id', 'com.example.hello', '--name', 'Hello', ...flags], { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  return join(dir, 'app');
}

describe('atrium init', () => {
  it('creates the template and names the next step', async () => {
    await using dir = await tempDir();
    const run = await runCli(['init', 'hello-app', '--app-id', 'com.example.hello'], { cwd: dir.path });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /✔ Created Hello App \(com\.example\.hello\) in hello-app\nNext: cd hello-app && npx atrium build/);
    const app = join(dir.path, 'hello-app');
    for (const f of ['manifest.json', 'src/app.ts', 'src/pages/index.tsx', 'tsconfig.json', 'package.json', 'README.md', '.gitignore']) await stat(join(app, f));
    const manifest = JSON.parse(await readFile(join(app, 'manifest.json'), 'utf8')) as { app_id: string; name: string; pages: string[] };
    assert.deepEqual([manifest.app_id, manifest.name, manifest.pages], ['com.example.hello', 'Hello App', ['pages/index']]);
    assert.ok((JSON.parse(await readFile(join(app, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['@atrium/sdk']);
  });

  it('names npm install as a step only where the SDK is not installed yet', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'atrium-init-'));
    try {
      const run = await runCli(['init', 'far', '--app-id', 'com.example.far'], { cwd: outside });
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, /\nNext: cd far && npm install && npx atrium build$/);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('refuses a non-empty folder and a bad app id', async () => {
    await using dir = await tempDir();
    await writeFile(join(dir.path, 'keep.txt'), 'x');
    const run = await runCli(['init', '.'], { cwd: dir.path });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^✘ ERROR DIRECTORY_NOT_EMPTY: .* is not empty\n {2}Pick a new folder/);
    const bad = await runCli(['init', 'x', '--app-id', 'Hello'], { cwd: dir.path });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /✘ ERROR USAGE: --app-id: "Hello" is not an app id/);
  });

  it('never guesses the app id without a terminal: names --app-id and writes nothing', async () => {
    await using dir = await tempDir();
    const run = await runCli(['init', 'quiet'], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.equal(run.stderr, '✘ ERROR MISSING_FLAG: --app-id is required when not running in a terminal\n  Pass --app-id <value>.');
    await assert.rejects(stat(join(dir.path, 'quiet')));
  });

  it('asks for the id and name on a TTY only', async () => {
    await using dir = await tempDir();
    const run = await runCli(['init', 'asked'], { cwd: dir.path, isTTY: true, answers: ['com.example.asked', 'Asked App'] });
    assert.equal(run.code, 0, run.stderr);
    const manifest = JSON.parse(await readFile(join(dir.path, 'asked', 'manifest.json'), 'utf8')) as { app_id: string; name: string };
    assert.deepEqual([manifest.app_id, manifest.name], ['com.example.asked', 'Asked App']);
  });
});

describe('atrium build', () => {
  it('builds the init template into a package readPackage accepts, type-checked', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    const run = await runCli(['build', '--json'], { cwd: join(app, 'src', 'pages') });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.equal(report.file, join(app, 'dist', 'com.example.hello-1.zip'));
    assert.equal(report.typecheck.status, 'passed');
    assert.deepEqual(report.warnings, []);
    assert.ok(report.modules.some((m) => m.path === 'src/pages/index.tsx' && m.bytes > 0), 'the report names what app.js is made of');
    const pkg = readPackage(new Uint8Array(await readFile(report.file)));
    assert.equal(pkg.manifest.app_id, 'com.example.hello');
    assert.match(pkg.appJs, /^\(\(\)=>\{/);
    assert.equal(report.size.main.bytes, pkg.report.main.bytes);
    assert.equal(report.size.main.limit, 2 * 1024 * 1024);
    assert.equal(report.size.total.limit, 30 * 1024 * 1024);
  });

  it('prints a size report and the next step as a child process', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    await mkdir(join(app, 'assets'));
    await writeFile(join(app, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const run = await spawnCli(['build', '--skip-typecheck'], { cwd: app });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /assets\/logo\.svg/);
    assert.match(run.stdout, /main package {2}[\d.]+ kB of 2\.00 MB \([\d.]+%\)/);
    assert.match(run.stdout, /✔ Built dist\/com\.example\.hello-1\.zip in \d+ ms\. Next: "atrium publish"/);
    assert.ok(readPackage(new Uint8Array(await readFile(join(app, 'dist', 'com.example.hello-1.zip')))).assets['assets/logo.svg']);
  });

  for (const sample of ['todo', 'profile', 'shop']) {
    it(`builds miniapps/${sample}`, async () => {
      await using dir = await tempDir();
      const run = await runCli(['build', '--json', '--out-dir', dir.path], { cwd: join(ROOT, 'miniapps', sample) });
      assert.equal(run.code, 0, run.stderr);
      const report = JSON.parse(run.stdout) as Report;
      const manifest = JSON.parse(readFileSync(join(ROOT, 'miniapps', sample, 'manifest.json'), 'utf8')) as { app_id: string; version: { code: number } };
      assert.equal(report.file, join(dir.path, `${manifest.app_id}-${manifest.version.code}.zip`));
      assert.equal(readPackage(new Uint8Array(await readFile(report.file))).manifest.app_id, manifest.app_id);
    });
  }

  it('bundles the samples exactly as the host\'s development loader does', async () => {
    for (const sample of ['todo', 'profile', 'shop']) {
      const dir = join(ROOT, 'miniapps', sample);
      const manifest = await readManifest(dir);
      assert.equal(await bundleMiniApp(dir, manifest), await hostBundleMiniApp(dir, manifest), sample);
    }
  });

  it('refuses an invalid manifest with located errors', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    const manifest = JSON.parse(await readFile(join(app, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(app, 'manifest.json'), JSON.stringify({ ...manifest, version: { name: '1', code: 0 }, colour: 'red' }));
    const run = await runCli(['build'], { cwd: app });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^✘ ERROR MANIFEST_INVALID: manifest\.json is invalid\n/);
    assert.match(run.stderr, /\n {2}manifest\.json: version\.code: /);
    assert.match(run.stderr, /\n {2}manifest\.json: colour: unknown field/);
  });

  it('refuses a manifest page without a module, located', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    const manifest = JSON.parse(await readFile(join(app, 'manifest.json'), 'utf8')) as { pages: string[] };
    await writeFile(join(app, 'manifest.json'), JSON.stringify({ ...manifest, pages: [...manifest.pages, 'pages/settings'] }));
    const run = await runCli(['build', '--skip-typecheck'], { cwd: app });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /✘ ERROR LINT_FAILED: 1 problem in the app\n {2}manifest\.json: pages\[1\]: "pages\/settings" has no module: create src\/pages\/settings\.tsx/);
  });

  it('warns on a page without render and on a page the manifest does not list', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    const index = join(app, 'src', 'pages', 'index.tsx');
    await writeFile(join(app, 'src', 'pages', 'orphan.tsx'), await readFile(index, 'utf8'));
    await writeFile(index, (await readFile(index, 'utf8')).replace('render(data) {', 'view(data) {'));
    const run = await runCli(['build', '--skip-typecheck', '--json'], { cwd: app });
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as Report;
    assert.deepEqual(report.warnings.map((w) => w.where), ['src/pages/index.tsx:7', 'src/pages/orphan.tsx']);
    assert.match(run.stderr, /▲ WARNING src\/pages\/index\.tsx:7: definePage has no render\(data\)/);
  });

  it('checks the first render of each page with the runtime\'s validator', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    const index = join(app, 'src', 'pages', 'index.tsx');
    const source = await readFile(index, 'utf8');
    await writeFile(index, source.replace('<button onTap="reset">Reset</button>', '<navigator url="/pages/nowhere">Lost</navigator>'));
    const run = await runCli(['build', '--skip-typecheck'], { cwd: app });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^✘ ERROR LINT_FAILED: 1 problem in the first render of the pages\n {2}src\/pages\/index\.tsx: first render: root\.children\[3\]\.props\.url: .*the runtime refuses this view/);

    const many = Array.from({ length: 61 }, (_, i) => `<text key="${i}">${i}</text>`).join('');
    await writeFile(index, source.replace('<button onTap="reset">Reset</button>', `<button onTap="undo">Undo</button><view>${many}</view>`));
    const warned = await runCli(['build', '--skip-typecheck', '--json'], { cwd: app });
    assert.equal(warned.code, 0, warned.stderr);
    assert.deepEqual((JSON.parse(warned.stdout) as Report).warnings.map((w) => `${w.where}: ${w.message}`), [
      'src/pages/index.tsx: first render: root<view>[3]<button>.onTap names handler "undo", which the page does not define',
      'src/pages/index.tsx: first render: root<view>[4]<view> has 61 children (keep it ≤ 60; page long lists)',
    ]);

    await writeFile(index, source.replace('render(data) {', 'render(data) {\n    if (data.count === 0) throw new Error("not loaded yet");'));
    const threw = await runCli(['build', '--skip-typecheck', '--json'], { cwd: app });
    assert.equal(threw.code, 0, threw.stderr);
    assert.match((JSON.parse(threw.stdout) as Report).warnings[0]?.message ?? '', /^render\(initial data\) threw: not loaded yet/);
  });

  it('refuses a type error with its location', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    const index = join(app, 'src', 'pages', 'index.tsx');
    await writeFile(index, (await readFile(index, 'utf8')).replace('this.data.count + 1', "this.data.count + 'one'"));
    const run = await runCli(['build'], { cwd: app });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^✘ ERROR TYPECHECK_FAILED: 1 type error\n {2}src\/pages\/index\.tsx:\d+:\d+: TS\d+: /);
    assert.match(run.stderr, /--skip-typecheck/);
  });

  it('refuses code esbuild cannot bundle with its location', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    await writeFile(join(app, 'src', 'app.ts'), "import { missing } from './nowhere.ts';\nexport default missing;\n");
    const run = await runCli(['build', '--skip-typecheck'], { cwd: app });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^✘ ERROR BUILD_FAILED: esbuild could not bundle the app\n {2}src\/app\.ts:1:24: Could not resolve "\.\/nowhere\.ts"/);
  });

  it('refuses an app over the 2 MB main package limit, naming the largest files', async () => {
    await using dir = await tempDir();
    const app = await initApp(dir.path);
    await mkdir(join(app, 'assets'));
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2 * 1024 * 1024)]);
    await writeFile(join(app, 'assets', 'huge.png'), png);
    const run = await runCli(['build', '--skip-typecheck', '--json'], { cwd: app });
    assert.equal(run.code, 1);
    const { error } = JSON.parse(run.stdout) as { error: { code: string; details: string[] } };
    assert.equal(error.code, 'PACKAGE_TOO_LARGE');
    assert.match(error.details[0]!, /^main package: 2\.0\d MB is over the 2\.00 MB limit \(largest: assets\/huge\.png 2\.00 MB/);
    await assert.rejects(stat(join(app, 'dist')), 'nothing is written');
  });

  it('reports a folder with no project in it or above', async () => {
    await using dir = await tempDir();
    const run = await runCli(['build'], { cwd: dir.path });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^✘ ERROR PROJECT_NOT_FOUND: no manifest\.json or atrium\.config\.json in .* or above\n {2}Run "atrium build" inside an app folder, or create one with "atrium init my-app"\./);
  });
});

describe('page lint', () => {
  it('ignores render in comments and strings, and locates the definePage call', () => {
    const source = "import { definePage } from '@atrium/sdk';\n// render(data) is required\nexport default definePage({\n  data: { label: 'render(' },\n});\n";
    assert.deepEqual(lintPageSource('p.tsx', source), [{ severity: 'warning', where: 'p.tsx:3', message: 'definePage has no render(data): the page will fail to load (add render(data) { return <view>…</view>; })' }]);
    assert.deepEqual(lintPageSource('p.tsx', source.replace('data: {', 'render: (d) => null,\n  data: {')), []);
    assert.equal(lintPageSource('p.tsx', 'const x = 1;')[0]!.severity, 'error');
    assert.deepEqual(lintPageSource('p.tsx', "export { default } from './shared.tsx';"), []);
    assert.deepEqual(lintPageSource('p.tsx', 'const page = definePage({ render: () => null });\nexport { page as default };'), []);
  });
});
