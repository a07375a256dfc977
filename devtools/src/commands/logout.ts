/**
 * @module `atrium logout`: forgets the token stored for the host. An API token can only be revoked by the
 * signed-in person (the host refuses it from a token), so this says where to revoke it.
 */
import { readUserConfig, writeUserConfig } from '../core/config.ts';
import { defineCommand } from '../core/define-command.ts';

export default defineCommand({
  command: 'logout',
  summary: 'Forget the token stored for a host',
  flags: { all: { type: 'boolean', description: 'Forget the tokens of every host' } },
  async run({ args, io, log, host }) {
    const config = readUserConfig(io.env, (w) => log.warn(w));
    const forgotten = args.all ? Object.keys(config.hosts) : host in config.hosts ? [host] : [];
    for (const h of forgotten) delete config.hosts[h];
    if (forgotten.length) await writeUserConfig(io.env, config);
    if (args.json) log.result({ forgotten });
    else if (forgotten.length === 0) log.info(`Not logged in to ${host}; nothing to forget.`);
    else log.success(`Forgot the token of ${forgotten.join(', ')}. To revoke it on the host too, remove it in the Atrium shell (developer tokens). Next: "atrium login" to sign in again.`);
  },
});
