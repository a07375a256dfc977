/**
 * @module The container's controller against a fake socket: launch, resume across reloads (and the fresh
 * launch when the host no longer has the session), re-attach on reconnect, pending presses cleared by the
 * page's patch, back within the app, and closing.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { LaunchResult } from '../../host/src/sessions/protocol.ts';
import { MiniAppController } from '../../host/web/src/miniapp/controller.ts';
import { SocketError } from '../../host/web/src/realtime/messages.ts';
import type { RealtimeSocket } from '../../host/web/src/realtime/socket.ts';
import { PATCH } from '../../sdk/src/protocol.ts';
import { applyPatches } from '../../sdk/src/view/apply.ts';

const TARGET = { appId: 'dev.atrium.todo', path: 'pages/index', query: { from: 'test' } };
const result = (session: string): LaunchResult => ({ session, app: { id: TARGET.appId, name: 'Todo', version: '1', versionCode: 1 }, window: { title: 'Todo' } });

/** Plays the host: answers requests with `answer`, records everything, pushes frames. */
class FakeSocket {
  requests: Array<Record<string, unknown>> = [];
  sent: Array<Record<string, unknown>> = [];
  listeners = new Map<string, Set<(frame: never) => void>>();
  connected = new Set<() => void>();
  answer: (message: Record<string, unknown>) => unknown = () => null;
  subscribe(t: string, listener: (frame: never) => void): () => void {
    if (!this.listeners.has(t)) this.listeners.set(t, new Set());
    this.listeners.get(t)?.add(listener);
    return () => this.listeners.get(t)?.delete(listener);
  }
  onConnected(listener: () => void): () => void {
    this.connected.add(listener);
    return () => this.connected.delete(listener);
  }
  async request(message: Record<string, unknown>): Promise<unknown> {
    this.requests.push(message);
    return this.answer(message);
  }
  send(message: Record<string, unknown>): boolean {
    this.sent.push(message);
    return true;
  }
  push(frame: { t: string }): void {
    for (const listener of this.listeners.get(frame.t) ?? []) listener(frame as never);
  }
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function start(socket: FakeSocket): MiniAppController {
  const controller = new MiniAppController(TARGET, socket as unknown as RealtimeSocket, applyPatches);
  controller.start();
  return controller;
}

describe('mini-app controller', () => {
  beforeEach(() => {
    const store = new Map<string, string>();
    (globalThis as { sessionStorage?: unknown }).sessionStorage = {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => void store.set(key, value),
      removeItem: (key: string) => void store.delete(key),
    };
  });

  it('launches with the page and query, and keeps the session for a reload', async () => {
    const socket = new FakeSocket();
    socket.answer = () => result('ses_a');
    const controller = start(socket);
    await settle();
    assert.deepEqual(socket.requests[0], { t: 'app.launch', appId: TARGET.appId, path: 'pages/index', query: { from: 'test' } });
    assert.equal(controller.state.get().session, 'ses_a');
    assert.equal(controller.state.get().status, 'running');

    const reloaded = new FakeSocket();
    reloaded.answer = (message) => (message.t === 'app.resume' ? result('ses_a') : result('ses_new'));
    start(reloaded);
    await settle();
    assert.deepEqual(reloaded.requests.map((m) => m.t), ['app.resume']);
  });

  it('launches afresh when the host no longer has the session', async () => {
    const first = new FakeSocket();
    first.answer = () => result('ses_old');
    start(first);
    await settle();
    const socket = new FakeSocket();
    socket.answer = (message) => {
      if (message.t === 'app.resume') throw new SocketError('SESSION_NOT_FOUND', 'This session has ended.');
      return result('ses_new');
    };
    const controller = start(socket);
    await settle();
    assert.deepEqual(socket.requests.map((m) => m.t), ['app.resume', 'app.launch']);
    assert.equal(controller.state.get().session, 'ses_new');
  });

  it('re-attaches on every reconnect', async () => {
    const socket = new FakeSocket();
    socket.answer = () => result('ses_a');
    start(socket);
    await settle();
    for (const listener of socket.connected) listener();
    await settle();
    assert.deepEqual(socket.requests.at(-1), { t: 'app.resume', session: 'ses_a' });
  });

  it('launches afresh when an event finds the session gone', async () => {
    const socket = new FakeSocket();
    let launches = 0;
    socket.answer = (message) => {
      if (message.t === 'app.event') throw new SocketError('SESSION_NOT_FOUND', 'This session has ended.');
      launches += 1;
      return result(`ses_${launches}`);
    };
    const controller = start(socket);
    await settle();
    controller.emit(1, 'add', { dataset: {} }, 1);
    await settle();
    assert.equal(launches, 2);
    assert.equal(controller.state.get().session, 'ses_2');
    assert.equal(controller.isPressed(1, 1), false, 'the press was released');
  });

  it('keeps a pressed button busy until its page is patched', async () => {
    const socket = new FakeSocket();
    socket.answer = () => result('ses_a');
    const controller = start(socket);
    await settle();
    socket.push({ t: 'app.page', session: 'ses_a', stack: [{ pageId: 1, route: 'pages/index', title: '' }] } as never);
    socket.push({ t: 'app.patch', session: 'ses_a', pageId: 1, patches: [[PATCH.MOUNT, { id: 1, type: 'button', props: { onTap: 'add' }, children: [] }]] } as never);
    controller.emit(1, 'add', { dataset: {} }, 1);
    assert.equal(controller.isPressed(1, 1), true);
    assert.deepEqual(socket.requests.at(-1), { t: 'app.event', session: 'ses_a', pageId: 1, handler: 'add', detail: { dataset: {} } });
    socket.push({ t: 'app.patch', session: 'ses_a', pageId: 1, patches: [[PATCH.PROPS, 1, { loading: false }, []]] } as never);
    assert.equal(controller.isPressed(1, 1), false);
  });

  it('goes back within the app only when its stack has more than one page, and closes', async () => {
    const socket = new FakeSocket();
    socket.answer = () => result('ses_a');
    const controller = start(socket);
    await settle();
    socket.push({ t: 'app.page', session: 'ses_a', stack: [{ pageId: 1, route: 'pages/index', title: '' }] } as never);
    assert.equal(controller.back(), false);
    socket.push({ t: 'app.page', session: 'ses_a', stack: [{ pageId: 1, route: 'pages/index', title: '' }, { pageId: 2, route: 'pages/item', title: 'Item' }] } as never);
    assert.equal(controller.back(), true);
    assert.deepEqual(socket.requests.at(-1), { t: 'app.back', session: 'ses_a' });
    controller.close();
    assert.deepEqual(socket.sent.at(-1), { t: 'app.close', session: 'ses_a' });
    assert.equal((globalThis as unknown as { sessionStorage: Storage }).sessionStorage.getItem(`atrium.miniapp.${TARGET.appId}`), null);
  });
});
