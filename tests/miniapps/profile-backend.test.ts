import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLocalJWKSet } from 'jose';
import { createProfileBackend } from '../../miniapps/profile/backend/app.ts';
import { startTestHost } from '../helpers/host.ts';

const APP = 'dev.atrium.profile';

describe("miniapps/profile: the app's own backend", () => {
  it('exchanges a login code for the openid with its secret, keeps a session, and verifies launch contexts', async () => {
    await using t = await startTestHost();
    const { registry, identities } = t.host.services.apps;
    await registry.ensureDeveloper('dev_samples', 'Atrium samples');
    const { secret } = await registry.ensureApp({ id: APP, name: 'Profile', developerId: 'dev_samples' });
    const ada = await t.signUp('ada');
    const jwks = createLocalJWKSet((await t.call('GET', '/.well-known/jwks.json')).body);
    // The backend reaches Atrium over HTTP; here that is the in-process host.
    const viaHost: typeof fetch = (input, init) => Promise.resolve(t.host.request(String(input).replace(t.config.publicUrl, ''), init));
    const backend = createProfileBackend({ atriumUrl: t.config.publicUrl, appId: APP, appSecret: secret!, fetch: viaHost, keys: jwks, now: () => t.clock.now() });

    const { code } = await identities.issueLoginCode(APP, ada.userId);
    const login = await backend.request('/session', { method: 'POST', body: JSON.stringify({ code }), headers: { 'content-type': 'application/json' } });
    assert.equal(login.status, 200);
    const { session, openid } = (await login.json()) as { session: string; openid: string };
    assert.equal(openid, await identities.openid(APP, ada.userId));
    const replay = await backend.request('/session', { method: 'POST', body: JSON.stringify({ code }), headers: { 'content-type': 'application/json' } });
    assert.deepEqual([replay.status, await replay.json()], [401, { error: 'LOGIN_CODE_INVALID' }]);

    const me = await backend.request('/me', { headers: { authorization: `Bearer ${session}` } });
    assert.equal(((await me.json()) as { openid: string }).openid, openid);
    assert.equal((await backend.request('/me', { headers: { authorization: `Bearer ${session}x` } })).status, 401);

    const launch = await t.call('POST', `/v1/apps/${APP}/launch-context`, { token: ada.accessToken, json: { path: 'pages/index', query: { from: 'chat' } } });
    const verified = await backend.request('/verify-launch', { method: 'POST', body: JSON.stringify({ token: launch.body.token }), headers: { 'content-type': 'application/json' } });
    assert.deepEqual(await verified.json(), { valid: true, openid, path: 'pages/index', query: { from: 'chat' } });
    // Flip a character inside the signature (the last one may only carry padding bits).
    const token = String(launch.body.token);
    const at = token.length - 10;
    const tampered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    assert.equal((await backend.request('/verify-launch', { method: 'POST', body: JSON.stringify({ token: tampered }), headers: { 'content-type': 'application/json' } })).status, 400);
  });
});
