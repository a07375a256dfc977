/**
 * @module Test helpers for the CLI: run `main` in-process with captured output, or `devtools/src/cli.ts` as a
 * child process; temporary folders under the repository's .scratch/ (so the workspace's @atrium/sdk and
 * typescript resolve, as they would from an installed app).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';
import { main } from '../../devtools/src/cli.ts';
import type { CliIO } from '../../devtools/src/core/define-command.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'devtools/src/cli.ts');

/** What a run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process. */
export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; isTTY?: boolean; answers?: string[]; onLine?: (line: string) => void; sleep?: (ms: number) => Promise<void> } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const answers = [...(options.answers ?? [])];
  const io: CliIO = {
    stdout: (t) => (out.push(t), options.onLine?.(t)),
    stderr: (t) => (err.push(t), options.onLine?.(t)),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    isTTY: options.isTTY ?? false,
    env: { ATRIUM_CONFIG_DIR: join(ROOT, '.scratch', 'no-user-config'), ...options.env },
    cwd: options.cwd ?? ROOT,
    ...(options.isTTY ? { readLine: async () => answers.shift() ?? '' } : {}),
  };
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

/** Runs `node devtools/src/cli.ts …` as a child process (stdin not a TTY). */
export function spawnCli(argv: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...argv], { cwd: options.cwd ?? ROOT, env: { ...process.env, ATRIUM_LOG: '', ...options.env } }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A temporary folder removed on dispose (`await using dir = await tempDir()`). */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  mkdirSync(join(ROOT, '.scratch'), { recursive: true });
  const path = await mkdtemp(join(ROOT, '.scratch', 'cli-test-'));
  return { path, [Symbol.asyncDispose]: () => rm(path, { recursive: true, force: true }) };
}
