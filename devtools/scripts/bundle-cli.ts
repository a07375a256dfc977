/**
 * @module `npm run prepack`: bundles src/cli.ts (with the SDK's manifest schema, zod and fflate) into
 * dist/cli.js for the published package; esbuild stays a dependency (it ships a native binary).
 * `node scripts/bundle-cli.ts <outfile>` writes elsewhere (tests).
 */
import { rm } from 'node:fs/promises';
import { build } from 'esbuild';

const root = new URL('..', import.meta.url).pathname;
const outfile = process.argv[2] ?? `${root}dist/cli.js`;
if (!process.argv[2]) await rm(`${root}dist`, { recursive: true, force: true });
const result = await build({
  entryPoints: [`${root}src/cli.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external: ['esbuild'],
  // Bundled CommonJS (if any) may call require: give the ESM bundle one.
  banner: { js: "import { createRequire as __atriumRequire } from 'node:module'; const require = __atriumRequire(import.meta.url);" },
  legalComments: 'linked',
  metafile: true,
  logLevel: 'warning',
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`${outfile}: ${(bytes / 1024).toFixed(0)} kB`);
