/**
 * @module The checks of `atrium build` that do not stop esbuild — the project lints (layout, page modules), the type
 * check (`tsc --noEmit`) and the first-render view lint — as one call, for `atrium dev` to run after each rebuild.
 * It calls the very functions {@link buildProject} calls, so a save shows what `atrium build` would refuse.
 */
import { relative } from 'node:path';
import type { Manifest } from '../../../sdk/src/manifest.ts';
import { lintProject, type LintFinding } from './lint.ts';
import { typecheckProject, type TypecheckResult } from './typecheck.ts';
import { lintFirstRender } from './view-lint.ts';

/** One failed check, in the CLI's error shape (`✘ ERROR <code>: <message>` then located details). */
export interface CheckProblem {
  code: 'LINT_FAILED' | 'TYPECHECK_FAILED';
  message: string;
  details: string[];
}

/** What {@link checkProject} found. */
export interface CheckReport {
  problems: CheckProblem[];
  warnings: LintFinding[];
  typecheck: TypecheckResult['status'];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `file:line:column: TS2322: message` lines of a failed type check, relative to the app. */
export function typeErrorLines(result: Extract<TypecheckResult, { status: 'failed' }>, dir: string): string[] {
  return result.diagnostics.length ? result.diagnostics.map((d) => `${d.file ? relative(dir, d.file) : '(project)'}${d.line ? `:${d.line}:${d.column}` : ''}: ${d.code}: ${d.message}`) : [result.output];
}

/**
 * Lints, type-checks (when `typecheck` and the app has a tsconfig.json) and checks the first render of each page,
 * side by side; resolves with every problem found (an empty `problems` when the app is clean).
 */
export async function checkProject(dir: string, manifest: Manifest, options: { typecheck?: boolean } = {}): Promise<CheckReport> {
  const findings = lintProject(dir, manifest);
  const typing = options.typecheck === false ? Promise.resolve(undefined) : typecheckProject(dir);
  const view = findings.some((f) => f.message.startsWith('definePage has no render'))
    ? Promise.resolve([])
    : lintFirstRender(dir, manifest).catch((cause: unknown) => [{ severity: 'warning' as const, where: 'src/pages', message: `the view check could not run: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}` }]);
  const [typed, viewFindings] = await Promise.all([typing, view]);
  const problems: CheckProblem[] = [];
  const lintErrors = findings.filter((f) => f.severity === 'error');
  if (lintErrors.length) problems.push({ code: 'LINT_FAILED', message: `${plural(lintErrors.length, 'problem')} in the app`, details: lintErrors.map((f) => `${f.where}: ${f.message}`) });
  if (typed?.status === 'failed') problems.push({ code: 'TYPECHECK_FAILED', message: `${typed.diagnostics.length ? plural(typed.diagnostics.length, 'type error') : 'type errors'}`, details: typeErrorLines(typed, dir) });
  const viewErrors = viewFindings.filter((f) => f.severity === 'error');
  if (viewErrors.length) problems.push({ code: 'LINT_FAILED', message: `${plural(viewErrors.length, 'problem')} in the first render of the pages`, details: viewErrors.map((f) => `${f.where}: ${f.message}`) });
  const warnings = [...findings, ...viewFindings].filter((f) => f.severity === 'warning');
  return { problems, warnings, typecheck: typed?.status ?? 'skipped' };
}
