/**
 * @module Builds the web shell in memory with esbuild: `host/web/src/main.tsx` to hashed JS and CSS, plus the
 * static files of `host/web/public`, once per process.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildFailure, type Message } from 'esbuild';

/** One servable file of the shell. */
export interface ShellFile {
  body: Uint8Array;
  contentType: string;
  /** A strong validator: the quoted content hash. */
  etag: string;
  /** True when the name carries the content hash, so it may be cached forever. */
  immutable: boolean;
}

/** The built shell: files by URL path (`/assets/main-3F2A….js`) and what the page links to. */
export interface ShellBuild {
  files: Map<string, ShellFile>;
  entry: { script: string; style: string | undefined; icon: string | undefined };
}

/** Options of {@link buildShell}. */
export interface BuildShellOptions {
  /** @default true */
  minify?: boolean;
  /** Emit linked source maps next to the bundles. @default true */
  sourcemap?: boolean;
  /** Reuse the build of this process. @default true */
  cache?: boolean;
}

/** Where the shell's browser source lives. */
export const WEB_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../web');
const ASSET_PREFIX = '/assets/';
/** The shell's entry, relative to {@link WEB_ROOT} (as esbuild's metafile names it). */
const ENTRY = 'src/main.tsx';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
};

let cached: Promise<ShellBuild> | undefined;

/**
 * Bundles the shell. Throws an `Error` naming every esbuild error (file:line:column) when the source does not build.
 * @example const { files, entry } = await buildShell(); files.get(entry.script)?.body
 */
export function buildShell(options: BuildShellOptions = {}): Promise<ShellBuild> {
  if (options.cache === false) return runBuild(options);
  cached ??= runBuild(options).catch((error: unknown) => {
    cached = undefined; // a later request retries rather than serving a stale failure
    throw error;
  });
  return cached;
}

async function runBuild(options: BuildShellOptions): Promise<ShellBuild> {
  const outdir = join(WEB_ROOT, 'dist', 'assets');
  let result;
  try {
    result = await build({
      absWorkingDir: WEB_ROOT,
      entryPoints: { main: ENTRY },
      bundle: true,
      write: false,
      format: 'esm',
      splitting: true,
      platform: 'browser',
      target: ['es2022', 'chrome111', 'safari16.4', 'firefox115'],
      jsx: 'automatic',
      jsxImportSource: 'preact',
      minify: options.minify ?? true,
      sourcemap: (options.sourcemap ?? true) ? 'linked' : false,
      outdir,
      entryNames: '[name]-[hash]',
      chunkNames: 'chunks/[name]-[hash]',
      assetNames: '[name]-[hash]',
      publicPath: ASSET_PREFIX,
      loader: { '.svg': 'file', '.png': 'file', '.woff2': 'file' },
      metafile: true,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
  } catch (error) {
    throw new Error(`The web shell did not build:\n${describeFailure(error)}`, { cause: error });
  }

  const files = new Map<string, ShellFile>();
  for (const file of result.outputFiles) {
    const path = ASSET_PREFIX + relative(outdir, file.path).split('\\').join('/');
    files.set(path, shellFile(path, file.contents, true));
  }
  let script: string | undefined;
  let style: string | undefined;
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    // Dynamic imports are entry points too; the page loads only the one we declared.
    if (meta.entryPoint !== ENTRY || !output.endsWith('.js')) continue;
    script = ASSET_PREFIX + relative(outdir, resolve(WEB_ROOT, output)).split('\\').join('/');
    if (meta.cssBundle) style = ASSET_PREFIX + relative(outdir, resolve(WEB_ROOT, meta.cssBundle)).split('\\').join('/');
  }
  if (!script) throw new Error('The web shell did not build: esbuild produced no entry script.');

  const icon = await addPublicFiles(files);
  return { files, entry: { script, style, icon } };
}

/** Adds `host/web/public/*` under content-hashed names; returns the icon's path. */
async function addPublicFiles(files: Map<string, ShellFile>): Promise<string | undefined> {
  const dir = join(WEB_ROOT, 'public');
  const names = await readdir(dir).catch(() => [] as string[]);
  let icon: string | undefined;
  for (const name of names.sort()) {
    const body = new Uint8Array(await readFile(join(dir, name)));
    const ext = extname(name);
    const hashed = `${ASSET_PREFIX}${name.slice(0, name.length - ext.length)}-${hash(body).slice(0, 8)}${ext}`;
    files.set(hashed, shellFile(hashed, body, true));
    if (name === 'icon.svg') icon = hashed;
  }
  return icon;
}

/** Wraps `body` as a servable file with a strong ETag. */
export function shellFile(path: string, body: Uint8Array, immutable: boolean): ShellFile {
  const contentType = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
  return { body, contentType, etag: `"${hash(body).slice(0, 27)}"`, immutable };
}

function hash(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

function describeFailure(error: unknown): string {
  const messages: Message[] = (error as Partial<BuildFailure>).errors ?? [];
  if (messages.length === 0) return String(error);
  return messages
    .map((message) => {
      const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column}: ` : '';
      return `  ${where}${message.text}`;
    })
    .join('\n');
}
