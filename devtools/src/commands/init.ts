/**
 * @module `atrium init [dir]`: creates a TypeScript/TSX app that builds and runs at once. Refuses a non-empty
 * folder; asks for the app id and name only on a TTY (elsewhere `--app-id` / `--name` or derived defaults).
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { ManifestSchema } from '../../../sdk/src/manifest.ts';
import { defineCommand } from '../core/define-command.ts';
import { CliError } from '../core/errors.ts';
import { ask } from '../core/prompt.ts';
import { CLI_VERSION } from '../core/version.ts';
import { templateFiles } from '../init/template.ts';

const validAppId = (value: string): string | undefined => {
  const r = ManifestSchema.shape.app_id.safeParse(value);
  return r.success ? undefined : `"${value}" is not an app id: reverse-domain style, lowercase, e.g. com.example.hello`;
};
const validName = (value: string): string | undefined => (value.length >= 1 && value.length <= 64 ? undefined : 'a name has 1 to 64 characters');

/** Whether `@atrium/sdk` is already installed in a node_modules folder at or above `dir`. */
function sdkResolvesFrom(dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules', '@atrium', 'sdk', 'package.json'))) return true;
    if (dirname(at) === at) return false;
  }
}

/** `my-cool_app` → `mycoolapp` (an app id segment). */
function idSegment(folder: string): string {
  const s = folder.toLowerCase().replace(/[^a-z0-9_]/g, '');
  return /^[a-z]/.test(s) ? s : `app${s}`;
}

/** `my-cool_app` → `My Cool App`. */
function titleCase(folder: string): string {
  return folder.split(/[-_\s.]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') || 'My App';
}

export default defineCommand({
  command: 'init',
  summary: 'Create a new mini-app from the TypeScript template',
  description: 'Writes manifest.json, src/app.ts, src/pages/index.tsx, tsconfig.json, package.json and a README.\nThe folder must be empty or not exist. Without a terminal, --app-id is required and the name defaults\nto the folder name.',
  positionals: { dir: { description: 'Where to create the app (default: the current folder)' } },
  flags: {
    'app-id': { type: 'string', description: 'The app id, reverse-domain style (com.example.hello)', valueName: 'ID' },
    name: { type: 'string', description: 'The app name people see', valueName: 'NAME' },
  },
  examples: [
    { command: 'atrium init hello', description: 'Create ./hello, asking for the app id and name' },
    { command: 'atrium init hello --app-id com.example.hello --name Hello', description: 'Create it without questions (CI)' },
  ],
  async run({ args, io, log }) {
    const dir = resolve(io.cwd, args.dir ?? '.');
    if (existsSync(dir) && readdirSync(dir).filter((f) => f !== '.git' && f !== '.DS_Store').length > 0) {
      throw new CliError({ code: 'DIRECTORY_NOT_EMPTY', message: `${dir} is not empty`, hint: 'Pick a new folder: "atrium init my-app".' });
    }
    const folder = basename(dir);
    // The id is the app's identity on the host (the registry claims it), so it is never guessed without a person
    // to confirm it: without a terminal, --app-id is required.
    const appId = args['app-id'] ?? (await ask(io, { flag: 'app-id', question: 'App id (reverse-domain, e.g. com.example.hello)?', defaultValue: `com.example.${idSegment(folder)}`, validate: validAppId }));
    const idProblem = validAppId(appId);
    if (idProblem) throw new CliError({ code: 'USAGE', message: `--app-id: ${idProblem}`, hint: 'Pass --app-id com.example.hello.' });
    let name = args.name;
    if (name === undefined) name = io.isTTY ? await ask(io, { flag: 'name', question: 'App name?', defaultValue: titleCase(folder), validate: validName }) : titleCase(folder);
    const nameProblem = validName(name);
    if (nameProblem) throw new CliError({ code: 'USAGE', message: `--name: ${nameProblem}`, hint: 'Pass --name "My App".' });

    const files = templateFiles({ appId, name, packageName: idSegment(folder), sdkVersion: `^${CLI_VERSION}` });
    for (const [path, content] of Object.entries(files)) {
      const file = join(dir, path);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content, { flag: 'wx' });
    }
    const where = relative(io.cwd, dir);
    if (args.json) log.result({ dir, appId, name, files: Object.keys(files) });
    else {
      log.success(`Created ${name} (${appId}) in ${where || '.'}`);
      // Inside a checkout (or a project that already has the SDK) there is nothing to install.
      const install = sdkResolvesFrom(dir) ? '' : 'npm install && ';
      log.info(`Next: ${where ? `cd ${where} && ` : ''}${install}npx atrium build`);
    }
  },
});
