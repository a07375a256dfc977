/**
 * `npm run admin -- grant-reviewer <handle>`: the operator grants the platform reviewer role on the host's own
 * database (no API may), with clear errors and exit codes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pino from 'pino';
import { createHost } from '../../../host/src/app.ts';
import { openDatabase } from '../../../host/src/db/database.ts';
import { testConfig } from '../../helpers/host.ts';

const ADMIN = new URL('../../../host/src/admin.ts', import.meta.url).pathname;

describe('developer platform: the operator command', () => {
  it('grants and revokes the reviewer role by handle; unknown handles and bad usage fail clearly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atrium-admin-'));
    try {
      const database = openDatabase(join(dir, 'atrium.db'));
      const host = createHost({ db: database, config: testConfig(), logger: pino({ level: 'silent' }) });
      const rita = await host.services.identity.createAccount({ handle: 'rita', displayName: 'Rita', password: 'a long enough password' });
      await database.close();
      const run = (...args: string[]) => spawnSync(process.execPath, [ADMIN, ...args], { env: { ...process.env, ATRIUM_DATA_DIR: dir }, encoding: 'utf8' });

      const granted = run('grant-reviewer', '@rita');
      assert.equal(granted.status, 0, granted.stderr);
      assert.match(granted.stdout, /@rita is a platform reviewer/);
      const check = openDatabase(join(dir, 'atrium.db'));
      const again = createHost({ db: check, config: testConfig(), logger: pino({ level: 'silent' }) });
      assert.equal(await again.services.developer.members.isReviewer(rita.id), true);
      await check.close();

      const unknown = run('grant-reviewer', 'nobody');
      assert.equal(unknown.status, 1);
      assert.match(unknown.stderr, /^✘ ERROR NOT_FOUND: nobody has the handle @nobody/);
      const usage = run('make-admin', 'rita');
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /^✘ ERROR USAGE:/);
      assert.equal(run('revoke-reviewer', 'rita').status, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
