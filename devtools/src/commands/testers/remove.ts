/**
 * @module `atrium testers remove <handle>`: takes a tester off the app.
 */
import { z } from 'zod';
import { APP_FLAG, appIdFor, Member } from '../../core/app-context.ts';
import { CliError } from '../../core/errors.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'testers remove',
  summary: 'Take a tester off the app',
  positionals: { handle: { description: 'Their Atrium handle (without @)', required: true } },
  flags: APP_FLAG,
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const handle = args.handle.replace(/^@/, '');
    const client = hostClient({ host, io, log });
    const { members } = await client.request({ method: 'GET', path: `/v1/developer/apps/${encodeURIComponent(appId)}/members`, schema: z.object({ members: z.array(Member) }) });
    const member = members.find((m) => m.handle.toLowerCase() === handle.toLowerCase());
    if (!member) throw new CliError({ code: 'NOT_FOUND', message: `@${handle} is not a tester of ${appId}`, hint: `See the members with "atrium apps info --app ${appId} --json".` });
    if (member.role !== 'tester') throw new CliError({ code: 'USAGE', message: `@${member.handle} is ${/^[aeiou]/.test(member.role) ? 'an' : 'a'} ${member.role} of ${appId}, not a tester`, hint: 'Change members in the Atrium shell.', exitCode: 1 });
    await client.request({ method: 'DELETE', path: `/v1/developer/apps/${encodeURIComponent(appId)}/members/${encodeURIComponent(handle)}` });
    if (args.json) log.result({ appId, removed: handle });
    else log.success(`@${member.handle} is no longer a tester of ${appId}.`);
  },
});
