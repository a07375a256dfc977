import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultMessagingConfig } from '../../../host/src/config.ts';
import { answeredAfterFsync } from '../../helpers/fsync.ts';
import { expectProblem, startTestHost, type TestHost, type TestSession } from '../../helpers/host.ts';
import { befriend, direct, group, ok, send, syncAll } from './helpers.ts';

async function pair(t: TestHost): Promise<{ ada: TestSession; bob: TestSession; id: string }> {
  const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
  await befriend(t, ada, bob);
  return { ada, bob, id: await direct(t, ada, bob) };
}

describe('messaging: sending', () => {
  it('acknowledges a message, a recall and a new group only once they are on disk (durable writes)', async () => {
    await using t = await startTestHost();
    const { ada, bob, id } = await pair(t);
    const writes: boolean[] = [];
    const write = t.database.write;
    Object.assign(t.database, {
      write: (fn: Parameters<typeof write>[0], options?: Parameters<typeof write>[1]) => {
        writes.push(options?.durable === true);
        return write.call(t.database, fn, options);
      },
    });
    const sent = ok(await send(t, ada, id, 'on disk first'), 201).message;
    ok(await t.call('POST', `/v1/conversations/${id}/messages/${sent.id}/recall`, { token: ada.accessToken }));
    await group(t, ada, [bob], 'Durable');
    assert.ok(writes.length >= 3, `${writes.length} writes`);
    assert.deepEqual(writes, writes.map(() => true), 'every write behind an acknowledgement is durable');
  });

  it('answers a retried send only once the first is on disk: a retry can see a commit whose fsync is under way', async () => {
    await using t = await startTestHost();
    const { ada, id } = await pair(t);
    const body = { clientId: 'c0ffee00-durable', text: 'on disk before any answer' };
    const send = () => t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json: body });
    const [sent, retry] = await answeredAfterFsync('the retry', send, send);
    const first = ok(sent, 201).message;
    assert.deepEqual(ok(retry).message, first);
  });

  it('is idempotent on the client message id: a retry returns the first message and adds nothing', async () => {
    await using t = await startTestHost();
    const { ada, bob, id } = await pair(t);
    const body = { clientId: 'c0ffee00-retry', text: 'only once' };
    const first = ok(await t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json: body }), 201).message;
    const [again, concurrent] = await Promise.all([
      t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json: body }),
      t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json: body }),
    ]);
    assert.deepEqual(ok(again).message, first);
    assert.deepEqual(ok(concurrent).message, first);
    expectProblem(await t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json: { ...body, text: 'something else' } }), 409, 'MESSAGE_CLIENT_ID_REUSED');
    const history = ok(await t.call('GET', `/v1/conversations/${id}/messages`, { token: bob.accessToken })).messages;
    assert.equal(history.length, 1);
    const bobs = (await syncAll(t, bob)).updates.filter((u) => u.type === 'message');
    assert.equal(bobs.length, 1, 'one inbox update, not three');
    const other = ok(await t.call('POST', `/v1/conversations/${id}/messages`, { token: bob.accessToken, json: body }), 201).message;
    assert.notEqual(other.id, first.id, 'client ids are per sender');
  });

  it('refuses a message over the size limit with a clear error', async () => {
    await using t = await startTestHost({ messaging: defaultMessagingConfig({ maxTextChars: 40 }) });
    const { ada, id } = await pair(t);
    const problem = expectProblem(await send(t, ada, id, 'x'.repeat(41)), 413, 'MESSAGE_TOO_LONG');
    assert.match(problem.detail, /40 characters/);
    const tooLong = expectProblem(await send(t, ada, id, 'x'.repeat(4001)), 400, 'VALIDATION_FAILED');
    assert.match(JSON.stringify(tooLong.errors), /limited to 4000 characters/);
    expectProblem(await send(t, ada, id, '   '), 400, 'VALIDATION_FAILED');
    expectProblem(await send(t, ada, id, 'evil\u202Etxt.exe'), 400, 'VALIDATION_FAILED');
    ok(await send(t, ada, id, 'family 👨\u200D👩\u200D👧 and\nnewlines'), 201);
  });

  it('rate-limits sending per person, with Retry-After; retries of sent messages are not counted', async () => {
    await using t = await startTestHost({ messaging: defaultMessagingConfig({ sendsPerWindow: 3, sendWindowMs: 10_000 }) });
    const { ada, id } = await pair(t);
    const json = { clientId: 'repeat-me-1', text: 'a' };
    for (let i = 0; i < 3; i++) ok(await send(t, ada, id, `m${i}`), 201);
    ok(await t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json: { clientId: 'repeat-me-0', text: 'nope' } }), 429);
    const limited = await send(t, ada, id, 'one too many');
    expectProblem(limited, 429, 'RATE_LIMITED');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    t.clock.advance(10_001);
    ok(await t.call('POST', `/v1/conversations/${id}/messages`, { token: ada.accessToken, json }), 201);
  });

  it('pages history back and forward, from when a member joined, without what I deleted for me', async () => {
    await using t = await startTestHost();
    const { ada, bob, id } = await pair(t);
    const sent = [];
    for (let i = 1; i <= 7; i++) sent.push(ok(await send(t, i % 2 ? ada : bob, id, `m${i}`), 201).message);
    const page1 = ok(await t.call('GET', `/v1/conversations/${id}/messages?limit=3`, { token: ada.accessToken }));
    assert.deepEqual([page1.messages.map((m: any) => m.text), page1.hasMore], [['m5', 'm6', 'm7'], true]);
    const page2 = ok(await t.call('GET', `/v1/conversations/${id}/messages?limit=3&before=${page1.messages[0].order}`, { token: ada.accessToken }));
    assert.deepEqual(page2.messages.map((m: any) => m.text), ['m2', 'm3', 'm4']);
    const forward = ok(await t.call('GET', `/v1/conversations/${id}/messages?limit=3&after=5`, { token: ada.accessToken }));
    assert.deepEqual([forward.messages.map((m: any) => m.text), forward.hasMore], [['m6', 'm7'], false]);
    ok(await t.call('DELETE', `/v1/conversations/${id}/messages/${sent[5].id}`, { token: ada.accessToken }), 204);
    const after = ok(await t.call('GET', `/v1/conversations/${id}/messages?limit=3`, { token: ada.accessToken }));
    assert.deepEqual(after.messages.map((m: any) => m.text), ['m4', 'm5', 'm7']);
    const bobs = ok(await t.call('GET', `/v1/conversations/${id}/messages?limit=3`, { token: bob.accessToken }));
    assert.deepEqual(bobs.messages.map((m: any) => m.text), ['m5', 'm6', 'm7'], 'deleting for me leaves it for bob');
    const adaPhone = await t.signIn('ada');
    const hidden = (await syncAll(t, adaPhone)).updates.filter((u) => u.type === 'hidden');
    assert.deepEqual(hidden.map((u) => u.data.messageId), [sent[5].id], "ada's other devices hear of it");
  });
});

describe('messaging: recall', () => {
  it('recalls within the window (injectable clock) for everyone; refuses after it and for others', async () => {
    await using t = await startTestHost();
    const { ada, bob, id } = await pair(t);
    const early = ok(await send(t, ada, id, 'oops'), 201).message;
    const late = ok(await send(t, ada, id, 'fine'), 201).message;
    expectProblem(await t.call('POST', `/v1/conversations/${id}/messages/${early.id}/recall`, { token: bob.accessToken }), 403, 'MESSAGE_NOT_SENDER');
    t.clock.advance(119_000);
    const recalled = ok(await t.call('POST', `/v1/conversations/${id}/messages/${early.id}/recall`, { token: ada.accessToken })).message;
    assert.deepEqual([recalled.kind, recalled.text, recalled.system, recalled.order], ['system', null, { event: 'recalled', by: ada.userId }, early.order]);
    t.clock.advance(2_000);
    expectProblem(await t.call('POST', `/v1/conversations/${id}/messages/${late.id}/recall`, { token: ada.accessToken }), 409, 'MESSAGE_RECALL_EXPIRED');
    const bobView = ok(await t.call('GET', `/v1/conversations/${id}/messages`, { token: bob.accessToken })).messages;
    assert.deepEqual(bobView.map((m: any) => m.text), [null, 'fine']);
    const bobUpdates = (await syncAll(t, bob)).updates;
    assert.deepEqual(bobUpdates.filter((u) => u.type === 'recall').map((u) => [u.message.id, u.message.text]), [[early.id, null]]);
    const search = ok(await t.call('GET', '/v1/messages/search?q=oops', { token: bob.accessToken }));
    assert.equal(search.messages.length, 0, 'a recalled text is gone from search');
  });

  it('follows the configured window', async () => {
    await using t = await startTestHost({ messaging: defaultMessagingConfig({ recallWindowMs: 5_000 }) });
    const { ada, id } = await pair(t);
    const m = ok(await send(t, ada, id, 'quick'), 201).message;
    t.clock.advance(5_001);
    const problem = expectProblem(await t.call('POST', `/v1/conversations/${id}/messages/${m.id}/recall`, { token: ada.accessToken }), 409, 'MESSAGE_RECALL_EXPIRED');
    assert.match(problem.detail, /5 seconds/);
  });
});

describe('messaging: search', () => {
  it('finds substrings in any script, only in my conversations and only since I joined', async () => {
    await using t = await startTestHost();
    const [ada, bob, cyd] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('cyd')];
    await befriend(t, ada, bob);
    await befriend(t, ada, cyd);
    const id = await group(t, ada, [bob]);
    ok(await send(t, ada, id, 'The quarterly report is ready'), 201);
    ok(await send(t, bob, id, '我们明天去北京开会'), 201);
    ok(await send(t, bob, id, '100% sure_thing'), 201);
    const other = await direct(t, ada, cyd);
    ok(await send(t, cyd, other, 'a private report'), 201);
    const q = async (who: TestSession, query: string): Promise<string[]> =>
      ok(await t.call('GET', `/v1/messages/search?q=${encodeURIComponent(query)}`, { token: who.accessToken })).messages.map((m: any) => m.text);
    assert.deepEqual(await q(ada, 'report'), ['a private report', 'The quarterly report is ready']);
    assert.deepEqual(await q(bob, 'REPORT'), ['The quarterly report is ready'], "bob never sees ada's chat with cyd");
    assert.deepEqual(await q(ada, '北京开会'), ['我们明天去北京开会']);
    assert.deepEqual(await q(ada, '北京'), ['我们明天去北京开会'], 'two characters, below trigram size');
    assert.deepEqual(await q(ada, '%'), ['100% sure_thing'], 'LIKE wildcards are literal');
    assert.deepEqual(await q(ada, '"quarterly'), [], 'quotes cannot break out of the phrase');
    ok(await t.call('POST', `/v1/conversations/${id}/members`, { token: ada.accessToken, json: { userIds: [cyd.userId] } }));
    assert.deepEqual(await q(cyd, 'quarterly'), [], 'history from before cyd joined is not searchable by cyd');
    assert.deepEqual(ok(await t.call('GET', `/v1/messages/search?q=report&conversationId=${other}`, { token: bob.accessToken })).messages, []);
  });
});

describe('messaging: invites', () => {
  it('joins by link; links expire, run out and can be revoked', async () => {
    await using t = await startTestHost();
    const [ada, bob, cyd, dan, eve] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('cyd'), await t.signUp('dan'), await t.signUp('eve')];
    await befriend(t, ada, bob);
    const id = await group(t, ada, [bob], 'Open group');
    const invite = ok(await t.call('POST', `/v1/conversations/${id}/invites`, { token: bob.accessToken, json: { maxUses: 2, expiresInSeconds: 3600 } }), 201);
    assert.match(invite.url, /^http:\/\/atrium\.test\/j\/inv_/);
    assert.deepEqual(ok(await t.call('GET', `/v1/invites/${invite.token}`, { token: cyd.accessToken })), { name: 'Open group', avatarUrl: null, memberCount: 2, expiresAt: invite.expiresAt, member: false });
    const joined = ok(await t.call('POST', `/v1/invites/${invite.token}/join`, { token: cyd.accessToken }));
    assert.equal(joined.id, id);
    assert.equal(ok(await t.call('POST', `/v1/invites/${invite.token}/join`, { token: cyd.accessToken })).id, id, 'joining twice is harmless');
    ok(await t.call('POST', `/v1/invites/${invite.token}/join`, { token: dan.accessToken }));
    expectProblem(await t.call('POST', `/v1/invites/${invite.token}/join`, { token: eve.accessToken }), 410, 'INVITE_EXPIRED');
    const timed = ok(await t.call('POST', `/v1/conversations/${id}/invites`, { token: ada.accessToken, json: { expiresInSeconds: 60 } }), 201);
    t.clock.advance(61_000);
    expectProblem(await t.call('GET', `/v1/invites/${timed.token}`, { token: eve.accessToken }), 410, 'INVITE_EXPIRED');
    const revoked = ok(await t.call('POST', `/v1/conversations/${id}/invites`, { token: cyd.accessToken, json: {} }), 201);
    expectProblem(await t.call('DELETE', `/v1/conversations/${id}/invites/${revoked.id}`, { token: dan.accessToken }), 404, 'INVITE_NOT_FOUND');
    ok(await t.call('DELETE', `/v1/conversations/${id}/invites/${revoked.id}`, { token: ada.accessToken }), 204);
    expectProblem(await t.call('POST', `/v1/invites/${revoked.token}/join`, { token: eve.accessToken }), 404, 'INVITE_NOT_FOUND');
    expectProblem(await t.call('GET', `/v1/invites/inv_notarealtoken`, { token: eve.accessToken }), 404, 'INVITE_NOT_FOUND');
    const listed = ok(await t.call('GET', `/v1/conversations/${id}/invites`, { token: ada.accessToken })).invites;
    assert.deepEqual(listed, [], 'expired, used-up and revoked invites are not listed');
    const members = ok(await t.call('GET', `/v1/conversations/${id}/members`, { token: ada.accessToken })).members.map((m: any) => m.person.handle);
    assert.deepEqual(members.sort(), ['ada', 'bob', 'cyd', 'dan']);
  });

  it('limits active invites per group, and an invite dies when its maker leaves', async () => {
    await using t = await startTestHost({ messaging: defaultMessagingConfig({ maxActiveInvitesPerGroup: 2 }) });
    const [ada, bob, eve] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('eve')];
    await befriend(t, ada, bob);
    const id = await group(t, ada, [bob]);
    ok(await t.call('POST', `/v1/conversations/${id}/invites`, { token: ada.accessToken, json: {} }), 201);
    const bobs = ok(await t.call('POST', `/v1/conversations/${id}/invites`, { token: bob.accessToken, json: {} }), 201);
    expectProblem(await t.call('POST', `/v1/conversations/${id}/invites`, { token: ada.accessToken, json: {} }), 409, 'INVITE_LIMIT');
    ok(await t.call('DELETE', `/v1/conversations/${id}/members/${bob.userId}`, { token: bob.accessToken }), 204);
    expectProblem(await t.call('POST', `/v1/invites/${bobs.token}/join`, { token: eve.accessToken }), 404, 'INVITE_NOT_FOUND');
    expectProblem(await t.call('POST', `/v1/conversations/${id}/invites`, { token: bob.accessToken, json: {} }), 404, 'CONVERSATION_NOT_FOUND');
  });
});
