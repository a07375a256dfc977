import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost, TEST_PASSWORD } from '../../helpers/host.ts';

describe('identity: rotating refresh tokens', () => {
  it('exchanges a refresh token for a new pair, once', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const next = await t.call('POST', '/v1/auth/refresh', { json: { refreshToken: ada.refreshToken } });
    assert.equal(next.status, 200);
    assert.notEqual(next.body.refreshToken, ada.refreshToken);
    assert.equal(next.body.device.id, ada.deviceId, 'same device');
    assert.equal((await t.call('GET', '/v1/me', { token: next.body.accessToken })).status, 200);
  });

  it('revokes the whole device when a spent refresh token is presented again', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const next = await t.call('POST', '/v1/auth/refresh', { json: { refreshToken: ada.refreshToken } });
    expectProblem(await t.call('POST', '/v1/auth/refresh', { json: { refreshToken: ada.refreshToken } }), 401, 'AUTH_REFRESH_REUSED');
    expectProblem(await t.call('POST', '/v1/auth/refresh', { json: { refreshToken: next.body.refreshToken } }), 401, 'AUTH_DEVICE_REVOKED');
    expectProblem(await t.call('GET', '/v1/me', { token: next.body.accessToken }), 401, 'AUTH_DEVICE_REVOKED');
  });

  it('refuses unknown, missing and expired refresh tokens', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    expectProblem(await t.call('POST', '/v1/auth/refresh', { json: { refreshToken: 'rt_nope' } }), 401, 'AUTH_REFRESH_INVALID');
    expectProblem(await t.call('POST', '/v1/auth/refresh', { json: {} }), 401, 'AUTH_REFRESH_INVALID');
    t.clock.advance(t.config.refreshTokenTtlMs + 1);
    expectProblem(await t.call('POST', '/v1/auth/refresh', { json: { refreshToken: ada.refreshToken } }), 401, 'AUTH_REFRESH_INVALID');
  });

  it('delivers the refresh token as an HttpOnly SameSite=Strict cookie to the shell, and refreshes from it', async () => {
    await using t = await startTestHost();
    await t.signUp('ada');
    const res = await t.call('POST', '/v1/auth/signin', { json: { handle: 'ada', password: TEST_PASSWORD }, headers: { 'x-atrium-session': 'cookie' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.refreshToken, undefined, 'page scripts never see it');
    const cookie = res.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^atrium_refresh=rt_/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    assert.match(cookie, /Path=\/v1\/auth/);
    const pair = cookie.split(';')[0] ?? '';
    const withoutHeader = await t.call('POST', '/v1/auth/refresh', { json: {}, headers: { cookie: pair } });
    expectProblem(withoutHeader, 401, 'AUTH_REFRESH_INVALID');
    const refreshed = await t.call('POST', '/v1/auth/refresh', { json: {}, headers: { cookie: pair, 'x-atrium-session': 'cookie' } });
    assert.equal(refreshed.status, 200);
    assert.match(refreshed.headers.get('set-cookie') ?? '', /^atrium_refresh=rt_/);
    const signout = await t.call('POST', '/v1/auth/signout', { token: refreshed.body.accessToken });
    assert.match(signout.headers.get('set-cookie') ?? '', /atrium_refresh=;/);
  });
});
