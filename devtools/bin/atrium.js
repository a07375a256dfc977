#!/usr/bin/env node
// The `atrium` launcher. An installed package runs the bundle built by `prepack` (dist/cli.js), because Node
// does not strip types inside node_modules; in the workspace it runs the TypeScript source directly.
import { existsSync } from 'node:fs';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(`✘ ERROR NODE_VERSION: atrium needs Node.js 24 or later (this is ${process.version}).\n  Install Node.js 24 LTS (https://nodejs.org) and run it again.`);
  process.exit(1);
}
const dist = new URL('../dist/cli.js', import.meta.url);
const entry = existsSync(dist) ? dist : new URL('../src/cli.ts', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
