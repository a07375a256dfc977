import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { z } from 'zod';
import { serveTestHost, type ServedHost } from '../../helpers/browser.ts';

const PASSWORD = 'correct horse battery';

async function signUp(served: ServedHost, handle: string): Promise<{ accessToken: string; userId: string; deviceId: string }> {
  const res = await fetch(`${served.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle, displayName: handle, password: PASSWORD }) });
  const body = (await res.json()) as { accessToken: string; user: { id: string }; device: { id: string } };
  return { accessToken: body.accessToken, userId: body.user.id, deviceId: body.device.id };
}

/** A socket with a queue of received messages. */
async function connect(served: ServedHost): Promise<{ ws: WebSocket; next: () => Promise<any>; closed: Promise<[number, string]> }> {
  const ws = new WebSocket(`${served.url.replace('http', 'ws')}/v1/ws`);
  const queue: unknown[] = [];
  const waiters: Array<(m: unknown) => void> = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiters.shift();
    if (waiter) waiter(message);
    else queue.push(message);
  });
  const closed = once(ws, 'close').then(([code, reason]) => [code as number, String(reason)] as [number, string]);
  await once(ws, 'open');
  return { ws, closed, next: () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiters.push(resolve))) };
}

describe('realtime: one WebSocket per device', () => {
  it('authenticates with the first message, answers pings, and re-authenticates with a fresh token', async () => {
    await using served = await serveTestHost();
    const ada = await signUp(served, 'ada');
    const socket = await connect(served);
    socket.ws.send(JSON.stringify({ t: 'auth', id: 1, token: ada.accessToken }));
    const ready = await socket.next();
    assert.deepEqual({ t: ready.t, id: ready.id, userId: ready.userId, deviceId: ready.deviceId }, { t: 'ready', id: 1, userId: ada.userId, deviceId: ada.deviceId });
    socket.ws.send(JSON.stringify({ t: 'ping', id: 2 }));
    assert.deepEqual(await socket.next(), { t: 'pong', id: 2 });
    socket.ws.send(JSON.stringify({ t: 'auth', id: 3, token: ada.accessToken }));
    assert.equal((await socket.next()).t, 'ready');
    socket.ws.send(JSON.stringify({ t: 'no.such.type', id: 4 }));
    const ack = await socket.next();
    assert.deepEqual([ack.t, ack.id, ack.ok, ack.error.code], ['ack', 4, false, 'SOCKET_MESSAGE_INVALID']);
    for (const notAnObject of ['null', '5', '"app.event"', 'true']) {
      socket.ws.send(notAnObject);
      assert.deepEqual(await socket.next(), { t: 'error', code: 'SOCKET_MESSAGE_INVALID', message: 'Not a JSON object.' });
    }
    socket.ws.send(JSON.stringify({ t: 'ping', id: 5 }));
    assert.deepEqual(await socket.next(), { t: 'pong', id: 5 }, 'the socket still works');
    socket.ws.close();
  });

  it('closes a socket that talks before authenticating or brings a bad token', async () => {
    await using served = await serveTestHost();
    const early = await connect(served);
    early.ws.send(JSON.stringify({ t: 'app.event' }));
    assert.equal((await early.closed)[0], 4401);
    const bad = await connect(served);
    bad.ws.send(JSON.stringify({ t: 'auth', token: 'not.a.token' }));
    assert.deepEqual(await bad.closed, [4401, 'AUTH_TOKEN_INVALID']);
  });

  it('closes the socket at once when its device is signed out from another device', async () => {
    await using served = await serveTestHost();
    const phone = await signUp(served, 'ada');
    const laptop = (await (
      await fetch(`${served.url}/v1/auth/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: 'ada', password: PASSWORD }) })
    ).json()) as { accessToken: string; device: { id: string } };
    const socket = await connect(served);
    socket.ws.send(JSON.stringify({ t: 'auth', token: laptop.accessToken }));
    assert.equal((await socket.next()).t, 'ready');
    const started = Date.now();
    const res = await fetch(`${served.url}/v1/devices/${laptop.device.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${phone.accessToken}` } });
    assert.equal(res.status, 204);
    assert.deepEqual(await socket.closed, [4403, 'device signed out']);
    assert.ok(Date.now() - started < 1000);
  });

  it('delivers to every socket of a person, and only theirs', async () => {
    await using served = await serveTestHost();
    const ada = await signUp(served, 'ada');
    const bob = await signUp(served, 'bob');
    const [a, b] = [await connect(served), await connect(served)];
    a.ws.send(JSON.stringify({ t: 'auth', token: ada.accessToken }));
    b.ws.send(JSON.stringify({ t: 'auth', token: bob.accessToken }));
    await a.next();
    await b.next();
    served.host.services.hub.sendToUser(ada.userId, { t: 'hello', n: 1 });
    served.host.services.hub.sendToDevice(bob.deviceId, { t: 'hello', n: 2 });
    assert.deepEqual(await a.next(), { t: 'hello', n: 1 });
    assert.deepEqual(await b.next(), { t: 'hello', n: 2 });
    a.ws.close();
    b.ws.close();
  });

  it('closes a socket that floods or sends oversized or binary frames', async () => {
    await using served = await serveTestHost();
    const ada = await signUp(served, 'ada');
    const flood = await connect(served);
    flood.ws.send(JSON.stringify({ t: 'auth', token: ada.accessToken }));
    await flood.next();
    for (let i = 0; i < 100; i++) flood.ws.send(JSON.stringify({ t: 'ping', id: i }));
    assert.equal((await flood.closed)[0], 4408);
    const big = await connect(served);
    big.ws.send('x'.repeat(300 * 1024));
    assert.equal((await big.closed)[0], 1009, 'ws refuses frames over maxPayload');
    const binary = await connect(served);
    binary.ws.send(Buffer.from([1, 2, 3]));
    assert.equal((await binary.closed)[0], 4408);
  });
});

describe('realtime: prototype keys in socket messages', () => {
  it('are dropped however they are spelled, before any handler sees the message', async () => {
    await using served = await serveTestHost();
    const seen: unknown[] = [];
    served.host.services.hub.on('test.echo', z.any(), (message) => {
      seen.push(message);
      return { ok: true };
    });
    const ada = await signUp(served, 'ada');
    const socket = await connect(served);
    socket.ws.send(JSON.stringify({ t: 'auth', token: ada.accessToken, id: 0 }));
    assert.equal((await socket.next()).t, 'ready');
    const texts = [
      '{"t":"test.echo","id":1,"__proto__":{"polluted":true},"keep":1}',
      '{"t":"test.echo","id":2,"\\u005f_proto__":{"polluted":true},"keep":2}',
      '{"t":"test.echo","id":3,"nested":{"constructor":{"prototype":{"polluted":true}},"prototype":1},"keep":3}',
      '{"t":"test.echo","id":4,"keep":4}',
    ];
    for (const text of texts) {
      socket.ws.send(text);
      const ack = await socket.next();
      assert.equal(ack.ok, true, text);
    }
    assert.equal(seen.length, 4);
    for (const message of seen as Array<Record<string, unknown>>) {
      assert.equal(Object.getPrototypeOf(message), Object.prototype);
      assert.equal(Object.hasOwn(message, '__proto__'), false);
      assert.equal((message as { polluted?: unknown }).polluted, undefined);
      assert.equal(typeof message.keep, 'number');
    }
    assert.deepEqual((seen[2] as { nested: unknown }).nested, {});
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    socket.ws.close();
  });
});
