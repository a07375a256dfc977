/**
 * @module `atrium testers add <handle>`: lets a person open the app's previews.
 */
import { APP_FLAG, appIdFor, Member } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'testers add',
  summary: 'Let a person open the app\'s previews',
  positionals: { handle: { description: 'Their Atrium handle (without @)', required: true } },
  flags: APP_FLAG,
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const handle = args.handle.replace(/^@/, '');
    const member = await hostClient({ host, io, log }).request({ method: 'PUT', path: `/v1/developer/apps/${encodeURIComponent(appId)}/members/${encodeURIComponent(handle)}`, json: { role: 'tester' }, schema: Member });
    if (args.json) log.result({ appId, ...member });
    else log.success(`@${member.handle} (${member.displayName}) is a tester of ${appId}. Next: "atrium preview" and send them the link.`);
  },
});
