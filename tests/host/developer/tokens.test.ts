/**
 * Developer API tokens (scoped, expiring, revocable, hashed) and the CLI's device-code sign-in (RFC 8628).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import { normalizeUserCode } from '../../../host/src/developer/device-auth.ts';
import { developerTokens } from '../../../host/src/developer/schema.ts';
import { startTestHost } from '../../helpers/host.ts';

const fails = (code: string) => (error: unknown) => isAtriumError(error) && error.code === code;

describe('developer platform: tokens and the CLI sign-in', () => {
  it('issues scoped tokens that verify until they expire or are revoked, keeping only a hash', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const eve = await t.signUp('eve');
    const { tokens } = t.host.services.developer;
    const { token, info } = await tokens.issue(ada.userId, { name: 'CI', scopes: ['apps:read'], ttlMs: 3600_000 });
    assert.match(token, /^atk_[0-9a-z]{16}\.[A-Za-z0-9_-]{43}$/);
    const caller = await tokens.verify(token);
    assert.deepEqual([caller.userId, caller.tokenId, [...caller.scopes]], [ada.userId, info.id, ['apps:read']]);
    const rows = t.database.db.select().from(developerTokens).all();
    assert.ok(!JSON.stringify(rows).includes(token.split('.')[1]!), 'the secret is not stored');

    await assert.rejects(tokens.verify(`${token.slice(0, -3)}AAA`), fails('DEVELOPER_TOKEN_INVALID'));
    await assert.rejects(tokens.verify('atk_nope'), fails('DEVELOPER_TOKEN_INVALID'));
    await assert.rejects(tokens.revoke(eve.userId, info.id), fails('NOT_FOUND'), "eve cannot revoke ada's token");
    await tokens.revoke(ada.userId, info.id);
    await assert.rejects(tokens.verify(token), fails('DEVELOPER_TOKEN_INVALID'));

    const short = await tokens.issue(ada.userId, { name: 'short', ttlMs: 1000 });
    t.clock.advance(1000);
    await assert.rejects(tokens.verify(short.token), fails('DEVELOPER_TOKEN_INVALID'));
    const long = await tokens.issue(ada.userId, { name: 'long', ttlMs: 10 * 365 * 24 * 3600_000 });
    assert.equal(long.info.expiresAt - long.info.createdAt, 90 * 24 * 3600_000, 'capped at 90 days');
    assert.deepEqual((await tokens.list(ada.userId)).map((x) => x.name).sort(), ['CI', 'long', 'short']);
  });

  it('signs the CLI in once the person confirms the code in the shell (RFC 8628), once', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const { deviceAuth, tokens } = t.host.services.developer;
    const started = await deviceAuth.start('atrium CLI on build-box');
    assert.match(started.user_code, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(started.verification_uri_complete, `${t.config.publicUrl}/device?code=${started.user_code}`);
    assert.deepEqual([started.expires_in, started.interval], [600, 5]);

    await assert.rejects(deviceAuth.poll(started.device_code), fails('AUTHORIZATION_PENDING'));
    await assert.rejects(deviceAuth.poll(started.device_code), fails('SLOW_DOWN'));
    t.clock.advance(5000);
    await assert.rejects(deviceAuth.poll(started.device_code), fails('AUTHORIZATION_PENDING'));

    assert.equal((await deviceAuth.describe(started.user_code.toLowerCase().replace('-', ' '))).clientName, 'atrium CLI on build-box');
    await deviceAuth.decide(ada.userId, started.user_code, true);
    await assert.rejects(deviceAuth.decide(ada.userId, started.user_code, true), fails('USER_CODE_INVALID'), 'decided once');
    const issued = await deviceAuth.poll(started.device_code);
    assert.equal((await tokens.verify(issued.token)).userId, ada.userId);
    await assert.rejects(deviceAuth.poll(started.device_code), fails('DEVICE_CODE_EXPIRED'), 'a token is issued once');

    const denied = await deviceAuth.start('someone else');
    await deviceAuth.decide(ada.userId, denied.user_code, false);
    await assert.rejects(deviceAuth.poll(denied.device_code), fails('DEVICE_ACCESS_DENIED'));
    const stale = await deviceAuth.start('late');
    t.clock.advance(600_000);
    await assert.rejects(deviceAuth.poll(stale.device_code), fails('DEVICE_CODE_EXPIRED'));
    await assert.rejects(deviceAuth.describe(stale.user_code), fails('USER_CODE_INVALID'));
    assert.equal(normalizeUserCode('bcdf ghjk'), 'BCDF-GHJK');
  });
});
