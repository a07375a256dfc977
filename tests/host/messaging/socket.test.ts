import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serveTestHost, type ServedHost } from '../../helpers/browser.ts';
import { TEST_PASSWORD } from '../../helpers/host.ts';
import { SocketClient, type Frame } from './socket-client.ts';

interface Person {
  accessToken: string;
  userId: string;
  deviceId: string;
  handle: string;
}

async function api(served: ServedHost, method: string, path: string, token?: string, json?: unknown): Promise<any> {
  const res = await fetch(`${served.url}${path}`, {
    method,
    headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function person(served: ServedHost, handle: string, signIn = false): Promise<Person> {
  const body = signIn
    ? await api(served, 'POST', '/v1/auth/signin', undefined, { handle, password: TEST_PASSWORD })
    : await api(served, 'POST', '/v1/auth/signup', undefined, { handle, displayName: handle, password: TEST_PASSWORD });
  return { accessToken: body.accessToken, userId: body.user.id, deviceId: body.device.id, handle };
}

async function befriend(served: ServedHost, a: Person, b: Person): Promise<void> {
  const request = await api(served, 'POST', '/v1/contacts/requests', a.accessToken, { handle: b.handle });
  await api(served, 'POST', `/v1/contacts/requests/${request.id}/accept`, b.accessToken);
}

const updates = (frames: Frame[]): Frame[] => frames.filter((f) => f.t === 'chat.update');

describe('messaging over the device WebSocket', () => {
  it('sends with an ack after storing, pushes to every device of every member in seq order, and passes typing to members only', async () => {
    await using served = await serveTestHost();
    const [ada, bob, eve] = [await person(served, 'ada'), await person(served, 'bob'), await person(served, 'eve')];
    const adaLaptop = await person(served, 'ada', true);
    await befriend(served, ada, bob);
    const chat = await api(served, 'POST', '/v1/conversations', ada.accessToken, { name: 'Pair', memberIds: [bob.userId] });
    const sockets = {
      ada: await SocketClient.connect(served.url, ada.accessToken),
      adaLaptop: await SocketClient.connect(served.url, adaLaptop.accessToken),
      bob: await SocketClient.connect(served.url, bob.accessToken),
      eve: await SocketClient.connect(served.url, eve.accessToken),
    };
    const ack = await sockets.bob.request({ t: 'chat.send', conversationId: chat.id, clientId: 'ws-client-0001', text: 'over the socket' });
    assert.equal(ack.ok, true, JSON.stringify(ack));
    assert.equal(ack.result.created, true);
    const stored = await api(served, 'GET', `/v1/conversations/${chat.id}/messages`, ada.accessToken);
    assert.ok(stored.messages.some((m: any) => m.id === ack.result.message.id), 'stored before the ack');
    for (const s of [sockets.ada, sockets.adaLaptop, sockets.bob]) {
      const pushed = await s.waitFor((f) => f.t === 'chat.update' && f.update.message?.id === ack.result.message.id);
      assert.equal(pushed.update.message.text, 'over the socket');
    }
    const retry = await sockets.bob.request({ t: 'chat.send', conversationId: chat.id, clientId: 'ws-client-0001', text: 'over the socket' });
    assert.deepEqual([retry.ok, retry.result.created, retry.result.message.id], [true, false, ack.result.message.id]);

    const adaSync = await sockets.adaLaptop.request({ t: 'chat.sync', cursor: 0 });
    const seqs = adaSync.result.updates.map((u: any) => u.seq);
    assert.deepEqual(seqs, [...seqs].sort((a: number, b: number) => a - b));
    const cseqs = adaSync.result.updates.filter((u: any) => u.cseq !== undefined).map((u: any) => u.cseq);
    assert.deepEqual(cseqs, cseqs.map((_: unknown, i: number) => i + 1), 'consecutive per conversation');
    const pushedSeqs = updates(sockets.adaLaptop.pushed).map((f) => f.seq);
    assert.deepEqual(pushedSeqs, [...pushedSeqs].sort((a, b) => a - b), 'pushed in seq order');

    const typing = await sockets.bob.request({ t: 'chat.typing', conversationId: chat.id });
    assert.deepEqual(typing.result, { sent: true });
    const seen = await sockets.ada.waitFor((f) => f.t === 'chat.typing');
    assert.deepEqual(seen, { t: 'chat.typing', conversationId: chat.id, userId: bob.userId });
    assert.deepEqual((await sockets.bob.request({ t: 'chat.typing', conversationId: chat.id })).result, { sent: false }, 'throttled');

    // eve is in nothing: every chat message about the conversation is refused as if it did not exist
    for (const message of [
      { t: 'chat.send', conversationId: chat.id, clientId: 'eve-intrude-1', text: 'let me in' },
      { t: 'chat.read', conversationId: chat.id, order: 1 },
      { t: 'chat.typing', conversationId: chat.id },
    ]) {
      const refused = await sockets.eve.request(message);
      assert.deepEqual([refused.ok, refused.error.code], [false, 'CONVERSATION_NOT_FOUND'], message.t);
    }
    const eveSync = await sockets.eve.request({ t: 'chat.sync', cursor: 0 });
    assert.deepEqual(eveSync.result, { kind: 'delta', updates: [], cursor: 0, more: false });
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual(sockets.eve.pushed, [], 'eve was pushed nothing');
    const bad = await sockets.ada.request({ t: 'chat.send', conversationId: chat.id, clientId: 'x', text: 'short id' });
    assert.deepEqual([bad.ok, bad.error.code], [false, 'SOCKET_MESSAGE_INVALID']);
    for (const s of Object.values(sockets)) await s.close();
  });

  it('a device that reconnects catches up from its cursor without gaps or duplicates', async () => {
    await using served = await serveTestHost();
    const [ada, bob] = [await person(served, 'ada'), await person(served, 'bob')];
    await befriend(served, ada, bob);
    const chat = await api(served, 'POST', '/v1/conversations/direct', ada.accessToken, { userId: bob.userId });
    const seen = new Map<number, string>();
    let cursor = 0;
    let cseq = 0;
    const apply = (u: any): void => {
      if (u.seq <= cursor) return; // already have it (a push that raced a sync)
      if (u.cseq !== undefined) {
        assert.equal(u.cseq, cseq + 1, `gap: have update ${cseq} of the chat, got ${u.cseq}`);
        cseq = u.cseq;
      }
      seen.set(u.seq, u.message?.text ?? u.type);
      cursor = u.seq;
    };
    const catchUp = async (socket: SocketClient): Promise<void> => {
      for (;;) {
        const res = await socket.request({ t: 'chat.sync', cursor });
        for (const u of res.result.updates) apply(u);
        if (!res.result.more) return;
      }
    };
    let sent = 0;
    for (let round = 0; round < 4; round++) {
      const socket = await SocketClient.connect(served.url, bob.accessToken);
      await catchUp(socket);
      for (let i = 0; i < 5; i++) await api(served, 'POST', `/v1/conversations/${chat.id}/messages`, ada.accessToken, { clientId: `round-${round}-msg-${i}`, text: `r${round}m${i}` });
      sent += 5;
      await socket.waitFor((f) => f.t === 'chat.update' && f.update.message?.text === `r${round}m4`);
      for (const f of updates(socket.pushed).slice(0, 2 + round)) apply({ ...f.update, seq: f.seq, cseq: f.cseq });
      await socket.close();
      // offline: more messages arrive
      await api(served, 'POST', `/v1/conversations/${chat.id}/messages`, ada.accessToken, { clientId: `round-${round}-offline`, text: `r${round}off` });
      sent += 1;
    }
    const last = await SocketClient.connect(served.url, bob.accessToken);
    await catchUp(last);
    await last.close();
    const texts = [...seen.values()].filter((s) => s !== 'membership');
    assert.equal(texts.length, sent);
    assert.equal(new Set(texts).size, sent, 'no duplicates');
  });

  it('closes the socket when the device is signed out, and keeps it open across a token refresh', async () => {
    await using served = await serveTestHost();
    const ada = await person(served, 'ada');
    const laptop = await api(served, 'POST', '/v1/auth/signin', undefined, { handle: 'ada', password: TEST_PASSWORD });
    const socket = await SocketClient.connect(served.url, laptop.accessToken);
    const refreshed = await api(served, 'POST', '/v1/auth/refresh', undefined, { refreshToken: laptop.refreshToken });
    const again = await socket.request({ t: 'auth', token: refreshed.accessToken });
    assert.equal(again.t, 'ready');
    assert.ok(again.expiresAt >= Date.now());
    await api(served, 'DELETE', `/v1/devices/${laptop.device.id}`, ada.accessToken);
    assert.deepEqual(await socket.closed, [4403, 'device signed out']);
  });
});
