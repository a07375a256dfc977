/**
 * @module `atrium apps info`: an app, its release state and its newest versions.
 */
import { z } from 'zod';
import { APP_FLAG, AppInfo, appIdFor, describeRelease, Release, Version } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'apps info',
  summary: 'Show an app, what people get and its newest versions',
  flags: APP_FLAG,
  async run({ args, io, log, host }) {
    const appId = encodeURIComponent(appIdFor(args.app, io.cwd));
    const client = hostClient({ host, io, log });
    const [app, release, { versions }] = await Promise.all([
      client.request({ method: 'GET', path: `/v1/developer/apps/${appId}`, schema: AppInfo }),
      client.request({ method: 'GET', path: `/v1/developer/apps/${appId}/release`, schema: Release }),
      client.request({ method: 'GET', path: `/v1/developer/apps/${appId}/versions`, schema: z.object({ versions: z.array(Version) }) }),
    ]);
    if (args.json) {
      log.result({ app, release, versions });
      return;
    }
    log.info(`${app.name} (${app.id}), your role: ${app.role ?? 'none'}`);
    log.info(`Released: ${describeRelease(release)}`);
    log.info(`Versions: ${versions.slice(0, 5).map((v) => `${v.versionCode} ${v.status}`).join(', ') || 'none yet'}`);
  },
});
