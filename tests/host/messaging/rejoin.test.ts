/**
 * Leaving and coming back: a member who leaves a group and rejoins sees it from the rejoin on (the documented
 * rule, README "Messaging log"): nothing sent while they were away, and not the earlier period either.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startTestHost } from '../../helpers/host.ts';
import { befriend, group, ok, send, syncAll } from './helpers.ts';

describe('messaging: leaving a group and rejoining', () => {
  it('shows the rejoined member only what was sent after they came back, in history, sync and search', async () => {
    await using t = await startTestHost();
    const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
    await befriend(t, ada, bob);
    const id = await group(t, ada, [bob], 'Engines');
    ok(await send(t, ada, id, 'before-leaving'), 201);
    const { cursor } = await syncAll(t, bob);

    assert.equal((await t.call('DELETE', `/v1/conversations/${id}/members/${bob.userId}`, { token: bob.accessToken })).status, 204);
    ok(await send(t, ada, id, 'while-away'), 201);
    ok(await t.call('POST', `/v1/conversations/${id}/members`, { token: ada.accessToken, json: { userIds: [bob.userId] } }));
    ok(await send(t, ada, id, 'after-rejoining'), 201);

    const texts = (ok(await t.call('GET', `/v1/conversations/${id}/messages`, { token: bob.accessToken })).messages as Array<{ text: string | null }>).map((m) => m.text).filter(Boolean);
    assert.deepEqual(texts, ['after-rejoining']);

    const { updates } = await syncAll(t, bob, cursor);
    const synced = updates.filter((u) => u.type === 'message').map((u) => u.message.text).filter(Boolean);
    assert.deepEqual(synced, ['after-rejoining'], 'a device that was offline throughout gets nothing from the gap');

    for (const q of ['before-leaving', 'while-away']) {
      assert.deepEqual(ok(await t.call('GET', `/v1/messages/search?q=${q}`, { token: bob.accessToken })).messages, [], q);
    }
    assert.equal(ok(await t.call('GET', `/v1/conversations/${id}`, { token: bob.accessToken })).unread, 1);
  });
});
