/**
 * @module `atrium publish`: builds the app (or takes `--package`) and uploads the package as a new version of
 * the app on the host (`POST /v1/developer/apps/{appId}/versions`, application/zip), with a progress bar on a TTY.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { buildProject } from '../build/build-project.ts';
import { formatBytes, PackageError, readPackage } from '../build/package.ts';
import { findProject } from '../core/config.ts';
import { defineCommand, type CliIO } from '../core/define-command.ts';
import type { Logger } from '../core/logger.ts';
import { CliError } from '../core/errors.ts';
import { hostClient } from '../core/session.ts';

const Version = z.object({ versionCode: z.number().int(), versionName: z.string(), status: z.string(), packageSha256: z.string().nullable(), packageBytes: z.number().int().nullable() });

export default defineCommand({
  command: 'publish',
  summary: 'Build the app and upload it as a new version',
  description: 'Runs "atrium build" (or takes a package built before with --package) and uploads it to the host as\na new version of the app named by its manifest. The version code must be higher than every earlier upload.',
  flags: {
    package: { type: 'string', description: 'Upload this package instead of building', valueName: 'FILE' },
    'skip-typecheck': { type: 'boolean', description: 'Do not run tsc --noEmit while building' },
  },
  examples: [
    { command: 'atrium publish', description: 'Build and upload the app in this folder' },
    { command: 'atrium publish --package dist/com.example.hello-2.zip --json', description: 'Upload a built package (CI)' },
  ],
  async run(context) {
    const { args, log, host } = context;
    const uploaded = await publishPackage(context, { packageFile: args.package, skipTypecheck: args['skip-typecheck'], json: args.json });
    if (args.json) log.result({ host, ...uploaded });
    else log.success(`Uploaded ${uploaded.name} ${uploaded.versionName} as version ${uploaded.versionCode} of ${uploaded.appId} on ${host} (${uploaded.status}, sha256 ${uploaded.packageSha256?.slice(0, 12) ?? '?'}…). Next: "atrium versions submit ${uploaded.versionCode}" for review, or "atrium preview" for testers.`);
  },
});

/** Builds (unless `packageFile`), checks and uploads the app's package; returns the new version. */
export async function publishPackage(
  { io, log, host }: { io: CliIO; log: Logger; host: string },
  options: { packageFile: string | undefined; skipTypecheck: boolean; json: boolean },
): Promise<z.infer<typeof Version> & { appId: string; name: string }> {
  let file = options.packageFile ? resolve(io.cwd, options.packageFile) : undefined;
  if (!file) {
    const project = findProject(io.cwd);
    if (!project) throw new CliError({ code: 'PROJECT_NOT_FOUND', message: `no manifest.json or atrium.config.json in ${io.cwd} or above`, hint: 'Run this inside an app folder, or pass --package <file>.' });
    const spinner = log.spinner('Building');
    try {
      const report = await buildProject({ dir: project.appDir, outDir: project.config.out_dir ?? 'dist', typecheck: !options.skipTypecheck && project.config.typecheck !== false });
      for (const w of report.warnings) log.warn(`${w.where}: ${w.message}`);
      file = report.file;
    } finally {
      spinner.stop();
    }
  }
  const path = file;
  const bytes = new Uint8Array(await readFile(path).catch((cause: unknown) => {
    throw new CliError({ code: 'PACKAGE_INVALID', message: `cannot read ${path}`, hint: 'Pass the path of a package written by "atrium build".', cause });
  }));
  let pkg;
  try {
    pkg = readPackage(bytes); // refuse locally what the host would refuse, before sending up to 30 MB
  } catch (error) {
    if (!(error instanceof PackageError)) throw error;
    throw new CliError({ code: error.code, message: `${path} is not a valid package`, details: error.problems, hint: 'Build it again with "atrium build".', cause: error });
  }
  const { app_id: appId, name, version } = pkg.manifest;
  const bar = log.progress(`Uploading ${name} ${version.name} (${formatBytes(bytes.byteLength)})`);
  try {
    const uploaded = await hostClient({ host, io, log }).request({
      method: 'POST',
      path: `/v1/developer/apps/${encodeURIComponent(appId)}/versions`,
      body: bytes,
      contentType: 'application/zip',
      schema: Version,
      timeoutMs: 120_000,
      ...(io.isTTY && !options.json ? { onUploadProgress: (sent: number, total: number) => bar.set(sent / total) } : {}),
    });
    return { ...uploaded, appId, name };
  } catch (error) {
    if (error instanceof CliError && error.code === 'APP_NOT_FOUND') {
      throw new CliError({ code: error.code, message: `${appId} is not registered on ${host}, or you are not one of its members`, details: error.details, hint: 'Register it with "atrium apps create" (or ask its owner to add you).', cause: error });
    }
    throw error;
  } finally {
    bar.stop();
  }
}
