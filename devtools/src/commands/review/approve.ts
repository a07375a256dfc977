/**
 * @module `atrium review approve <app> <code>`: approves a submitted version (platform reviewers).
 */
import { Version, versionCode } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'review approve',
  summary: 'Approve a submitted version (platform reviewers)',
  positionals: { app: { description: 'The app id', required: true }, code: { description: 'The version code', required: true } },
  flags: { note: { type: 'string', description: 'A note for the developers', valueName: 'TEXT' } },
  async run({ args, io, log, host }) {
    const code = versionCode(args.code);
    const version = await hostClient({ host, io, log }).request({ method: 'POST', path: `/v1/developer/apps/${encodeURIComponent(args.app)}/versions/${code}/approve`, json: args.note ? { note: args.note } : {}, schema: Version });
    if (args.json) log.result({ appId: args.app, ...version });
    else log.success(`Approved version ${code} of ${args.app}. Its developers can now release it.`);
  },
});
