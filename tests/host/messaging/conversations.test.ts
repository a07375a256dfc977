import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost } from '../../helpers/host.ts';
import { befriend, direct, group, ok, send, syncAll } from './helpers.ts';

describe('messaging: 1:1 chats', () => {
  it('opens one chat per pair of contacts, and both see the messages in order', async () => {
    await using t = await startTestHost();
    const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
    await befriend(t, ada, bob);
    const id = await direct(t, ada, bob);
    assert.equal(await direct(t, bob, ada), id, 'the same chat from either side');
    ok(await send(t, ada, id, 'hello bob'), 201);
    ok(await send(t, bob, id, 'hi ada'), 201);
    const history = ok(await t.call('GET', `/v1/conversations/${id}/messages`, { token: bob.accessToken }));
    assert.deepEqual(history.messages.map((m: any) => [m.order, m.text]), [[1, 'hello bob'], [2, 'hi ada']]);
    const list = ok(await t.call('GET', '/v1/conversations', { token: bob.accessToken }));
    assert.equal(list.conversations.length, 1);
    assert.equal(list.conversations[0].peer.id, ada.userId);
    assert.equal(list.conversations[0].unread, 0, 'replying reads what came before');
    assert.equal(list.conversations[0].lastMessage.text, 'hi ada');
    const adas = ok(await t.call('GET', '/v1/conversations', { token: ada.accessToken })).conversations;
    assert.deepEqual([adas[0].unread, adas[0].peer.id], [1, bob.userId]);
  });

  it('refuses strangers, and stops both ways once either blocks the other', async () => {
    await using t = await startTestHost();
    const [ada, bob, eve] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('eve')];
    expectProblem(await t.call('POST', '/v1/conversations/direct', { token: eve.accessToken, json: { userId: ada.userId } }), 403, 'CONVERSATION_NOT_CONTACTS');
    await befriend(t, ada, bob);
    const id = await direct(t, ada, bob);
    ok(await t.call('PUT', `/v1/contacts/blocks/${ada.userId}`, { token: bob.accessToken }), 204);
    expectProblem(await send(t, ada, id, 'still there?'), 403, 'CONVERSATION_BLOCKED');
    expectProblem(await send(t, bob, id, 'bye'), 403, 'CONVERSATION_BLOCKED');
    expectProblem(await t.call('POST', '/v1/conversations/direct', { token: ada.accessToken, json: { userId: bob.userId } }), 403, 'CONVERSATION_BLOCKED');
    ok(await t.call('DELETE', `/v1/contacts/blocks/${ada.userId}`, { token: bob.accessToken }), 204);
    expectProblem(await send(t, ada, id, 'friends again?'), 403, 'CONVERSATION_NOT_CONTACTS');
  });

  it('sends read receipts per message to the other person', async () => {
    await using t = await startTestHost();
    const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
    await befriend(t, ada, bob);
    const id = await direct(t, ada, bob);
    const sent = ok(await send(t, ada, id, 'read me'), 201).message;
    assert.deepEqual(ok(await t.call('GET', `/v1/conversations/${id}/messages/${sent.id}/receipts`, { token: ada.accessToken })), { readCount: 0, unreadCount: 1, read: false });
    ok(await t.call('POST', `/v1/conversations/${id}/read`, { token: bob.accessToken, json: { order: 99 } }));
    assert.deepEqual(ok(await t.call('GET', `/v1/conversations/${id}/messages/${sent.id}/receipts`, { token: ada.accessToken })), { readCount: 1, unreadCount: 0, read: true });
    const adas = await syncAll(t, ada);
    const read = adas.updates.find((u) => u.type === 'read');
    assert.deepEqual(read.data, { userId: bob.userId, order: 1 }, 'clamped to the last order');
    expectProblem(await t.call('GET', `/v1/conversations/${id}/messages/${sent.id}/receipts`, { token: bob.accessToken }), 403, 'MESSAGE_NOT_SENDER');
    assert.equal(ok(await t.call('GET', `/v1/conversations/${id}`, { token: bob.accessToken })).unread, 0);
  });
});

describe('messaging: groups', () => {
  it('creates a group with contacts, posts system messages, and lets members talk with mentions and replies', async () => {
    await using t = await startTestHost();
    const [ada, bob, cyd] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('cyd')];
    await befriend(t, ada, bob);
    await befriend(t, ada, cyd);
    const id = await group(t, ada, [bob, cyd], 'Book club');
    const first = ok(await send(t, bob, id, 'what are we reading?'), 201).message;
    const reply = ok(await send(t, cyd, id, '@ADA decides', { mentions: { userIds: [ada.userId] }, replyToId: first.id }), 201).message;
    assert.deepEqual(reply.replyTo, { id: first.id, order: first.order, senderId: bob.userId, text: 'what are we reading?' });
    assert.deepEqual(reply.mentions, { userIds: [ada.userId], all: false });
    const history = ok(await t.call('GET', `/v1/conversations/${id}/messages`, { token: ada.accessToken })).messages;
    assert.deepEqual(
      history.map((m: any) => m.system?.event ?? m.text),
      ['created', 'joined', 'what are we reading?', '@ADA decides'],
    );
    const view = ok(await t.call('GET', `/v1/conversations/${id}`, { token: ada.accessToken }));
    assert.deepEqual([view.kind, view.name, view.memberCount, view.role, view.unread, view.unreadMentions], ['group', 'Book club', 3, 'owner', 2, 1]);
    expectProblem(await send(t, bob, id, 'hey @all', { mentions: { all: true } }), 400, 'MESSAGE_MENTION_INVALID');
    expectProblem(await send(t, bob, id, 'hey', { mentions: { userIds: ['usr_0000000000000000'] } }), 400, 'MESSAGE_MENTION_INVALID');
    ok(await send(t, ada, id, 'everyone!', { mentions: { all: true } }), 201);
  });

  it('lets the owner and admins manage members; members leave; the owner hands over on leaving', async () => {
    await using t = await startTestHost();
    const [ada, bob, cyd, dan] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('cyd'), await t.signUp('dan')];
    for (const p of [bob, cyd, dan]) await befriend(t, ada, p);
    const id = await group(t, ada, [bob, cyd]);
    expectProblem(await t.call('DELETE', `/v1/conversations/${id}/members/${cyd.userId}`, { token: bob.accessToken }), 403, 'CONVERSATION_FORBIDDEN');
    expectProblem(await t.call('PATCH', `/v1/conversations/${id}`, { token: bob.accessToken, json: { announcement: 'read chapter 1' } }), 403, 'CONVERSATION_FORBIDDEN');
    ok(await t.call('PATCH', `/v1/conversations/${id}/members/${bob.userId}`, { token: ada.accessToken, json: { role: 'admin' } }));
    ok(await t.call('PATCH', `/v1/conversations/${id}`, { token: bob.accessToken, json: { announcement: 'read chapter 1', name: 'Readers' } }));
    ok(await t.call('DELETE', `/v1/conversations/${id}/members/${cyd.userId}`, { token: bob.accessToken }), 204);
    expectProblem(await t.call('GET', `/v1/conversations/${id}/messages`, { token: cyd.accessToken }), 404, 'CONVERSATION_NOT_FOUND');
    expectProblem(await t.call('DELETE', `/v1/conversations/${id}/members/${ada.userId}`, { token: bob.accessToken }), 409, 'GROUP_OWNER_CANNOT_BE_REMOVED');
    ok(await t.call('POST', `/v1/conversations/${id}/members`, { token: ada.accessToken, json: { userIds: [dan.userId] } }));
    ok(await t.call('DELETE', `/v1/conversations/${id}/members/${ada.userId}`, { token: ada.accessToken }), 204);
    const members = ok(await t.call('GET', `/v1/conversations/${id}/members`, { token: dan.accessToken })).members;
    assert.deepEqual(members.map((m: any) => [m.person.handle, m.role]), [['bob', 'owner'], ['dan', 'member']]);
    const danHistory = ok(await t.call('GET', `/v1/conversations/${id}/messages`, { token: dan.accessToken })).messages;
    assert.deepEqual(danHistory.map((m: any) => m.system.event), ['joined', 'role', 'left'], 'dan sees history from when he joined');
    const view = ok(await t.call('GET', `/v1/conversations/${id}`, { token: dan.accessToken }));
    assert.deepEqual([view.name, view.announcement, view.memberCount], ['Readers', 'read chapter 1', 2]);
    const cydUpdates = (await syncAll(t, cyd)).updates.filter((u) => u.type === 'membership').map((u) => u.data.status);
    assert.deepEqual(cydUpdates, ['active', 'removed']);
  });

  it('mutes for me only, on all my devices', async () => {
    await using t = await startTestHost();
    const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
    await befriend(t, ada, bob);
    const id = await group(t, ada, [bob]);
    assert.equal(ok(await t.call('PUT', `/v1/conversations/${id}/settings`, { token: bob.accessToken, json: { muted: true } })).muted, true);
    assert.equal(ok(await t.call('GET', `/v1/conversations/${id}`, { token: ada.accessToken })).muted, false);
    const bobLaptop = await t.signIn('bob');
    const settings = (await syncAll(t, bobLaptop)).updates.filter((u) => u.type === 'settings');
    assert.deepEqual(settings.map((u) => u.data), [{ muted: true }]);
  });

  it('limits how many groups and invite links one person makes per hour', async () => {
    await using t = await startTestHost({ messaging: (await import('../../../host/src/config.ts')).defaultMessagingConfig({ groupsPerHour: 2, invitesPerHour: 1 }) });
    const ada = await t.signUp('ada');
    const first = ok(await t.call('POST', '/v1/conversations', { token: ada.accessToken, json: { name: 'One', memberIds: [] } }), 201).id;
    ok(await t.call('POST', '/v1/conversations', { token: ada.accessToken, json: { name: 'Two', memberIds: [] } }), 201);
    const limited = expectProblem(await t.call('POST', '/v1/conversations', { token: ada.accessToken, json: { name: 'Three', memberIds: [] } }), 429, 'RATE_LIMITED');
    assert.ok(Number(limited.retryAfter) > 0);
    ok(await t.call('POST', `/v1/conversations/${first}/invites`, { token: ada.accessToken, json: {} }), 201);
    expectProblem(await t.call('POST', `/v1/conversations/${first}/invites`, { token: ada.accessToken, json: {} }), 429, 'RATE_LIMITED');
    t.clock.advance(3600_001);
    const later = await t.signIn('ada'); // the first access token has expired meanwhile
    ok(await t.call('POST', '/v1/conversations', { token: later.accessToken, json: { name: 'Three', memberIds: [] } }), 201);
  });

  it('enforces the group size limit when creating, adding and joining by invite', async () => {
    await using t = await startTestHost({ messaging: { ...(await import('../../../host/src/config.ts')).defaultMessagingConfig({ maxGroupMembers: 3 }) } });
    const people = [];
    for (const h of ['ada', 'bob', 'cyd', 'dan', 'eve']) people.push(await t.signUp(h));
    const [ada, bob, cyd, dan, eve] = people as [any, any, any, any, any];
    for (const p of [bob, cyd, dan]) await befriend(t, ada, p);
    expectProblem(await t.call('POST', '/v1/conversations', { token: ada.accessToken, json: { name: 'Too big', memberIds: [bob.userId, cyd.userId, dan.userId] } }), 409, 'GROUP_FULL');
    const id = await group(t, ada, [bob]);
    ok(await t.call('POST', `/v1/conversations/${id}/members`, { token: ada.accessToken, json: { userIds: [cyd.userId] } }));
    expectProblem(await t.call('POST', `/v1/conversations/${id}/members`, { token: ada.accessToken, json: { userIds: [dan.userId] } }), 409, 'GROUP_FULL');
    const invite = ok(await t.call('POST', `/v1/conversations/${id}/invites`, { token: ada.accessToken, json: {} }), 201);
    expectProblem(await t.call('POST', `/v1/invites/${invite.token}/join`, { token: eve.accessToken }), 409, 'GROUP_FULL');
  });
});
