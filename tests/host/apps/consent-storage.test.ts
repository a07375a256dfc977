import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

const APP = 'dev.one.todo';

describe('apps: consent, the access log and storage', () => {
  it('asks, remembers allow and deny, and asks again after the person revokes', async () => {
    await using t = await startTestHost();
    await t.host.services.apps.registry.ensureDeveloper('dev_one', 'One');
    await t.host.services.apps.registry.ensureApp({ id: APP, name: 'Todo', developerId: 'dev_one' });
    const ada = await t.signUp('ada');
    const { consent } = t.host.services.apps;
    await assert.rejects(consent.decide(ada.userId, APP, 'userInfo', []), (e) => isAtriumError(e, 'PERMISSION_NOT_DECLARED'));
    assert.equal(await consent.decide(ada.userId, APP, 'userInfo', ['userInfo']), 'ask');
    await consent.record(ada.userId, APP, 'userInfo', 'deny');
    assert.equal(await consent.decide(ada.userId, APP, 'userInfo', ['userInfo']), 'deny');
    await consent.record(ada.userId, APP, 'userInfo', 'allow');
    assert.equal(await consent.decide(ada.userId, APP, 'userInfo', ['userInfo']), 'allow');

    const grants = await t.call('GET', `/v1/apps/${APP}/permissions`, { token: ada.accessToken });
    assert.deepEqual(grants.body.grants.map((g: { scope: string; state: string }) => [g.scope, g.state]), [['userInfo', 'allow']]);
    assert.equal((await t.call('DELETE', `/v1/apps/${APP}/permissions/userInfo`, { token: ada.accessToken })).status, 204);
    assert.equal(await consent.decide(ada.userId, APP, 'userInfo', ['userInfo']), 'ask');
    expectProblem(await t.call('DELETE', `/v1/apps/${APP}/permissions/userInfo`, { token: ada.accessToken }), 404, 'NOT_FOUND');
    expectProblem(await t.call('GET', '/v1/apps/dev.no.such/permissions', { token: ada.accessToken }), 404, 'APP_NOT_FOUND');
  });

  it('pages through entries written in the same millisecond without skipping or repeating one', async () => {
    await using t = await startTestHost();
    await t.host.services.apps.registry.ensureDeveloper('dev_one', 'One');
    await t.host.services.apps.registry.ensureApp({ id: APP, name: 'Todo', developerId: 'dev_one' });
    const ada = await t.signUp('ada');
    const { accessLog } = t.host.services.apps;
    for (let i = 0; i < 7; i++) await accessLog.record({ userId: ada.userId, appId: APP, api: 'request', outcome: 'allowed', detail: `call ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await t.call('GET', `/v1/apps/${APP}/access-log?limit=3${query}`, { token: ada.accessToken });
      seen.push(...page.body.entries.map((e: { detail: string }) => e.detail));
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.deepEqual([...seen].sort(), ['call 0', 'call 1', 'call 2', 'call 3', 'call 4', 'call 5', 'call 6']);
  });

  it('lists what an app touched, newest first, with paging', async () => {
    await using t = await startTestHost();
    await t.host.services.apps.registry.ensureDeveloper('dev_one', 'One');
    await t.host.services.apps.registry.ensureApp({ id: APP, name: 'Todo', developerId: 'dev_one' });
    const ada = await t.signUp('ada');
    const { accessLog, identities } = t.host.services.apps;
    await identities.openid(APP, ada.userId);
    for (const [api, outcome] of [['login', 'allowed'], ['getUserProfile', 'denied'], ['request', 'allowed']] as const) {
      await accessLog.record({ userId: ada.userId, appId: APP, api, outcome, detail: api === 'request' ? 'GET api.example.com' : '' });
      t.clock.advance(1000);
    }
    const all = await t.call('GET', `/v1/apps/${APP}/access-log`, { token: ada.accessToken });
    assert.deepEqual(all.body.entries.map((e: { api: string }) => e.api), ['request', 'getUserProfile', 'login']);
    assert.equal(all.body.entries[0].detail, 'GET api.example.com');
    assert.equal(all.body.nextCursor, null);
    const first = await t.call('GET', `/v1/apps/${APP}/access-log?limit=1`, { token: ada.accessToken });
    const page = await t.call('GET', `/v1/apps/${APP}/access-log?limit=1&cursor=${first.body.nextCursor}`, { token: ada.accessToken });
    assert.deepEqual(page.body.entries.map((e: { api: string }) => e.api), ['getUserProfile']);
    expectProblem(await t.call('GET', `/v1/apps/${APP}/access-log?cursor=bm90LWEtY3Vyc29y`, { token: ada.accessToken }), 400, 'VALIDATION_FAILED');
    expectProblem(await t.call('GET', `/v1/apps/${APP}/access-log?limit=0`, { token: ada.accessToken }), 400, 'VALIDATION_FAILED');
    const used = await t.call('GET', '/v1/apps', { token: ada.accessToken });
    assert.deepEqual(used.body.apps, [{ id: APP, name: 'Todo', developer: 'One' }]);
  });

  it('stores JSON per person and app, within 1 MB a key and 10 MB in all', async () => {
    await using t = await startTestHost();
    await t.host.services.apps.registry.ensureDeveloper('dev_one', 'One');
    await t.host.services.apps.registry.ensureApp({ id: APP, name: 'Todo', developerId: 'dev_one' });
    await t.host.services.apps.registry.ensureApp({ id: 'dev.one.notes', name: 'Notes', developerId: 'dev_one' });
    const ada = await t.signUp('ada');
    const bob = await t.signUp('bob');
    const { storage } = t.host.services.apps;
    await storage.set(ada.userId, APP, 'todos', [{ text: 'milk', done: false }]);
    assert.deepEqual(await storage.get(ada.userId, APP, 'todos'), [{ text: 'milk', done: false }]);
    assert.equal(await storage.get(bob.userId, APP, 'todos'), undefined, 'per person');
    assert.equal(await storage.get(ada.userId, 'dev.one.notes', 'todos'), undefined, 'per app');
    await assert.rejects(storage.set(ada.userId, APP, 'big', 'x'.repeat(1024 * 1024)), (e) => isAtriumError(e, 'STORAGE_KEY_TOO_LARGE'));
    await assert.rejects(storage.set(ada.userId, APP, '', 1), (e) => isAtriumError(e, 'STORAGE_KEY_INVALID'));
    const chunk = 'y'.repeat(1000 * 1000);
    for (let i = 0; i < 10; i++) await storage.set(ada.userId, APP, `k${i}`, chunk);
    await assert.rejects(storage.set(ada.userId, APP, 'k10', chunk), (e) => isAtriumError(e, 'STORAGE_QUOTA_EXCEEDED'));
    await storage.set(ada.userId, APP, 'k9', 'small'); // replacing a value frees its old size
    await storage.set(ada.userId, APP, 'k10', 'fits now');
    const info = await storage.info(ada.userId, APP);
    assert.equal(info.keys.length, 12);
    assert.equal(info.limitSize, 10 * 1024 * 1024);
    assert.ok(info.currentSize < info.limitSize);
    assert.equal(await storage.remove(ada.userId, APP, 'k10'), true);
    assert.equal(await storage.remove(ada.userId, APP, 'k10'), false);
  });
});
