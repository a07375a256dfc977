/** @module The published CLI: the launcher, and the prepack bundle running on its own (Node cannot strip types in node_modules). */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ROOT, tempDir } from './run-cli.ts';

const run = promisify(execFile);

describe('publishing the CLI', () => {
  it('declares a JS launcher as its bin and ships only the bundle', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'devtools/package.json'), 'utf8')) as { bin: Record<string, string>; files: string[]; scripts: Record<string, string> };
    assert.equal(pkg.bin.atrium, './bin/atrium.js');
    assert.deepEqual(pkg.files, ['bin', 'dist', 'README.md']);
    assert.match(pkg.scripts.prepack ?? '', /bundle-cli\.ts/);
  });

  it('runs the TypeScript source through the launcher in the workspace', async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, 'devtools/bin/atrium.js'), 'version', '--json']);
    assert.equal((JSON.parse(stdout) as { version: string }).version, (JSON.parse(readFileSync(join(ROOT, 'devtools/package.json'), 'utf8')) as { version: string }).version);
  });

  it('bundles into one JS file that runs without type stripping, from outside the repository', async () => {
    await using dir = await tempDir();
    const outfile = join(dir.path, 'cli.js');
    await run(process.execPath, [join(ROOT, 'devtools/scripts/bundle-cli.ts'), outfile]);
    const source = readFileSync(outfile, 'utf8');
    assert.doesNotMatch(source, /from ["'][^"']*\.ts["']/, 'no .ts imports left');
    const { stdout } = await run(process.execPath, ['--no-experimental-strip-types', outfile, '--help'], { cwd: tmpdir() });
    assert.match(stdout, /^atrium \d+\.\d+\.\d+ — /);
    const failed = await run(process.execPath, [outfile, 'nope'], { cwd: tmpdir() }).catch((e: { code: number; stderr: string }) => e);
    assert.equal((failed as { code: number }).code, 2);
    assert.match((failed as { stderr: string }).stderr, /^✘ ERROR UNKNOWN_COMMAND/);
  });
});
