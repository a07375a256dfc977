/**
 * @module The mini-app bundler: one IIFE of the app's logic from its folder (`manifest.json`, `src/app.ts`,
 * `src/pages/<page>.tsx|.ts`), with the entry generated from the manifest (sdk/src/entry.ts), the SDK's JSX,
 * target es2022, platform neutral, minified. The host's development loader and `atrium build` share it.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Message } from 'esbuild';
import { createEntrySource, createSubpackageEntrySource } from '../../../sdk/src/entry.ts';
import { subpackageRoutes, type Manifest, type ManifestSubpackage } from '../../../sdk/src/manifest.ts';

/** One located bundling problem. */
export interface BundleProblem {
  file: string | undefined;
  line: number | undefined;
  column: number | undefined;
  text: string;
}

/** Thrown when esbuild cannot bundle the app; `problems` are located (file:line:column). */
export class BundleError extends Error {
  readonly code = 'APP_BUILD_FAILED';
  readonly problems: BundleProblem[];

  constructor(dir: string, problems: BundleProblem[], cause?: unknown) {
    super(`${dir}:\n  ${problems.map(formatProblem).join('\n  ')}`, cause === undefined ? undefined : { cause });
    this.name = 'BundleError';
    this.problems = problems;
  }
}

/** `file:line:column: text`. */
export function formatProblem(p: BundleProblem): string {
  return `${p.file ? `${p.file}:${p.line}:${p.column}: ` : ''}${p.text}`;
}

/**
 * Where `@atrium/sdk` resolves from when the app has not installed it: the node_modules folders above this file
 * (the workspace's in this repository, the install's when the CLI is installed from npm).
 */
function fallbackNodePaths(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  const paths: string[] = [];
  for (let dir = here; ; dir = dirname(dir)) {
    const candidate = dir.endsWith(`${sep}node_modules`) ? dir : join(dir, 'node_modules');
    if (existsSync(join(candidate, '@atrium', 'sdk')) && !paths.includes(candidate)) paths.push(candidate);
    if (dirname(dir) === dir) break;
  }
  return paths;
}

/** Where `@atrium/sdk` resolves from when the app has not installed it. */
export const NODE_PATHS: string[] = fallbackNodePaths();

/** The module a page resolves to: `src/<page>.tsx` when it exists, else `src/<page>.ts`. */
export function pageModulePath(dir: string, page: string): string {
  return existsSync(join(dir, 'src', `${page}.tsx`)) ? `./src/${page}.tsx` : `./src/${page}.ts`;
}

/** A bundle with what it is made of. */
export interface AnalyzedBundle {
  code: string;
  /** Bytes each input contributes to the minified bundle, largest first (paths relative to the app). */
  modules: Array<{ path: string; bytes: number }>;
}

/**
 * Bundles one app folder: the generated entry, the SDK's JSX, an IIFE for the sandbox.
 * @example const js = await bundleMiniApp('miniapps/todo', manifest);
 */
export async function bundleMiniApp(dir: string, manifest: Manifest): Promise<string> {
  return (await bundle(dir, manifest, false)).code;
}

/** {@link bundleMiniApp} plus each module's share of the bundle (for the size report of `atrium build`). */
export async function analyzeMiniApp(dir: string, manifest: Manifest): Promise<AnalyzedBundle> {
  return bundle(dir, manifest, true);
}

/**
 * Bundles one sub-package of an app folder into its own IIFE (`subpackages/<name>/app.js`): an entry that imports
 * its pages (`src/<root>/<page>.tsx`) and calls `registerSubpackage`. Modules it shares with the main bundle (the
 * SDK, the app's own helpers) are bundled again into it: esbuild does not share modules between IIFEs.
 * @example const { code } = await analyzeSubpackage('miniapps/todo', manifest.subpackages[0]);
 */
export async function analyzeSubpackage(dir: string, sub: ManifestSubpackage, metafile = true): Promise<AnalyzedBundle> {
  const appDir = resolve(dir);
  const contents = createSubpackageEntrySource({ name: sub.name, routes: subpackageRoutes(sub), pageModule: (route) => pageModulePath(appDir, route) });
  return bundleEntry(dir, contents, `atrium-subpackage-${sub.name}.ts`, metafile);
}

/** Bundles every sub-package of the manifest (in parallel): code by name. */
export async function bundleSubpackages(dir: string, manifest: Manifest): Promise<Record<string, string>> {
  const subs = manifest.subpackages ?? [];
  const codes = await Promise.all(subs.map((sub) => analyzeSubpackage(dir, sub, false)));
  return Object.fromEntries(subs.map((sub, i) => [sub.name, codes[i]!.code]));
}

async function bundle(dir: string, manifest: Manifest, metafile: boolean): Promise<AnalyzedBundle> {
  const appDir = resolve(dir);
  return bundleEntry(dir, createEntrySource({ pages: manifest.pages, pageModule: (p) => pageModulePath(appDir, p) }), 'atrium-entry.ts', metafile);
}

async function bundleEntry(dir: string, contents: string, sourcefile: string, metafile: boolean): Promise<AnalyzedBundle> {
  const appDir = resolve(dir);
  const result = await build({
    stdin: { contents, resolveDir: appDir, loader: 'ts', sourcefile },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: '@atrium/sdk',
    mainFields: ['module', 'main'],
    conditions: ['import'],
    nodePaths: NODE_PATHS,
    // Error locations come relative to the app folder, whatever the process's cwd.
    absWorkingDir: appDir,
    minify: true,
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
    metafile,
  }).catch((cause: { errors?: Message[] }) => {
    const problems = (cause.errors ?? []).map((e) => ({ file: e.location?.file, line: e.location?.line, column: e.location?.column, text: e.text }));
    throw new BundleError(dir, problems.length ? problems : [{ file: undefined, line: undefined, column: undefined, text: String(cause) }], cause);
  });
  const output = result.outputFiles[0];
  if (!output) throw new BundleError(dir, [{ file: undefined, line: undefined, column: undefined, text: 'esbuild produced no output' }]);
  const inputs = Object.values(result.metafile?.outputs ?? {})[0]?.inputs ?? {};
  const modules = Object.entries(inputs)
    .map(([path, info]) => ({ path, bytes: info.bytesInOutput }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  return { code: output.text, modules };
}
