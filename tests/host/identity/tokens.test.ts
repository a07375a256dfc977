import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

describe('identity: access tokens and signing keys', () => {
  it('issues Ed25519 JWTs with a kid that verify against the published JWKS', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const header = decodeProtectedHeader(ada.accessToken);
    assert.equal(header.alg, 'EdDSA');
    assert.match(header.kid ?? '', /^key_/);
    const jwks = await t.call('GET', '/.well-known/jwks.json');
    assert.equal(jwks.status, 200);
    assert.equal(jwks.body.keys.length, 1);
    assert.equal(jwks.body.keys[0].crv, 'Ed25519');
    assert.equal(jwks.body.keys[0].d, undefined, 'no private part is published');
    const { payload } = await jwtVerify(ada.accessToken, createLocalJWKSet(jwks.body), { currentDate: new Date(t.clock.now()), audience: 'atrium', issuer: t.config.publicUrl });
    assert.equal(payload.sub, ada.userId);
    assert.equal(payload.sid, ada.deviceId);
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 15 * 60);
  });

  it('refuses an expired token after 15 minutes, even from the verified-token cache', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    assert.equal((await t.call('GET', '/v1/me', { token: ada.accessToken })).status, 200);
    t.clock.advance(15 * 60_000 + 1000);
    expectProblem(await t.call('GET', '/v1/me', { token: ada.accessToken }), 401, 'AUTH_TOKEN_EXPIRED');
  });

  it('refuses tampered, foreign and missing tokens', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const [h, p, s] = ada.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p ?? '', 'base64url').toString()), sub: 'usr_other' })).toString('base64url');
    expectProblem(await t.call('GET', '/v1/me', { token: `${h}.${forged}.${s}` }), 401, 'AUTH_TOKEN_INVALID');
    expectProblem(await t.call('GET', '/v1/me', { token: 'not.a.jwt' }), 401, 'AUTH_TOKEN_INVALID');
    const missing = expectProblem(await t.call('GET', '/v1/me'), 401, 'UNAUTHENTICATED');
    assert.ok(missing.detail);
    await using other = await startTestHost();
    const stranger = await other.signUp('ada');
    expectProblem(await t.call('GET', '/v1/me', { token: stranger.accessToken }), 401, 'AUTH_TOKEN_INVALID');
  });

  it('a cached token does not vouch for another token with the same signature', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const grace = await t.signUp('grace');
    assert.equal((await t.call('GET', '/v1/me', { token: ada.accessToken })).status, 200, 'Ada’s token is now in the verified-token cache');
    const [h, p, s] = ada.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: grace.userId, sid: grace.deviceId })).toString('base64url');
    expectProblem(await t.call('GET', '/v1/me', { token: `${h}.${forged}.${s}` }), 401, 'AUTH_TOKEN_INVALID');
    const again = await t.call('GET', '/v1/me', { token: ada.accessToken });
    assert.equal(again.status, 200);
    assert.equal(again.body.id, ada.userId, 'the genuine token still answers from the cache');
  });

  it('rotates signing keys: tokens signed by the old key keep working until they expire', async () => {
    await using t = await startTestHost();
    const before = await t.signUp('ada');
    await t.host.services.tokens.rotate();
    const after = await t.signIn('ada');
    assert.notEqual(decodeProtectedHeader(before.accessToken).kid, decodeProtectedHeader(after.accessToken).kid);
    const jwks = await t.call('GET', '/.well-known/jwks.json');
    assert.equal(jwks.body.keys.length, 2);
    assert.equal((await t.call('GET', '/v1/me', { token: before.accessToken })).status, 200);
    t.clock.advance(16 * 60_000 + 60_000);
    const later = await t.call('GET', '/.well-known/jwks.json');
    assert.deepEqual(later.body.keys.map((k: { kid: string }) => k.kid), [decodeProtectedHeader(after.accessToken).kid], 'the old key leaves the JWKS once its tokens expired');
  });

  it('rotates on schedule: a new key signs once the current one retires', async () => {
    await using t = await startTestHost({ signingKeyRotationMs: 60 * 60_000 });
    const first = await t.signUp('ada');
    t.clock.advance(61 * 60_000);
    const second = await t.signIn('ada');
    assert.notEqual(decodeProtectedHeader(first.accessToken).kid, decodeProtectedHeader(second.accessToken).kid);
  });
});
