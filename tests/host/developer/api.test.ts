/**
 * The developer platform over HTTP: a developer token from the device sign-in, a real package upload, review,
 * phased release and rollback; scopes, revocation and bad packages refused with located errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { bundleMiniApp, bundleSubpackages } from '../../../devtools/src/build/bundle.ts';
import { PACKAGE_LIMITS, writePackage } from '../../../devtools/src/build/package.ts';
import type { Manifest } from '../../../sdk/src/manifest.ts';
import { expectProblem, startTestHost, type TestHost } from '../../helpers/host.ts';

const TODO = fileURLToPath(new URL('../../../miniapps/todo', import.meta.url));
const APP = 'dev.ada.todo';

async function pkg(code: number, edit: (m: Manifest) => Manifest = (m) => m): Promise<Uint8Array> {
  const base = JSON.parse(readFileSync(`${TODO}/manifest.json`, 'utf8')) as Manifest;
  const manifest = edit({ ...base, app_id: APP, version: { name: `${code}.0.0`, code } });
  const subs = await bundleSubpackages(TODO, manifest);
  return writePackage({ manifest, appJs: await bundleMiniApp(TODO, manifest), assets: {}, subpackages: Object.fromEntries(Object.entries(subs).map(([name, appJs]) => [name, { appJs, assets: {} }])) });
}

async function upload(t: TestHost, token: string, bytes: Uint8Array, type = 'application/zip'): Promise<Response> {
  return t.host.request(`/v1/developer/apps/${APP}/versions`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': type }, body: bytes as Uint8Array<ArrayBuffer> });
}

async function problemOf(res: Response): Promise<[number, string]> {
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  return [res.status, ((await res.json()) as { code: string }).code];
}

describe('developer platform: the HTTP API', () => {
  it('signs the CLI in by device code, then uploads, submits, gets approved, releases to 50 % and rolls back', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const rev = await t.signUp('rev');
    await t.host.services.developer.members.grantReviewer(rev.userId);
    expectProblem(await t.call('POST', '/v1/developer/apps', { token: ada.accessToken, json: { appId: APP, name: 'Todo' } }), 403, 'FORBIDDEN');
    assert.equal((await t.call('POST', '/v1/developer', { token: ada.accessToken, json: { name: 'Ada Labs' } })).status, 200);

    // The CLI: start, the person confirms in the shell, the poll gets a token.
    const started = await t.call('POST', '/v1/developer/device-authorizations', { json: { clientName: 'atrium CLI on laptop' } });
    assert.equal(started.status, 200, started.text);
    expectProblem(await t.call('POST', '/v1/developer/device-authorizations/token', { json: { device_code: started.body.device_code } }), 400, 'AUTHORIZATION_PENDING');
    const asked = await t.call('GET', `/v1/developer/device-authorizations/${started.body.user_code}`, { token: ada.accessToken });
    assert.equal(asked.body.clientName, 'atrium CLI on laptop');
    assert.equal((await t.call('POST', `/v1/developer/device-authorizations/${started.body.user_code}/decision`, { token: ada.accessToken, json: { allow: true } })).status, 200);
    t.clock.advance(5000);
    const issued = await t.call('POST', '/v1/developer/device-authorizations/token', { json: { device_code: started.body.device_code } });
    assert.equal(issued.status, 200, issued.text);
    const cli = issued.body.token as string;

    const created = await t.call('POST', '/v1/developer/apps', { token: cli, json: { appId: APP, name: 'Todo' } });
    assert.equal(created.status, 201, created.text);
    assert.match(created.body.secret, /^as_/);
    expectProblem(await t.call('POST', '/v1/developer/apps', { token: cli, json: { appId: APP, name: 'Again' } }), 409, 'APP_ID_TAKEN');

    const v1 = await upload(t, cli, await pkg(1));
    assert.equal(v1.status, 201, await v1.clone().text());
    const v1body = (await v1.json()) as { versionCode: number; status: string; packageSha256: string };
    assert.deepEqual([v1body.versionCode, v1body.status], [1, 'uploaded']);
    assert.deepEqual(await problemOf(await upload(t, cli, await pkg(1))), [409, 'VERSION_CODE_NOT_INCREASING']);

    assert.equal((await t.call('POST', `/v1/developer/apps/${APP}/versions/1/submit`, { token: cli })).status, 200);
    expectProblem(await t.call('POST', `/v1/developer/apps/${APP}/versions/1/approve`, { token: cli, json: {} }), 403, 'REVIEWER_REQUIRED');
    assert.deepEqual((await t.call('GET', '/v1/developer/review', { token: rev.accessToken })).body.versions.map((v: { appId: string }) => v.appId), [APP]);
    assert.equal((await t.call('POST', `/v1/developer/apps/${APP}/versions/1/approve`, { token: rev.accessToken, json: { note: 'ok' } })).body.status, 'approved');
    assert.equal((await t.call('POST', `/v1/developer/apps/${APP}/release`, { token: cli, json: { versionCode: 1, percent: 100 } })).body.stableVersion, 1);

    await upload(t, cli, await pkg(2));
    await t.call('POST', `/v1/developer/apps/${APP}/versions/2/submit`, { token: cli });
    await t.call('POST', `/v1/developer/apps/${APP}/versions/2/approve`, { token: rev.accessToken, json: {} });
    const half = await t.call('POST', `/v1/developer/apps/${APP}/release`, { token: cli, json: { versionCode: 2, percent: 50 } });
    assert.deepEqual(half.body.rollout, { versionCode: 2, percent: 50, paused: false });
    assert.equal((await t.call('PATCH', `/v1/developer/apps/${APP}/release`, { token: cli, json: { paused: true } })).body.rollout.paused, true);
    assert.equal((await t.call('POST', `/v1/developer/apps/${APP}/release/complete`, { token: cli })).body.stableVersion, 2);
    assert.equal((await t.call('POST', `/v1/developer/apps/${APP}/rollback`, { token: cli, json: { versionCode: 1 } })).body.stableVersion, 1);
    const audit = await t.call('GET', `/v1/developer/apps/${APP}/audit?limit=3`, { token: cli });
    assert.deepEqual(audit.body.entries.map((e: { action: string }) => e.action), ['rollback', 'release.complete', 'release.pause']);
    assert.ok(audit.body.entries.every((e: { tokenId: string | null }) => e.tokenId === issued.body.info.id), 'the token that did it is recorded');
    const scene = await t.call('POST', `/v1/developer/apps/${APP}/scenes`, { token: cli, json: { page: 'pages/detail', query: { id: '7' } } });
    assert.equal(scene.status, 201, scene.text);
    assert.ok(scene.body.scene.length <= 32);
    const opened = await t.host.request(new URL(scene.body.url).pathname);
    assert.deepEqual([opened.status, opened.headers.get('location')], [302, `/a/${APP}/pages/detail?id=7`]);
    expectProblem(await t.call('GET', '/s/unknownscene'), 404, 'SCENE_NOT_FOUND');
    const older = await t.call('GET', `/v1/developer/apps/${APP}/audit?limit=50&cursor=${audit.body.nextCursor}`, { token: cli });
    assert.equal(older.body.entries[0].action, 'release');
  });

  it('refuses bad packages with located errors, wrong types, missing scopes and revoked tokens', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    await t.call('POST', '/v1/developer', { token: ada.accessToken, json: { name: 'Ada Labs' } });
    await t.call('POST', '/v1/developer/apps', { token: ada.accessToken, json: { appId: APP, name: 'Todo' } });
    const reader = await t.call('POST', '/v1/developer/tokens', { token: ada.accessToken, json: { name: 'read only', scopes: ['apps:read'] } });
    const writer = await t.call('POST', '/v1/developer/tokens', { token: ada.accessToken, json: { name: 'CI' } });

    assert.deepEqual(await problemOf(await upload(t, writer.body.token, new TextEncoder().encode('not a zip'))), [400, 'PACKAGE_INVALID']);
    const badManifest = await upload(t, writer.body.token, await pkg(1, (m) => ({ ...m, pages: [] })));
    const problem = (await badManifest.json()) as { code: string; errors: Array<{ path: string }> };
    assert.equal(problem.code, 'PACKAGE_INVALID');
    assert.ok(problem.errors.some((e) => e.path === 'manifest.json'), JSON.stringify(problem.errors));
    assert.deepEqual(await problemOf(await upload(t, writer.body.token, await pkg(1), 'application/json')), [415, 'UNSUPPORTED_MEDIA_TYPE']);
    const huge = await t.host.request(`/v1/developer/apps/${APP}/versions`, { method: 'POST', headers: { authorization: `Bearer ${writer.body.token}`, 'content-type': 'application/zip' }, body: new Uint8Array(31 * 1024 * 1024) });
    assert.deepEqual(await problemOf(huge), [413, 'PACKAGE_TOO_LARGE']);

    // Sub-packages: each ≤ 2 MB, declared in the manifest, laid out as subpackages/<name>/{app.js,assets/}.
    const base = JSON.parse(readFileSync(`${TODO}/manifest.json`, 'utf8')) as Manifest;
    const manifest: Manifest = { ...base, app_id: APP, version: { name: '1.0.0', code: 1 } };
    const appJs = await bundleMiniApp(TODO, manifest);
    const located = async (bytes: Uint8Array): Promise<[number, string, string[]]> => {
      const res = await upload(t, writer.body.token, bytes);
      const body = (await res.json()) as { code: string; errors: Array<{ path: string; message: string }> };
      return [res.status, body.code, body.errors.map((e) => e.message)];
    };
    const [status, code, lines] = await located(writePackage({ manifest, appJs, assets: {}, subpackages: { stats: { appJs: `/*${'x'.repeat(PACKAGE_LIMITS.subpackageBytes)}*/`, assets: {} } } }));
    assert.deepEqual([status, code], [413, 'PACKAGE_TOO_LARGE']);
    assert.ok(lines.some((l) => /^subpackages\/stats: 2\.00 MB is over the 2\.00 MB limit of a sub-package/.test(l)), lines.join('\n'));
    const missing = await located(writePackage({ manifest, appJs, assets: {} }));
    assert.deepEqual(missing.slice(0, 2), [400, 'PACKAGE_INVALID']);
    assert.ok(missing[2].some((l) => /^manifest\.json: subpackages\[0\]: "stats" has no subpackages\/stats\/app\.js/.test(l)), missing[2].join('\n'));
    const stray = await located(writePackage({ manifest, appJs, assets: {}, subpackages: { stats: { appJs: '(()=>{})();', assets: {} }, extra: { appJs: 'function (', assets: {} } } }));
    assert.deepEqual(stray.slice(0, 2), [400, 'PACKAGE_INVALID']);
    assert.ok(stray[2].some((l) => /^subpackages\/extra\/: not declared in manifest\.json/.test(l)), stray[2].join('\n'));
    assert.ok(stray[2].some((l) => /^subpackages\/extra\/app\.js:1: SyntaxError/.test(l)), stray[2].join('\n'));
    const badRoot = await located(writePackage({ manifest: { ...manifest, subpackages: [{ name: 'stats', root: 'pages', pages: ['stats'] }] }, appJs, assets: {}, subpackages: { stats: { appJs: '(()=>{})();', assets: {} } } }));
    assert.deepEqual(badRoot.slice(0, 2), [400, 'PACKAGE_INVALID']);
    assert.ok(badRoot[2].some((l) => l.includes('pages[0]: "pages/index" lies under the root of subpackages[0]')), badRoot[2].join('\n'));
    assert.equal((await upload(t, writer.body.token, await pkg(1))).status, 201, 'the same app with its sub-package built is accepted');

    assert.equal((await t.call('GET', `/v1/developer/apps/${APP}`, { token: reader.body.token })).status, 200);
    assert.deepEqual(await problemOf(await upload(t, reader.body.token, await pkg(2))), [403, 'TOKEN_SCOPE_MISSING']);
    expectProblem(await t.call('POST', '/v1/developer/tokens', { token: writer.body.token, json: { name: 'escalate' } }), 403, 'TOKEN_SCOPE_MISSING');
    assert.equal((await t.call('DELETE', `/v1/developer/tokens/${writer.body.info.id}`, { token: ada.accessToken })).status, 204);
    expectProblem(await t.call('GET', '/v1/developer/apps', { token: writer.body.token }), 401, 'DEVELOPER_TOKEN_INVALID');
  });
});
