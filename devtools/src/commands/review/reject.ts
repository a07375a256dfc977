/**
 * @module `atrium review reject <app> <code> --reason …`: rejects a submitted version with reasons (platform reviewers).
 */
import { Version, versionCode } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'review reject',
  summary: 'Reject a submitted version with reasons (platform reviewers)',
  positionals: { app: { description: 'The app id', required: true }, code: { description: 'The version code', required: true } },
  flags: { reason: { type: 'string', description: 'Why, for the developers', valueName: 'TEXT', required: true } },
  async run({ args, io, log, host }) {
    const code = versionCode(args.code);
    const version = await hostClient({ host, io, log }).request({ method: 'POST', path: `/v1/developer/apps/${encodeURIComponent(args.app)}/versions/${code}/reject`, json: { reason: args.reason }, schema: Version });
    if (args.json) log.result({ appId: args.app, ...version });
    else log.success(`Rejected version ${code} of ${args.app}: ${args.reason}`);
  },
});
