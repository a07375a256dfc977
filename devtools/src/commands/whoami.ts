/**
 * @module `atrium whoami`: the developer account the stored token acts for, on `--host`.
 */
import { z } from 'zod';
import { defineCommand } from '../core/define-command.ts';
import { CliError } from '../core/errors.ts';
import { hostClient } from '../core/session.ts';

const Developer = z.object({ id: z.string(), name: z.string(), createdAt: z.number().int() });

export default defineCommand({
  command: 'whoami',
  summary: 'Show the developer account you are logged in as',
  async run({ args, io, log, host }) {
    const developer = await hostClient({ host, io, log })
      .request({ method: 'GET', path: '/v1/developer', schema: Developer })
      .catch((error: unknown) => {
        if (error instanceof CliError && error.code === 'NOT_FOUND') throw new CliError({ code: 'DEVELOPER_MODE_OFF', message: 'this account has not turned on developer mode', hint: 'Turn on developer mode in the Atrium shell, then try again.' });
        throw error;
      });
    if (args.json) log.result({ host, developer });
    else log.success(`Logged in to ${host} as developer "${developer.name}" (${developer.id}).`);
  },
});
