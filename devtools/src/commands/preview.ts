/**
 * @module `atrium preview`: uploads the app as a new version (or takes `--version` already uploaded) and prints a
 * preview link valid 24 h with its QR code; only the app's members and testers can open it.
 */
import QRCode from 'qrcode';
import { z } from 'zod';
import { APP_FLAG, appIdFor, versionCode } from '../core/app-context.ts';
import { defineCommand } from '../core/define-command.ts';
import { hostClient } from '../core/session.ts';
import { publishPackage } from './publish.ts';

const Preview = z.object({ token: z.string(), url: z.string(), expiresAt: z.number().int() });

export default defineCommand({
  command: 'preview',
  summary: 'Upload the app and print a preview link and QR code for testers',
  description: 'Builds and uploads the app as a new version (like "atrium publish"), then creates a preview link valid\nfor 24 hours that only the app\'s members and testers can open. With --version, previews a version\nuploaded before.',
  flags: {
    ...APP_FLAG,
    version: { type: 'string', description: 'Preview this uploaded version instead of uploading', valueName: 'CODE' },
    package: { type: 'string', description: 'Upload this package instead of building', valueName: 'FILE' },
    'skip-typecheck': { type: 'boolean', description: 'Do not run tsc --noEmit while building' },
  },
  examples: [{ command: 'atrium preview', description: 'Upload and show a QR code to scan in the Atrium app' }],
  async run(context) {
    const { args, io, log, host } = context;
    let appId: string;
    let code: number;
    if (args.version !== undefined) {
      appId = appIdFor(args.app, io.cwd);
      code = versionCode(args.version);
    } else {
      const uploaded = await publishPackage(context, { packageFile: args.package, skipTypecheck: args['skip-typecheck'], json: args.json });
      appId = uploaded.appId;
      code = uploaded.versionCode;
    }
    const preview = await hostClient({ host, io, log }).request({ method: 'POST', path: `/v1/developer/apps/${encodeURIComponent(appId)}/versions/${code}/preview`, schema: Preview });
    const expires = new Date(preview.expiresAt).toISOString();
    if (args.json) {
      log.result({ appId, versionCode: code, url: preview.url, expiresAt: expires });
      return;
    }
    if (io.isTTY) log.info(await QRCode.toString(preview.url, { type: 'terminal', small: true }));
    log.success(`Preview of ${appId} version ${code}: ${preview.url}`);
    log.info(`Valid until ${expires.slice(0, 16).replace('T', ' ')} UTC, for the app's members and testers ("atrium testers add <handle>"). Scan it in Atrium or open the link.`);
  },
});
