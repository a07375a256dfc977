/**
 * @module `buildProject`: the whole of `atrium build` without the terminal — manifest validation, lints, type
 * check, bundle, assets, size check against the limits, and the package written to
 * `<outDir>/<appId>-<versionCode>.zip` after {@link readPackage} accepted it (the host runs the same check).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseManifest, type Manifest } from '../../../sdk/src/manifest.ts';
import { CliError } from '../core/errors.ts';
import { analyzeMiniApp, analyzeSubpackage, BundleError, formatProblem, type AnalyzedBundle } from './bundle.ts';
import { typeErrorLines } from './check.ts';
import { lintProject, type LintFinding } from './lint.ts';
import { lintFirstRender } from './view-lint.ts';
import { ASSET_TYPES, PackageError, readPackage, sizeProblems, sizeReport, writePackage, type SizeReport } from './package.ts';
import { typecheckProject, type TypecheckResult } from './typecheck.ts';

/** What {@link buildProject} takes. */
export interface BuildOptions {
  /** The app folder (holding manifest.json). */
  dir: string;
  /** @default '<dir>/dist' */
  outDir?: string;
  /** @default true */
  typecheck?: boolean;
  /** Hears each step as it starts (for a spinner). */
  onStep?: (step: 'manifest' | 'lint' | 'typecheck' | 'bundle' | 'view' | 'package') => void;
}

/** What a build produced. */
export interface BuildReport {
  appId: string;
  name: string;
  version: { name: string; code: number };
  /** The package written. */
  file: string;
  sha256: string;
  size: SizeReport;
  /** What app.js is made of: the largest modules (paths relative to the app; the SDK and packages included). */
  modules: Array<{ path: string; bytes: number }>;
  typecheck: { status: TypecheckResult['status']; detail?: string };
  warnings: LintFinding[];
  durationMs: number;
}

/** Reads and validates `<dir>/manifest.json`, located errors in a MANIFEST_INVALID. */
export async function readProjectManifest(dir: string): Promise<Manifest> {
  const file = join(dir, 'manifest.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    const missing = (cause as { code?: string }).code === 'ENOENT';
    throw new CliError({ code: missing ? 'PROJECT_NOT_FOUND' : 'MANIFEST_INVALID', message: missing ? `no manifest.json in ${dir}` : `${file} is not valid JSON`, details: missing ? [] : [String((cause as Error).message)], hint: missing ? 'Run this inside an app folder, or create one with "atrium init".' : 'Fix the JSON syntax.', cause });
  }
  const parsed = parseManifest(raw);
  if (!parsed.ok) throw new CliError({ code: 'MANIFEST_INVALID', message: 'manifest.json is invalid', details: parsed.errors.map((e) => `manifest.json: ${e}`), hint: 'Fix the fields named above (see the manifest reference in the SDK README).' });
  return parsed.manifest;
}

/** Builds the app at `options.dir` into a package; throws a CliError naming what to fix. */
export async function buildProject(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const dir = resolve(options.dir);
  const step = options.onStep ?? (() => {});
  step('manifest');
  const manifest = await readProjectManifest(dir);

  step('lint');
  const findings = lintProject(dir, manifest);
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length) throw new CliError({ code: 'LINT_FAILED', message: `${errors.length} problem${errors.length === 1 ? '' : 's'} in the app`, details: errors.map((f) => `${f.where}: ${f.message}`), hint: 'Fix the files named above and build again.' });

  // tsc, esbuild and the first-render check run side by side (two are child processes); their failures are
  // reported in that order, as a type error usually explains the rest.
  const typing = options.typecheck === false ? undefined : typecheckProject(dir);
  // The main bundle and one bundle per sub-package (each carries its own copy of the modules it shares).
  const bundling = Promise.all([analyzeMiniApp(dir, manifest), ...(manifest.subpackages ?? []).map((sub) => analyzeSubpackage(dir, sub))]).then(
    (value) => ({ ok: true as const, value }),
    (cause: unknown) => ({ ok: false as const, cause }),
  );
  const pendingView: Promise<LintFinding[]> = findings.some((f) => f.message.startsWith('definePage has no render'))
    ? Promise.resolve([])
    : lintFirstRender(dir, manifest).catch((cause: unknown) => [{ severity: 'warning' as const, where: 'src/pages', message: `the view check could not run: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}` }]);

  let typecheck: BuildReport['typecheck'] = { status: 'skipped', detail: 'turned off' };
  if (typing) {
    step('typecheck');
    const result = await typing;
    if (result.status === 'failed') {
      const details = typeErrorLines(result, dir);
      throw new CliError({ code: 'TYPECHECK_FAILED', message: `${result.diagnostics.length || 'some'} type error${result.diagnostics.length === 1 ? '' : 's'}`, details, hint: 'Fix the types above, or build with --skip-typecheck to package anyway.' });
    }
    typecheck = result.status === 'skipped' ? { status: 'skipped', detail: result.reason } : { status: 'passed', detail: `typescript ${result.version}` };
  }

  step('bundle');
  const bundled = await bundling;
  if (!bundled.ok) {
    const cause = bundled.cause;
    if (!(cause instanceof BundleError)) throw cause;
    const noSdk = cause.problems.some((p) => /Could not resolve "@atrium\/sdk/.test(p.text));
    const hint = noSdk ? 'The app imports @atrium/sdk, which is not installed: run "npm install" in the app folder.' : 'Fix the errors above and build again.';
    throw new CliError({ code: 'BUILD_FAILED', message: 'esbuild could not bundle the app', details: cause.problems.map((p) => formatProblem({ ...p, file: p.file && relative(dir, resolve(dir, p.file)) })), hint, cause });
  }
  const [main, ...subBundles] = bundled.value as [AnalyzedBundle, ...AnalyzedBundle[]];
  const { code: appJs, modules } = main;

  step('view');
  const viewFindings = await pendingView;
  const viewErrors = viewFindings.filter((f) => f.severity === 'error');
  if (viewErrors.length) throw new CliError({ code: 'LINT_FAILED', message: `${viewErrors.length} problem${viewErrors.length === 1 ? '' : 's'} in the first render of the pages`, details: viewErrors.map((f) => `${f.where}: ${f.message}`), hint: 'Fix the views above (see the components reference in the SDK README) and build again.' });
  findings.push(...viewFindings);

  step('package');
  const assets: Record<string, Uint8Array> = {};
  for (const file of listFiles(join(dir, 'assets'))) {
    const name = relative(dir, file).split('\\').join('/');
    if (name.slice(name.lastIndexOf('.') + 1).toLowerCase() in ASSET_TYPES) assets[name] = new Uint8Array(await readFile(file));
  }
  const subpackages: NonNullable<Parameters<typeof writePackage>[0]['subpackages']> = {};
  const planFiles: Record<string, number> = {};
  for (const [i, sub] of (manifest.subpackages ?? []).entries()) {
    const subAssets: Record<string, Uint8Array> = {};
    const subDir = join(dir, 'subpackages', sub.name);
    for (const file of listFiles(join(subDir, 'assets'))) {
      const name = relative(subDir, file).split('\\').join('/');
      if (name.slice(name.lastIndexOf('.') + 1).toLowerCase() in ASSET_TYPES) subAssets[name] = new Uint8Array(await readFile(file));
    }
    const code = subBundles[i]!.code;
    subpackages[sub.name] = { appJs: code, assets: subAssets };
    planFiles[`subpackages/${sub.name}/app.js`] = Buffer.byteLength(code);
    for (const [name, bytes] of Object.entries(subAssets)) planFiles[`subpackages/${sub.name}/${name}`] = bytes.byteLength;
  }
  const manifestBytes = Buffer.byteLength(`${JSON.stringify(manifest, null, 2)}\n`);
  const planned = sizeReport({ 'manifest.json': manifestBytes, 'app.js': Buffer.byteLength(appJs), ...Object.fromEntries(Object.entries(assets).map(([n, b]) => [n, b.byteLength])), ...planFiles }, 0);
  const over = sizeProblems(planned);
  if (over.length) throw new CliError({ code: 'PACKAGE_TOO_LARGE', message: 'the package is over its size limits', details: over, hint: 'Shrink the largest files (compress images, drop unused dependencies), move pages into sub-packages, and build again.' });

  let bytes: Uint8Array;
  let report: SizeReport;
  try {
    bytes = writePackage({ manifest, appJs, assets, ...(Object.keys(subpackages).length ? { subpackages } : {}) });
    report = readPackage(bytes).report;
  } catch (cause) {
    if (!(cause instanceof PackageError)) throw cause;
    throw new CliError({ code: cause.code, message: 'the package would be refused by the host', details: cause.problems, hint: 'Fix the files named above and build again.', cause });
  }
  const outDir = resolve(dir, options.outDir ?? 'dist');
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `${manifest.app_id}-${manifest.version.code}.zip`);
  await writeFile(file, bytes);
  return {
    appId: manifest.app_id,
    name: manifest.name,
    version: { name: manifest.version.name, code: manifest.version.code },
    file,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: report,
    modules: modules.slice(0, 20),
    typecheck,
    warnings: findings.filter((f) => f.severity === 'warning'),
    durationMs: Math.round(performance.now() - started),
  };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}
