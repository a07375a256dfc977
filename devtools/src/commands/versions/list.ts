/**
 * @module `atrium versions list`: an app's versions, newest first, with their status.
 */
import { z } from 'zod';
import { APP_FLAG, appIdFor, table, Version, when } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { formatBytes } from '../../build/package.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'versions list',
  summary: 'List the app\'s versions, newest first',
  flags: APP_FLAG,
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const { versions } = await hostClient({ host, io, log }).request({ method: 'GET', path: `/v1/developer/apps/${encodeURIComponent(appId)}/versions`, schema: z.object({ versions: z.array(Version) }) });
    if (args.json) log.result({ appId, versions });
    else if (versions.length === 0) log.info(`${appId} has no versions yet. Next: "atrium publish".`);
    else log.info(table(['CODE', 'NAME', 'STATUS', 'SIZE', 'UPLOADED', 'NOTE'], versions.map((v) => [v.versionCode, v.versionName, v.status, v.packageBytes === null ? '-' : formatBytes(v.packageBytes), when(v.createdAt), v.reviewNote ?? ''])));
  },
});
