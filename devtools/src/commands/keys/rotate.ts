/**
 * @module `atrium keys rotate`: replaces the app secret; the old one stops working at once, the new one is shown once.
 */
import { z } from 'zod';
import { APP_FLAG, appIdFor } from '../../core/app-context.ts';
import { defineCommand } from '../../core/define-command.ts';
import { hostClient } from '../../core/session.ts';

export default defineCommand({
  command: 'keys rotate',
  summary: 'Rotate the app secret (the old one stops working at once)',
  flags: APP_FLAG,
  async run({ args, io, log, host }) {
    const appId = appIdFor(args.app, io.cwd);
    const { secret } = await hostClient({ host, io, log }).request({ method: 'POST', path: `/v1/developer/apps/${encodeURIComponent(appId)}/secret`, schema: z.object({ secret: z.string() }) });
    if (args.json) log.result({ appId, secret });
    else {
      log.success(`Rotated the secret of ${appId}; the old one no longer works.`);
      log.info(`New app secret (shown once; put it on your server now): ${secret}`);
    }
  },
});
