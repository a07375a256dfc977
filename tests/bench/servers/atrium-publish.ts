/**
 * @module The publish benchmark's host, in its own process: a temporary database, no apps (everything arrives
 * through the developer API). Prints `{"port": N}` once listening. Reads one JSON command a line on stdin:
 * `{"grantReviewer": "<userId>"}` makes a person a platform reviewer (what `npm run admin -- grant-reviewer`
 * does on a real host's database) and answers `{"ok": true}`.
 */
import { createInterface } from 'node:readline';
import pino from 'pino';
import { createHost, type Host } from '../../../host/src/app.ts';
import { tempDatabase } from '../../../host/src/db/database.ts';
import { serveHost } from '../../../host/src/server.ts';
import { testConfig } from '../../helpers/host.ts';

const database = tempDatabase();
let host: Host | undefined;
const { server, port } = await serveHost(() => host, { hostname: '127.0.0.1', port: 0 });
host = createHost({ db: database, config: testConfig({ publicUrl: `http://127.0.0.1:${port}` }), logger: pino({ level: 'warn' }) });
process.stdout.write(`${JSON.stringify({ port })}\n`);

process.on('SIGTERM', () => {
  host?.services.stop();
  void host?.services.sessions.stop().then(async () => {
    server.close();
    await database[Symbol.asyncDispose]();
    process.exit(0);
  });
});

for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { grantReviewer?: string };
  if (typeof command.grantReviewer === 'string') {
    await host.services.developer.members.grantReviewer(command.grantReviewer);
    process.stdout.write(`${JSON.stringify({ ok: true })}\n`);
  }
}
