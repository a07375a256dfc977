import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultMessagingConfig } from '../../../host/src/config.ts';
import { expectProblem, startTestHost } from '../../helpers/host.ts';
import { befriend, direct, group, ok, send, syncAll } from './helpers.ts';

describe('messaging: sync from a cursor', () => {
  it('gives a new device everything, in pages, in order, with consecutive per-conversation counts; then exactly what is new', async () => {
    await using t = await startTestHost();
    const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
    await befriend(t, ada, bob);
    const id = await direct(t, ada, bob);
    for (let i = 1; i <= 5; i++) ok(await send(t, i % 2 ? ada : bob, id, `m${i}`), 201);
    const laptop = await t.signIn('bob');
    const page = ok(await t.call('GET', '/v1/sync?cursor=0&limit=2', { token: laptop.accessToken }));
    assert.deepEqual([page.kind, page.updates.map((u: any) => u.cseq), page.cursor, page.more], ['delta', [1, 2], page.updates[1].seq, true]);
    const all = await syncAll(t, laptop);
    const seqs = all.updates.map((u) => u.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), 'in log order');
    assert.equal(new Set(seqs).size, seqs.length);
    assert.deepEqual(all.updates.map((u) => [u.cseq, u.message.text]), [[1, 'm1'], [2, 'm2'], [3, 'm3'], [4, 'm4'], [5, 'm5']]);
    const again = await syncAll(t, laptop, page.cursor);
    assert.deepEqual(again.updates, all.updates.slice(2), 'from a cursor: exactly the rest');
    assert.deepEqual(ok(await t.call('GET', `/v1/sync?cursor=${all.cursor}`, { token: laptop.accessToken })), { kind: 'delta', updates: [], cursor: all.cursor, more: false });
    ok(await send(t, ada, id, 'm6'), 201);
    const next = ok(await t.call('GET', `/v1/sync?cursor=${all.cursor}`, { token: laptop.accessToken }));
    assert.deepEqual(next.updates.map((u: any) => [u.cseq, u.type, u.message.text]), [[6, 'message', 'm6']]);
    assert.ok(next.updates[0].seq > all.cursor);
    expectProblem(await t.call('GET', '/v1/sync?cursor=-1', { token: laptop.accessToken }), 400, 'VALIDATION_FAILED');
  });

  it('gives a device too far behind a snapshot, then the delta from its cursor', async () => {
    await using t = await startTestHost({ messaging: defaultMessagingConfig({ syncMaxDelta: 5 }) });
    const [ada, bob, cyd] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('cyd')];
    await befriend(t, ada, bob);
    await befriend(t, ada, cyd);
    const chat = await direct(t, ada, bob);
    const club = await group(t, ada, [bob, cyd], 'Club');
    for (let i = 0; i < 6; i++) ok(await send(t, cyd, club, `c${i}`), 201);
    const snap = ok(await t.call('GET', '/v1/sync?cursor=0', { token: bob.accessToken }));
    assert.equal(snap.kind, 'snapshot');
    assert.equal(snap.reason, 'too_far_behind');
    assert.deepEqual(snap.conversations.map((c: any) => c.id).sort(), [chat, club].sort());
    const clubView = snap.conversations.find((c: any) => c.id === club);
    assert.deepEqual([clubView.unread, clubView.lastMessage.text], [6, 'c5']);
    ok(await send(t, ada, chat, 'after the snapshot'), 201);
    const delta = ok(await t.call('GET', `/v1/sync?cursor=${snap.cursor}`, { token: bob.accessToken }));
    assert.deepEqual(delta.updates.map((u: any) => [u.seq, u.message.text]), [[snap.cursor + 1, 'after the snapshot']]);
    const ahead = ok(await t.call('GET', `/v1/sync?cursor=${snap.cursor + 100}`, { token: bob.accessToken }));
    assert.deepEqual([ahead.kind, ahead.reason, ahead.cursor], ['snapshot', 'cursor_ahead', snap.cursor + 1]);
  });

  it('holds a long poll until an update arrives, and answers at once when the host stops', async () => {
    await using t = await startTestHost();
    const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
    await befriend(t, ada, bob);
    const id = await direct(t, ada, bob);
    const { cursor } = await syncAll(t, bob);
    const started = performance.now();
    const held = t.call('GET', `/v1/sync?cursor=${cursor}&wait=20000`, { token: bob.accessToken });
    await new Promise((r) => setTimeout(r, 50));
    ok(await send(t, ada, id, 'wake up'), 201);
    const woke = ok(await held);
    assert.deepEqual(woke.updates.map((u: any) => u.message.text), ['wake up']);
    assert.ok(performance.now() - started < 5000);
    const idle = t.call('GET', `/v1/sync?cursor=${woke.cursor}&wait=20000`, { token: bob.accessToken });
    await new Promise((r) => setTimeout(r, 50));
    const stopAt = performance.now();
    t.host.services.stop();
    assert.deepEqual(ok(await idle), { kind: 'delta', updates: [], cursor: woke.cursor, more: false });
    assert.ok(performance.now() - stopAt < 1000, 'answered when the host began to stop');
  });

  it('tells my other devices what I read, and nobody else in a group', async () => {
    await using t = await startTestHost();
    const [ada, bob] = [await t.signUp('ada'), await t.signUp('bob')];
    await befriend(t, ada, bob);
    const id = await group(t, ada, [bob]);
    const m = ok(await send(t, ada, id, 'hi'), 201).message;
    const before = (await syncAll(t, ada)).cursor;
    ok(await t.call('POST', `/v1/conversations/${id}/read`, { token: bob.accessToken, json: { order: m.order } }));
    assert.deepEqual((await syncAll(t, ada, before)).updates, [], 'group reads are counts, not pushed');
    const bobUpdates = (await syncAll(t, bob)).updates.filter((u) => u.type === 'read');
    assert.deepEqual(bobUpdates.map((u) => u.data), [{ userId: bob.userId, order: m.order }]);
    assert.deepEqual(ok(await t.call('GET', `/v1/conversations/${id}/messages/${m.id}/receipts`, { token: ada.accessToken })), { readCount: 1, unreadCount: 0, read: true });
  });
});
