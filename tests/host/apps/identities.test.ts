import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { expectProblem, startTestHost, type TestHost } from '../../helpers/host.ts';

async function withApps(t: TestHost) {
  const { registry } = t.host.services.apps;
  await registry.ensureDeveloper('dev_one', 'One');
  await registry.ensureDeveloper('dev_two', 'Two');
  const todo = await registry.ensureApp({ id: 'dev.one.todo', name: 'Todo', developerId: 'dev_one' });
  const notes = await registry.ensureApp({ id: 'dev.one.notes', name: 'Notes', developerId: 'dev_one' });
  const other = await registry.ensureApp({ id: 'dev.two.shop', name: 'Shop', developerId: 'dev_two' });
  return { todoSecret: todo.secret!, notesSecret: notes.secret!, otherSecret: other.secret! };
}

describe('apps: pseudonymous ids and the login-code exchange', () => {
  it('gives each app its own stable openid, and one unionid per developer, never the user id', async () => {
    await using t = await startTestHost();
    const secrets = await withApps(t);
    const ada = await t.signUp('ada');
    const { identities } = t.host.services.apps;
    const exchange = async (appId: string, secret: string) => {
      const { code } = await identities.issueLoginCode(appId, ada.userId);
      const res = await t.call('POST', '/v1/miniapp/code2session', { json: { appId, secret, code } });
      assert.equal(res.status, 200, res.text);
      return res.body as { openid: string; unionid: string; sessionKey: string };
    };
    const todo1 = await exchange('dev.one.todo', secrets.todoSecret);
    const todo2 = await exchange('dev.one.todo', secrets.todoSecret);
    const notes = await exchange('dev.one.notes', secrets.notesSecret);
    const shop = await exchange('dev.two.shop', secrets.otherSecret);
    assert.equal(todo1.openid, todo2.openid, 'stable');
    assert.notEqual(todo1.openid, notes.openid, 'app-scoped');
    assert.equal(todo1.unionid, notes.unionid, 'developer-scoped');
    assert.notEqual(todo1.unionid, shop.unionid);
    assert.notEqual(todo1.sessionKey, todo2.sessionKey, 'each exchange makes a new session key');
    for (const id of [todo1.openid, todo1.unionid, shop.openid]) assert.ok(!id.includes(ada.userId.slice(4)), 'no trace of the user id');
    assert.equal(await identities.userForOpenid('dev.one.todo', todo1.openid), ada.userId);
    assert.equal(await identities.userForOpenid('dev.one.notes', todo1.openid), undefined);
  });

  it('spends a code once, refuses it after 5 minutes, for another app, or with a wrong secret', async () => {
    await using t = await startTestHost();
    const secrets = await withApps(t);
    const ada = await t.signUp('ada');
    const { identities } = t.host.services.apps;
    const post = (json: object) => t.call('POST', '/v1/miniapp/code2session', { json });

    const first = await identities.issueLoginCode('dev.one.todo', ada.userId);
    expectProblem(await post({ appId: 'dev.one.todo', secret: secrets.notesSecret, code: first.code }), 401, 'APP_SECRET_INVALID');
    expectProblem(await post({ appId: 'dev.one.notes', secret: secrets.notesSecret, code: first.code }), 400, 'LOGIN_CODE_INVALID');
    assert.equal((await post({ appId: 'dev.one.todo', secret: secrets.todoSecret, code: first.code })).status, 200);
    expectProblem(await post({ appId: 'dev.one.todo', secret: secrets.todoSecret, code: first.code }), 400, 'LOGIN_CODE_INVALID');

    const late = await identities.issueLoginCode('dev.one.todo', ada.userId);
    t.clock.advance(5 * 60_000);
    expectProblem(await post({ appId: 'dev.one.todo', secret: secrets.todoSecret, code: late.code }), 400, 'LOGIN_CODE_INVALID');
    expectProblem(await post({ appId: 'dev.no.such', secret: 'as_x', code: 'x' }), 401, 'APP_SECRET_INVALID');
  });

  it('stops accepting the old secret once it is rotated', async () => {
    await using t = await startTestHost();
    const secrets = await withApps(t);
    const ada = await t.signUp('ada');
    const { identities, registry } = t.host.services.apps;
    const fresh = await registry.rotateSecret('dev.one.todo');
    const { code } = await identities.issueLoginCode('dev.one.todo', ada.userId);
    expectProblem(await t.call('POST', '/v1/miniapp/code2session', { json: { appId: 'dev.one.todo', secret: secrets.todoSecret, code } }), 401, 'APP_SECRET_INVALID');
    assert.equal((await t.call('POST', '/v1/miniapp/code2session', { json: { appId: 'dev.one.todo', secret: fresh, code } })).status, 200);
  });

  it("signs user data with the app's session key so its backend can verify it", async () => {
    await using t = await startTestHost();
    const secrets = await withApps(t);
    const ada = await t.signUp('ada');
    const { identities } = t.host.services.apps;
    assert.equal(await identities.sign('dev.one.todo', ada.userId, 'x'), undefined, 'no session key before an exchange');
    const { code } = await identities.issueLoginCode('dev.one.todo', ada.userId);
    const { sessionKey } = (await t.call('POST', '/v1/miniapp/code2session', { json: { appId: 'dev.one.todo', secret: secrets.todoSecret, code } })).body;
    const rawData = JSON.stringify({ nickName: 'ADA' });
    assert.equal(await identities.sign('dev.one.todo', ada.userId, rawData), createHmac('sha256', sessionKey).update(rawData).digest('base64url'));
  });

  it('signs launch contexts that a backend verifies with the published keys alone', async () => {
    await using t = await startTestHost();
    await withApps(t);
    const ada = await t.signUp('ada');
    const res = await t.call('POST', '/v1/apps/dev.one.todo/launch-context', { token: ada.accessToken, json: { path: 'pages/detail', query: { id: '42' } } });
    assert.equal(res.status, 200, res.text);
    assert.equal(decodeProtectedHeader(res.body.token).typ, 'atrium-launch+jwt');
    const jwks = createLocalJWKSet((await t.call('GET', '/.well-known/jwks.json')).body);
    const verify = () => jwtVerify(res.body.token, jwks, { audience: 'dev.one.todo', issuer: t.config.publicUrl, typ: 'atrium-launch+jwt', currentDate: new Date(t.clock.now()) });
    const { payload } = await verify();
    assert.equal(payload.sub, await t.host.services.apps.identities.openid('dev.one.todo', ada.userId), 'the subject is the openid, not the user id');
    assert.equal(payload.path, 'pages/detail');
    assert.deepEqual(payload.query, { id: '42' });
    await assert.rejects(jwtVerify(res.body.token, jwks, { audience: 'dev.one.notes', currentDate: new Date(t.clock.now()) }), /aud/);
    t.clock.advance(5 * 60_000 + 1000);
    await assert.rejects(verify(), /exp/);
    expectProblem(await t.call('POST', '/v1/apps/dev.no.such/launch-context', { token: ada.accessToken, json: { path: 'pages/index', query: {} } }), 404, 'APP_NOT_FOUND');
  });
});

describe('apps: versions', () => {
  it('keeps versions with strictly increasing codes, and an identical re-upload is a no-op', async () => {
    await using t = await startTestHost();
    const { registry } = t.host.services.apps;
    await registry.ensureDeveloper('dev_one', 'One');
    await registry.ensureApp({ id: 'dev.one.todo', name: 'Todo', developerId: 'dev_one' });
    const v1 = await registry.addVersion({ appId: 'dev.one.todo', versionCode: 1, versionName: '1.0.0', manifest: { app_id: 'dev.one.todo' }, bundle: 'a()', channel: 'development' });
    assert.match(v1.bundleSha256, /^[0-9a-f]{64}$/);
    assert.deepEqual(await registry.addVersion({ appId: 'dev.one.todo', versionCode: 1, versionName: '1.0.0', manifest: {}, bundle: 'a()', channel: 'development' }), v1);
    await assert.rejects(registry.addVersion({ appId: 'dev.one.todo', versionCode: 1, versionName: '1.0.1', manifest: {}, bundle: 'b()', channel: 'development' }), /VERSION_CODE_NOT_INCREASING|Version codes/);
    await registry.addVersion({ appId: 'dev.one.todo', versionCode: 2, versionName: '1.1.0', manifest: {}, bundle: 'b()', channel: 'development' });
    assert.equal((await registry.currentVersion('dev.one.todo')).versionName, '1.1.0');
    assert.equal((await registry.version('dev.one.todo', 1)).bundle, 'a()');
    await assert.rejects(registry.currentVersion('dev.one.todo', 'released'), /no version/);
  });
});
