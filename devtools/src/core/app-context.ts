/**
 * @module Shared pieces of the app-scoped commands: which app (`--app`, else the project's manifest), the
 * host's response schemas, and small table output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { findProject } from './config.ts';
import { CliError } from './errors.ts';

/** The `--app` flag of app-scoped commands. */
export const APP_FLAG = { app: { type: 'string', description: 'The app id (default: app_id of the nearest manifest.json)', valueName: 'ID' } } as const;

/** The app a command acts on: `--app`, else the nearest project's manifest `app_id`. */
export function appIdFor(flag: string | undefined, cwd: string): string {
  if (flag) return flag;
  const project = findProject(cwd);
  if (project) {
    try {
      const id = (JSON.parse(readFileSync(join(project.appDir, 'manifest.json'), 'utf8')) as { app_id?: unknown }).app_id;
      if (typeof id === 'string') return id;
    } catch {
      // fall through to the usage error
    }
  }
  throw new CliError({ code: 'MISSING_FLAG', message: 'which app? No --app and no manifest.json here or above', hint: 'Pass --app <app id>, or run this inside the app folder.' });
}

/** Parses a version code argument. */
export function versionCode(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError({ code: 'USAGE', message: `<code> must be a version code such as 3 (got "${value}")`, hint: 'See the codes with "atrium versions list".' });
  return n;
}

// The host's response shapes (host/src/developer/routes.ts; the whole API is in /openapi.json).
export const AppInfo = z.object({ id: z.string(), name: z.string(), description: z.string(), developerId: z.string(), role: z.string().nullable(), createdAt: z.number().int() });
export const Version = z.object({ versionCode: z.number().int(), versionName: z.string(), status: z.string(), packageSha256: z.string().nullable(), packageBytes: z.number().int().nullable(), createdAt: z.number().int(), reviewNote: z.string().nullable() });
export const Release = z.object({ stableVersion: z.number().int().nullable(), rollout: z.object({ versionCode: z.number().int(), percent: z.number().int(), paused: z.boolean() }).nullable(), rollbackTargets: z.array(z.number().int()) });
export const Member = z.object({ userId: z.string(), handle: z.string(), displayName: z.string(), role: z.string(), addedAt: z.number().int() });

/** Rows as aligned columns, with a header. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** A release state in one line. */
export function describeRelease(state: z.infer<typeof Release>): string {
  const stable = state.stableVersion === null ? 'nothing released yet' : `version ${state.stableVersion} for everybody else`;
  const rollout = state.rollout ? `version ${state.rollout.versionCode} to ${state.rollout.percent}%${state.rollout.paused ? ' (paused)' : ''}, ` : '';
  return `${rollout}${stable}`;
}

/** `2026-11-23 13:40`. */
export function when(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}
