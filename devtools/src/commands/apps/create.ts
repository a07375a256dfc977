/**
 * @module `atrium apps create`: registers the app (id and name from --app-id/--name or the manifest); its secret
 * is printed once.
 */
import { z } from 'zod';
import { APP_FLAG, AppInfo, appIdFor } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { findProject } from '../../core/config.ts';
import { hostClient } from '../../core/session.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export default defineCommand({
  command: 'apps create',
  summary: 'Register the app on the host (its secret is shown once)',
  flags: { ...APP_FLAG, name: { type: 'string', description: 'The app name (default: the manifest name)', valueName: 'NAME' } },
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const project = findProject(io.cwd);
    let name = args.name;
    if (!name && project) name = (JSON.parse(readFileSync(join(project.appDir, 'manifest.json'), 'utf8')) as { name?: string }).name;
    const created = await hostClient({ host, io, log }).request({ method: 'POST', path: '/v1/developer/apps', json: { appId, name: name ?? appId }, schema: z.object({ app: AppInfo, secret: z.string() }) });
    if (args.json) {
      log.result(created);
      return;
    }
    log.success(`Registered ${created.app.name} (${created.app.id}) on ${host}.`);
    log.info(`App secret (shown once; keep it on your server): ${created.secret}`);
    log.info('Next: "atrium publish" to upload its first version.');
  },
});
