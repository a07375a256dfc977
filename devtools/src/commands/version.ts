/**
 * @module `atrium version`: the CLI's version (and Node's, with --json).
 */
import { defineCommand } from '../core/define-command.ts';
import { CLI_VERSION } from '../core/version.ts';

export default defineCommand({
  command: 'version',
  summary: 'Print the CLI version',
  run({ args, log }) {
    if (args.json) log.result({ version: CLI_VERSION, node: process.version });
    else log.info(CLI_VERSION);
  },
});
