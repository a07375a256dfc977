/**
 * @module `atrium login`: signs the CLI in with the device-code flow (RFC 8628): it prints a link, a code and,
 * on a terminal, a QR code; the person confirms in the Atrium shell; the CLI polls for a developer API token and
 * stores it for that host in the user config (mode 0600).
 */
import { hostname } from 'node:os';
import QRCode from 'qrcode';
import { z } from 'zod';
import { readUserConfig, writeUserConfig } from '../core/config.ts';
import { defineCommand } from '../core/define-command.ts';
import { CliError } from '../core/errors.ts';
import { hostClient, sleep } from '../core/session.ts';

const Started = z.object({ device_code: z.string(), user_code: z.string(), verification_uri: z.string(), verification_uri_complete: z.string(), expires_in: z.number().int().positive(), interval: z.number().int().positive() });
const Issued = z.object({ token: z.string().min(1), info: z.object({ id: z.string(), name: z.string(), scopes: z.array(z.string()), expiresAt: z.number().int() }) });

export default defineCommand({
  command: 'login',
  summary: 'Sign the CLI in to a host (you confirm in the Atrium shell)',
  description: 'Prints a link and a code (and a QR code on a terminal). Open it, sign in to Atrium and allow the\nsign-in; the CLI then stores a developer API token for that host in your user config.',
  flags: {
    name: { type: 'string', description: 'What the token is called in your token list (default: atrium CLI on <computer>)', valueName: 'NAME' },
  },
  examples: [
    { command: 'atrium login', description: 'Sign in to the local host (http://127.0.0.1:8080)' },
    { command: 'atrium login --host https://atrium.example.com', description: 'Sign in to another host' },
  ],
  async run({ args, io, log, host }) {
    const client = hostClient({ host, io, log }, undefined);
    const clientName = (args.name ?? `atrium CLI on ${hostname()}`).slice(0, 80);
    const started = await client.request({ method: 'POST', path: '/v1/developer/device-authorizations', json: { clientName }, auth: false, schema: Started });
    log.info(`Open ${started.verification_uri_complete} and allow "${clientName}".`);
    log.info(`Or open ${started.verification_uri} and enter the code ${started.user_code}.`);
    if (io.isTTY && !args.json) log.info(await QRCode.toString(started.verification_uri_complete, { type: 'terminal', small: true }));
    const spinner = log.spinner('Waiting for you to allow the sign-in in Atrium');
    const deadline = Date.now() + started.expires_in * 1000;
    let interval = started.interval;
    let issued: z.infer<typeof Issued> | undefined;
    try {
      while (!issued) {
        if (Date.now() > deadline) throw new CliError({ code: 'DEVICE_CODE_EXPIRED', message: 'the sign-in was not allowed in time', hint: 'Run "atrium login" again and allow it in the Atrium shell within 10 minutes.' });
        await sleep(io, interval * 1000);
        try {
          issued = await client.request({ method: 'POST', path: '/v1/developer/device-authorizations/token', json: { device_code: started.device_code }, auth: false, schema: Issued });
        } catch (error) {
          if (!(error instanceof CliError)) throw error;
          if (error.code === 'AUTHORIZATION_PENDING') continue;
          if (error.code === 'SLOW_DOWN') interval += 5; // RFC 8628 §3.5
          else if (error.code === 'DEVICE_ACCESS_DENIED') throw new CliError({ code: error.code, message: 'the sign-in was declined in Atrium', hint: 'Run "atrium login" again if that was a mistake.' });
          else if (error.code === 'DEVICE_CODE_EXPIRED') throw new CliError({ code: error.code, message: 'the sign-in request expired', hint: 'Run "atrium login" again.' });
          else throw error;
        }
      }
    } finally {
      spinner.stop();
    }
    const config = readUserConfig(io.env, (w) => log.warn(w));
    config.hosts[host] = { token: issued.token, expires_at: new Date(issued.info.expiresAt).toISOString() };
    const file = await writeUserConfig(io.env, config);
    log.debug(`stored the token in ${file}`);
    const info = { host, tokenId: issued.info.id, name: issued.info.name, scopes: issued.info.scopes, expiresAt: new Date(issued.info.expiresAt).toISOString() };
    if (args.json) log.result(info);
    else log.success(`Logged in to ${host} (token "${info.name}", expires ${info.expiresAt.slice(0, 10)}). Next: "atrium whoami", then "atrium publish" in an app folder.`);
  },
});
