/**
 * @module `atrium versions rollback <code>`: makes one of the last five released versions stable again (any
 * number of times); a rollout in progress ends.
 */
import { APP_FLAG, appIdFor, describeRelease, Release, versionCode } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'versions rollback',
  summary: 'Roll back to one of the last five released versions',
  positionals: { code: { description: 'The version code to make stable again', required: true } },
  flags: APP_FLAG,
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const code = versionCode(args.code);
    const state = await hostClient({ host, io, log }).request({ method: 'POST', path: `/v1/developer/apps/${encodeURIComponent(appId)}/rollback`, json: { versionCode: code }, schema: Release });
    if (args.json) log.result({ appId, ...state });
    else log.success(`${appId} rolled back: ${describeRelease(state)}. People get it at their next launch.`);
  },
});
