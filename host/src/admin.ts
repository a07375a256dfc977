/**
 * @module Operator commands on the host's database (`npm run admin -- <command>`), for what no API may do:
 * granting the platform reviewer role, and proving the ledger's invariants. Reads `ATRIUM_DATA_DIR` like
 * `npm start`.
 *   npm run admin -- grant-reviewer <handle>
 *   npm run admin -- wallet-invariants [--json]   (exit 1 when any invariant is broken)
 */
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { settingsFromEnv } from './config.ts';
import { openDatabase } from './db/database.ts';
import { users } from './identity/schema.ts';
import { platformRoles } from './developer/schema.ts';
import { checkInvariants, type InvariantReport } from './wallet/invariants.ts';

const USAGE = 'usage: npm run admin -- grant-reviewer <handle> | revoke-reviewer <handle> | wallet-invariants [--json]';

/** The invariant report for a terminal: one line per currency, then every violation with the account it names. */
function formatReport(report: InvariantReport, dataDir: string): string {
  const lines = [`Ledger in ${dataDir}: ${report.accounts} accounts, ${report.transfers} transfers`];
  for (const c of report.currencies) {
    const broken = report.violations.filter((v) => v.detail.includes(`:${c.currency}:`) || v.detail.startsWith(`${c.currency}:`));
    lines.push(`  ${broken.length === 0 ? '✔' : '✘'} ${c.currency}  sum ${c.sum}  held ${c.held}  accounts ${c.accounts}`);
  }
  if (report.currencies.length === 0) lines.push('  (no accounts yet)');
  for (const v of report.violations) lines.push(`  ✘ ${v.invariant}: ${v.detail}`);
  return `${lines.join('\n')}\n`;
}

async function walletInvariants(json: boolean): Promise<number> {
  const settings = settingsFromEnv();
  const database = openDatabase(join(settings.dataDir, 'atrium.db'));
  try {
    const report = checkInvariants(database.db, Date.now());
    if (json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else process.stdout.write(formatReport(report, settings.dataDir));
    if (!report.ok) {
      if (!json) process.stderr.write(`✘ ERROR WALLET_INVARIANT_BROKEN: ${report.violations.length} violation(s). Stop payments and investigate the accounts named above.\n`);
      return 1;
    }
    if (!json) process.stdout.write('✔ Every ledger invariant holds: balances sum to zero per currency, match their transfers, and no wallet is negative.\n');
    return 0;
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, rawHandle] = argv;
  if (command === 'wallet-invariants') {
    const rest = argv.slice(1);
    if (rest.some((a) => a !== '--json')) {
      process.stderr.write(`✘ ERROR USAGE: ${USAGE}\n`);
      return 2;
    }
    return walletInvariants(rest.includes('--json'));
  }
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
