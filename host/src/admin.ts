/**
 * @module Operator commands on the host's database (`npm run admin -- <command>`), for what no API may do:
 * granting the platform reviewer role. Reads `ATRIUM_DATA_DIR` like `npm start`.
 *   npm run admin -- grant-reviewer <handle>
 */
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { settingsFromEnv } from './config.ts';
import { openDatabase } from './db/database.ts';
import { users } from './identity/schema.ts';
import { platformRoles } from './developer/schema.ts';

const USAGE = 'usage: npm run admin -- grant-reviewer <handle> | revoke-reviewer <handle>';

async function main(argv: string[]): Promise<number> {
  const [command, rawHandle] = argv;
  const handle = rawHandle?.replace(/^@/, '').toLowerCase();
  if ((command !== 'grant-reviewer' && command !== 'revoke-reviewer') || !handle) {
    process.stderr.write(`✘ ERROR USAGE: ${USAGE}\n`);
    return 2;
  }
  const settings = settingsFromEnv();
  const database = openDatabase(join(settings.dataDir, 'atrium.db'));
  try {
    const [person] = await database.db.select({ id: users.id }).from(users).where(eq(users.handle, handle));
    if (!person) {
      process.stderr.write(`✘ ERROR NOT_FOUND: nobody has the handle @${handle} in ${settings.dataDir}.\n  Check ATRIUM_DATA_DIR, or sign up first.\n`);
      return 1;
    }
    if (command === 'grant-reviewer') {
      await database.write((tx) => tx.insert(platformRoles).values({ userId: person.id, role: 'reviewer', grantedAt: Date.now() }).onConflictDoNothing());
      process.stdout.write(`✔ @${handle} is a platform reviewer: they can now run "atrium review list".\n`);
    } else {
      await database.write((tx) => tx.delete(platformRoles).where(eq(platformRoles.userId, person.id)));
      process.stdout.write(`✔ @${handle} is no longer a platform reviewer.\n`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
