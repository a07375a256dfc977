/**
 * @module `atrium versions release <code> --percent N`: releases an approved version to N % of people (stable
 * per-person buckets); 100 releases it to everybody. On a version already rolling out, changes the percentage.
 */
import { APP_FLAG, appIdFor, describeRelease, Release, versionCode } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { CliError } from '../../core/errors.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'versions release',
  summary: 'Release an approved version to a percentage of people',
  positionals: { code: { description: 'The version code', required: true } },
  flags: { ...APP_FLAG, percent: { type: 'number', description: 'Who gets it, 1 to 100 (100: everybody)', required: true } },
  examples: [
    { command: 'atrium versions release 3 --percent 10', description: 'Start a phased release to 10 % of people' },
    { command: 'atrium versions release 3 --percent 100', description: 'Release to everybody' },
  ],
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const code = versionCode(args.code);
    if (!Number.isInteger(args.percent) || args.percent < 1 || args.percent > 100) throw new CliError({ code: 'USAGE', message: `--percent must be a whole number from 1 to 100 (got ${args.percent})`, hint: 'Pass --percent 10, for example.' });
    const client = hostClient({ host, io, log });
    const path = `/v1/developer/apps/${encodeURIComponent(appId)}/release`;
    const current = await client.request({ method: 'GET', path, schema: Release });
    const rolling = current.rollout?.versionCode === code;
    const state = !rolling
      ? await client.request({ method: 'POST', path, json: { versionCode: code, percent: args.percent }, schema: Release })
      : args.percent === 100
        ? await client.request({ method: 'POST', path: `${path}/complete`, schema: Release })
        : await client.request({ method: 'PATCH', path, json: { percent: args.percent }, schema: Release });
    if (args.json) log.result({ appId, ...state });
    else log.success(`${appId}: ${describeRelease(state)}. Next: ${state.rollout ? `"atrium versions release ${code} --percent 100" when it looks good, or "atrium versions pause"` : `"atrium versions rollback <code>" if something goes wrong`}.`);
  },
});
