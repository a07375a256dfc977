/**
 * @module `atrium versions resume`: continues a paused phased release.
 */
import { APP_FLAG, appIdFor, describeRelease, Release } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'versions resume',
  summary: 'Resume a paused phased release',
  flags: APP_FLAG,
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const state = await hostClient({ host, io, log }).request({ method: 'PATCH', path: `/v1/developer/apps/${encodeURIComponent(appId)}/release`, json: { paused: false }, schema: Release });
    if (args.json) log.result({ appId, ...state });
    else log.success(`${appId}: ${describeRelease(state)}.`);
  },
});
