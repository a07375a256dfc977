/**
 * @module `atrium versions submit <code>`: sends an uploaded version to review.
 */
import { APP_FLAG, appIdFor, Version, versionCode } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'versions submit',
  summary: 'Submit an uploaded version for review',
  positionals: { code: { description: 'The version code', required: true } },
  flags: APP_FLAG,
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const code = versionCode(args.code);
    const version = await hostClient({ host, io, log }).request({ method: 'POST', path: `/v1/developer/apps/${encodeURIComponent(appId)}/versions/${code}/submit`, schema: Version });
    if (args.json) log.result({ appId, ...version });
    else log.success(`Submitted version ${code} of ${appId} for review (${version.status}). Next: once approved, "atrium versions release ${code} --percent 10".`);
  },
});
