/**
 * @module Configuration: the project (found by walking up from the cwd to the first folder with an
 * `atrium.config.json` or a `manifest.json`) and the user's config file with credentials per host
 * (`$ATRIUM_CONFIG_DIR`, `$XDG_CONFIG_HOME/atrium` or `~/.config/atrium`, `config.json`, mode 0600).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { CliError } from './errors.ts';

/** The default host (`atrium dev` and `npm start` listen here). */
export const DEFAULT_HOST = 'http://127.0.0.1:8080';

/** `atrium.config.json`: optional project settings. */
export const ProjectConfigSchema = z.looseObject({
  $schema: z.string().optional(),
  /** The host this project publishes to. */
  host: z.url({ protocol: /^https?$/ }).optional(),
  /** Where the app's manifest.json lives, relative to this file. @default '.' */
  app: z.string().min(1).optional(),
  /** Where `atrium build` writes packages, relative to the app. @default 'dist' */
  out_dir: z.string().min(1).optional(),
  /** Run `tsc --noEmit` during builds. @default true */
  typecheck: z.boolean().optional(),
});

/** Project settings. */
export type ProjectConfig = z.infer<typeof ProjectConfigSchema>;

/** A found project. */
export interface Project {
  /** The folder holding atrium.config.json (or manifest.json when there is none). */
  root: string;
  /** The folder holding the app's manifest.json. */
  appDir: string;
  config: ProjectConfig;
  /** Problems that do not stop the command (unknown fields). */
  warnings: string[];
}

const KNOWN_KEYS = new Set(Object.keys(ProjectConfigSchema.shape));

/** Walks up from `cwd` to the first folder with an atrium.config.json or a manifest.json. */
export function findProject(cwd: string): Project | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const configFile = join(dir, 'atrium.config.json');
    if (existsSync(configFile)) return loadProjectConfig(dir, configFile);
    if (existsSync(join(dir, 'manifest.json'))) return { root: dir, appDir: dir, config: {}, warnings: [] };
    if (dirname(dir) === dir) return undefined;
  }
}

function loadProjectConfig(root: string, file: string): Project {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new CliError({ code: 'CONFIG_INVALID', message: `${file} is not valid JSON`, details: [cause instanceof Error ? cause.message : String(cause)], hint: 'Fix the JSON syntax in that file.', cause });
  }
  const parsed = ProjectConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${file}: ${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
    throw new CliError({ code: 'CONFIG_INVALID', message: 'atrium.config.json is invalid', details, hint: 'Fix the fields named above.' });
  }
  const warnings = Object.keys(parsed.data)
    .filter((k) => !KNOWN_KEYS.has(k))
    .map((k) => `${file}: unknown field "${k}" is ignored`);
  return { root, appDir: resolve(root, parsed.data.app ?? '.'), config: parsed.data, warnings };
}

/** Picks the host: the flag, ATRIUM_HOST, the project's config, then the default. Validates it. */
export function resolveHost(flag: string | undefined, env: Record<string, string | undefined>, project: Project | undefined): string {
  const value = flag ?? env.ATRIUM_HOST ?? project?.config.host ?? DEFAULT_HOST;
  let url: URL;
  try {
    url = new URL(value);
  } catch (cause) {
    throw new CliError({ code: 'USAGE', message: `"${value}" is not a host URL`, hint: 'Pass --host http://127.0.0.1:8080 (or set ATRIUM_HOST) with a scheme and a host.', cause });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError({ code: 'USAGE', message: `host "${value}" must be http or https`, hint: 'Pass --host https://atrium.example.com.' });
  return url.origin;
}

/** The user's config: credentials per host origin. */
export const UserConfigSchema = z.object({
  hosts: z.record(z.string(), z.object({ token: z.string().min(1), user: z.string().optional(), expires_at: z.string().optional() })).default({}),
});

/** The user's config. */
export type UserConfig = z.infer<typeof UserConfigSchema>;

/** Where the user's config lives. */
export function userConfigPath(env: Record<string, string | undefined>): string {
  if (env.ATRIUM_CONFIG_DIR) return join(env.ATRIUM_CONFIG_DIR, 'config.json');
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'atrium', 'config.json');
}

/** Reads the user's config (empty when absent); `warn` hears about a file readable by others. */
export function readUserConfig(env: Record<string, string | undefined>, warn: (line: string) => void = () => {}): UserConfig {
  const file = userConfigPath(env);
  if (!existsSync(file)) return { hosts: {} };
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) warn(`${file} is readable by other users; run "chmod 600 ${file}".`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new CliError({ code: 'CONFIG_INVALID', message: `${file} is not valid JSON`, hint: 'Delete it and run "atrium login" again.', cause });
  }
  const parsed = UserConfigSchema.safeParse(raw);
  if (!parsed.success) throw new CliError({ code: 'CONFIG_INVALID', message: `${file} is invalid`, details: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`), hint: 'Delete it and run "atrium login" again.' });
  return parsed.data;
}

/** Writes the user's config atomically with mode 0600 (its folder 0700). */
export async function writeUserConfig(env: Record<string, string | undefined>, config: UserConfig): Promise<string> {
  const file = userConfigPath(env);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(UserConfigSchema.parse(config), null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, file);
  return file;
}
