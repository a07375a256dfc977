import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prepareFrame } from '../../../host/src/realtime/hub.ts';
import { serveTestHost } from '../../helpers/browser.ts';
import { TEST_PASSWORD } from '../../helpers/host.ts';
import { SocketClient } from '../messaging/socket-client.ts';

describe('realtime: frames prepared once for many sockets', () => {
  it('reach every socket of the person intact, at every length encoding (7-bit, 16-bit, 64-bit) and in UTF-8', async () => {
    await using served = await serveTestHost();
    const res = await fetch(`${served.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle: 'ada', displayName: 'Ada', password: TEST_PASSWORD }) });
    const session = (await res.json()) as { accessToken: string; user: { id: string } };
    const sockets = [await SocketClient.connect(served.url, session.accessToken), await SocketClient.connect(served.url, session.accessToken)];
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
