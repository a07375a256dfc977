/**
 * @module `atrium apps list`: the apps you are a member of, with your role.
 */
import { z } from 'zod';
import { AppInfo, table, when } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'apps list',
  summary: 'List the apps you are a member of',
  async run({ args, io, log, host }) {
    const { apps } = await hostClient({ host, io, log }).request({ method: 'GET', path: '/v1/developer/apps', schema: z.object({ apps: z.array(AppInfo) }) });
    if (args.json) log.result({ apps });
    else if (apps.length === 0) log.info('No apps yet. Next: "atrium apps create" inside an app folder.');
    else log.info(table(['APP ID', 'NAME', 'ROLE', 'CREATED'], apps.map((a) => [a.id, a.name, a.role ?? '-', when(a.createdAt)])));
  },
});
