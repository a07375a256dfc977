/**
 * @module `atrium review list`: versions waiting for review (platform reviewers).
 */
import { z } from 'zod';
import { table, Version, when } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'review list',
  summary: 'List the versions waiting for review (platform reviewers)',
  async run({ args, io, log, host }) {
    const { versions } = await hostClient({ host, io, log }).request({ method: 'GET', path: '/v1/developer/review', schema: z.object({ versions: z.array(Version.extend({ appId: z.string() })) }) });
    if (args.json) log.result({ versions });
    else if (versions.length === 0) log.info('Nothing waits for review.');
    else log.info(table(['APP ID', 'CODE', 'NAME', 'UPLOADED'], versions.map((v) => [v.appId, v.versionCode, v.versionName, when(v.createdAt)])));
  },
});
