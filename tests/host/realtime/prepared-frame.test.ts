import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { prepareFrame } from '../../../host/src/realtime/hub.ts';
import { serveTestHost, type ServedHost } from '../../helpers/browser.ts';
import { TEST_PASSWORD } from '../../helpers/host.ts';
import { SocketClient } from '../messaging/socket-client.ts';

/** Signs @ada up and opens two sockets of hers. */
async function adaOnTwoSockets(served: ServedHost): Promise<{ session: { accessToken: string; user: { id: string } }; sockets: SocketClient[] }> {
  const res = await fetch(`${served.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: 'ada', displayName: 'Ada', password: TEST_PASSWORD }) });
  const session = (await res.json()) as { accessToken: string; user: { id: string } };
  return { session, sockets: [await SocketClient.connect(served.url, session.accessToken), await SocketClient.connect(served.url, session.accessToken)] };
}

describe('realtime: frames prepared once for many sockets', () => {
  it('reach every socket of the person intact, at every length encoding (7-bit, 16-bit, 64-bit) and in UTF-8', async () => {
    await using served = await serveTestHost();
    const { session, sockets } = await adaOnTwoSockets(served);
    const texts = ['短', 'x'.repeat(125), 'é'.repeat(200), 'y'.repeat(70_000)];
    for (const [i, text] of texts.entries()) {
      assert.equal(served.host.services.hub.sendLocalToUser(session.user.id, prepareFrame(JSON.stringify({ t: 'test', i, text }))), 2);
    }
    assert.equal(served.host.services.hub.sendLocalToUser('usr_nobody', prepareFrame('{}')), 0);
    for (const socket of sockets) {
      for (const [i, text] of texts.entries()) assert.equal((await socket.waitFor((f) => f.t === 'test' && f.i === i)).text, text);
      await socket.close();
    }
  });
});

describe('realtime: prepared frames sent in one turn', () => {
  it('share one write per socket, and keep their order with the messages sent after them', async () => {
    await using served = await serveTestHost();
    const { session, sockets } = await adaOnTwoSockets(served);
    const hub = served.host.services.hub;

    // Five frames to both sockets in one turn: the kernel sees one write per socket.
    const writes: number[] = [];
    const original = Socket.prototype.write;
    Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket['write']>) {
      writes.push(typeof args[0] === 'string' ? args[0].length : (args[0] as Uint8Array).byteLength);
      return original.apply(this, args);
    } as Socket['write'];
    try {
      for (let i = 0; i < 5; i++) hub.sendLocalToUser(session.user.id, prepareFrame(JSON.stringify({ t: 'burst', i })));
      assert.equal(writes.length, 0, 'nothing is written before the turn ends');
      for (const socket of sockets) for (let i = 0; i < 5; i++) await socket.waitFor((f) => f.t === 'burst' && f.i === i);
    } finally {
      Socket.prototype.write = original;
    }
    assert.equal(writes.length, 2);

    // A text message sent after pending frames (an ack, a bus delivery) goes after them, not before.
    hub.sendLocalToUser(session.user.id, prepareFrame(JSON.stringify({ t: 'order', i: 0 })));
    hub.sendLocalToUser(session.user.id, JSON.stringify({ t: 'order', i: 1 }));
    hub.sendLocalToUser(session.user.id, prepareFrame(JSON.stringify({ t: 'order', i: 2 })));
    for (const socket of sockets) {
      await socket.waitFor((f) => f.t === 'order' && f.i === 2);
      assert.deepEqual(socket.pushed.filter((f) => f.t === 'order').map((f) => f.i), [0, 1, 2], 'arrived in the order sent');
      await socket.close();
    }
  });
});
