/**
 * @module The realtime socket against a fake WebSocket: auth on open, request/ack with timeouts, typed
 * subscriptions, re-auth after a refresh, reconnect after a drop, and the 4401 / 4403 closes.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import { RealtimeSocket } from '../../host/web/src/realtime/socket.ts';
import { SocketError } from '../../host/web/src/realtime/messages.ts';

/** A WebSocket stand-in: records what is sent, lets the test play the server. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Array<Record<string, unknown>> = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  readonly url: string;
  constructor(url: string) {
    this.url = url;
    FakeSocket.all.push(this);
  }
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(code = 1000): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  push(frame: object): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  last(): Record<string, unknown> {
    return this.sent.at(-1) ?? {};
  }
}

function socketWith(token: { value: string | undefined }, onAuthClose?: (code: number) => void): RealtimeSocket {
  return new RealtimeSocket({
    url: () => 'ws://test/v1/ws',
    token: () => token.value,
    WebSocket: FakeSocket as unknown as new (url: string) => WebSocket,
    pingMs: 1000,
    pongTimeoutMs: 500,
    requestTimeoutMs: 2000,
    ...(onAuthClose ? { onAuthClose } : {}),
  });
}

async function connected(socket: RealtimeSocket): Promise<FakeSocket> {
  socket.start();
  const ws = FakeSocket.all.at(-1) as FakeSocket;
  ws.open();
  ws.push({ t: 'ready', id: ws.last().id, userId: 'usr_1', deviceId: 'dev_1', expiresAt: Date.now() + 60_000 });
  return ws;
}

describe('realtime socket', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
  });
  afterEach(() => mock.timers.reset());

  it('authenticates with the token on open and becomes ready', async () => {
    const socket = socketWith({ value: 'tok_1' });
    const connectedCalls: number[] = [];
    socket.onConnected(() => connectedCalls.push(1));
    const ws = await connected(socket);
    assert.deepEqual(ws.sent[0], { t: 'auth', id: ws.sent[0]?.id, token: 'tok_1' });
    assert.equal(socket.status.get(), 'ready');
    assert.equal(connectedCalls.length, 1);
    socket.stop();
  });

  it('matches acks to requests and rejects failures with their code', async () => {
    const socket = socketWith({ value: 'tok_1' });
    const ws = await connected(socket);
    const ok = socket.request<{ session: string }>({ t: 'app.launch', appId: 'dev.atrium.todo' });
    await Promise.resolve();
    const launch = ws.last();
    assert.equal(launch.t, 'app.launch');
    ws.push({ t: 'ack', id: launch.id, ok: true, result: { session: 'ses_1' } });
    assert.deepEqual(await ok, { session: 'ses_1' });
    const refused = socket.request({ t: 'app.resume', session: 'ses_1' });
    await Promise.resolve();
    ws.push({ t: 'ack', id: ws.last().id, ok: false, error: { code: 'SESSION_NOT_FOUND', message: 'gone' } });
    await assert.rejects(refused, (error: unknown) => error instanceof SocketError && error.code === 'SESSION_NOT_FOUND');
    socket.stop();
  });

  it('times a request out', async () => {
    const socket = socketWith({ value: 'tok_1' });
    await connected(socket);
    const waiting = socket.request({ t: 'app.launch', appId: 'dev.atrium.todo' }, 1000);
    await Promise.resolve();
    mock.timers.tick(1001);
    await assert.rejects(waiting, (error: unknown) => error instanceof SocketError && error.code === 'SOCKET_TIMEOUT');
    socket.stop();
  });

  it('hands pushed frames to subscribers of their type only', async () => {
    const socket = socketWith({ value: 'tok_1' });
    const ws = await connected(socket);
    const patches: unknown[] = [];
    const off = socket.subscribe('app.patch', (frame) => patches.push(frame.pageId));
    ws.push({ t: 'app.patch', session: 'ses_1', pageId: 3, patches: [] });
    ws.push({ t: 'app.page', session: 'ses_1', stack: [] });
    off();
    ws.push({ t: 'app.patch', session: 'ses_1', pageId: 4, patches: [] });
    assert.deepEqual(patches, [3]);
    socket.stop();
  });

  it('re-authenticates on the open socket after a refresh', async () => {
    const token = { value: 'tok_1' };
    const socket = socketWith(token);
    const ws = await connected(socket);
    token.value = 'tok_2';
    socket.reauthenticate();
    assert.equal(ws.last().t, 'auth');
    assert.equal(ws.last().token, 'tok_2');
    socket.stop();
  });

  it('pings, and reconnects with back-off after a drop', async () => {
    const socket = socketWith({ value: 'tok_1' });
    const ws = await connected(socket);
    mock.timers.tick(1000);
    assert.equal(ws.last().t, 'ping');
    mock.timers.tick(500); // no pong: the connection is dead
    assert.equal(socket.status.get(), 'offline');
    mock.timers.tick(30_000);
    assert.equal(FakeSocket.all.length, 2, 'a new socket was opened');
    socket.stop();
    assert.equal(socket.status.get(), 'stopped');
  });

  it('keeps under the hub\'s rate limit by holding frames over the budget for the next second', async () => {
    const socket = socketWith({ value: 'tok_1' });
    const ws = await connected(socket);
    const events = (): Array<Record<string, unknown>> => ws.sent.filter((frame) => frame.t === 'app.event');
    for (let i = 0; i < 50; i++) socket.send({ t: 'app.event', n: i });
    assert.equal(events().length, 40);
    mock.timers.tick(1000);
    assert.equal(events().length, 50);
    assert.deepEqual(events().map((frame) => frame.n), Array.from({ length: 50 }, (_, i) => i), 'in order');
    socket.stop();
  });

  it('refreshes after 4401 and signs out after 4403', async () => {
    const closes: number[] = [];
    const socket = socketWith({ value: 'tok_1' }, (code) => void closes.push(code));
    let ws = await connected(socket);
    ws.close(4401);
    await new Promise((resolve) => setImmediate(resolve)); // the refresh settles
    assert.deepEqual(closes, [4401]);
    mock.timers.tick(30_000);
    ws = FakeSocket.all.at(-1) as FakeSocket;
    ws.open();
    ws.push({ t: 'ready', id: ws.last().id, userId: 'usr_1', deviceId: 'dev_1', expiresAt: 0 });
    ws.close(4403);
    assert.deepEqual(closes, [4401, 4403]);
    mock.timers.tick(60_000);
    assert.equal(FakeSocket.all.length, 2, 'no reconnect after the device was revoked');
  });
});
