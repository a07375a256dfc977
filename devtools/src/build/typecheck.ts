/**
 * @module The type check of `atrium build`: runs the project's TypeScript (`tsc --noEmit -p tsconfig.json`),
 * found from the project first and then beside the CLI; located diagnostics come back as findings.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A type error, located. */
export interface TypeDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

/** The outcome of {@link typecheckProject}. */
export type TypecheckResult =
  | { status: 'passed'; tsc: string; version: string }
  | { status: 'failed'; tsc: string; version: string; diagnostics: TypeDiagnostic[]; output: string }
  | { status: 'skipped'; reason: string };

/** Finds `typescript` as the project would import it, else beside the CLI. */
export function findTypeScript(dir: string): { bin: string; version: string } | undefined {
  for (const from of [join(resolve(dir), 'package.json'), import.meta.url]) {
    try {
      const pkgFile = createRequire(from).resolve('typescript/package.json');
      const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string; bin?: Record<string, string> | string };
      const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.tsc;
      if (rel && existsSync(join(dirname(pkgFile), rel))) return { bin: join(dirname(pkgFile), rel), version: pkg.version };
    } catch {
      // not resolvable from there: try the next place
    }
  }
  return undefined;
}

/** Type-checks the project at `dir` when it has a tsconfig.json. */
export async function typecheckProject(dir: string): Promise<TypecheckResult> {
  const tsconfig = join(dir, 'tsconfig.json');
  if (!existsSync(tsconfig)) return { status: 'skipped', reason: 'no tsconfig.json in the project' };
  const ts = findTypeScript(dir);
  if (!ts) return { status: 'skipped', reason: 'typescript is not installed (run "npm install --save-dev typescript")' };
  try {
    await run(process.execPath, [ts.bin, '--noEmit', '--pretty', 'false', '-p', tsconfig], { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
    return { status: 'passed', tsc: ts.bin, version: ts.version };
  } catch (cause) {
    const failure = cause as { stdout?: string; stderr?: string; code?: number | string };
    const output = `${failure.stdout ?? ''}${failure.stderr ?? ''}`.trim();
    if (typeof failure.code !== 'number') throw cause;
    return { status: 'failed', tsc: ts.bin, version: ts.version, diagnostics: parseDiagnostics(output, dir), output };
  }
}

/** Parses `file(line,col): error TS2322: message` lines (continuation lines join the message). */
export function parseDiagnostics(output: string, dir: string): TypeDiagnostic[] {
  const diagnostics: TypeDiagnostic[] = [];
  for (const line of output.split(/\r?\n/)) {
    const m = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (m) diagnostics.push({ file: resolve(dir, m[1]!), line: Number(m[2]), column: Number(m[3]), code: m[4]!, message: m[5]! });
    else if (diagnostics.length && /^\s+\S/.test(line)) diagnostics[diagnostics.length - 1]!.message += `\n${line}`;
    else if (/error TS\d+:/.test(line)) diagnostics.push({ file: '', line: 0, column: 0, code: /TS\d+/.exec(line)![0], message: line });
  }
  return diagnostics;
}
