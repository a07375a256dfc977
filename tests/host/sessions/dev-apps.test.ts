/**
 * The sample mini-apps under miniapps/, built by the development loader with the real SDK and run in the real
 * runtime through the device socket.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { loadDevApps } from '../../../host/src/apps/dev-loader.ts';
import { serveTestHost, type ServedHost } from '../../helpers/browser.ts';

const MINIAPPS = fileURLToPath(new URL('../../../miniapps', import.meta.url));

async function socketFor(served: ServedHost, handle: string) {
  const res = await fetch(`${served.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle, displayName: handle, password: 'correct horse battery' }) });
  const { accessToken, user } = (await res.json()) as { accessToken: string; user: { id: string } };
  const ws = new WebSocket(`${served.url.replace('http', 'ws')}/v1/ws`);
  const inbox: any[] = [];
  const waiters: Array<{ match: (m: any) => boolean; resolve: (m: any) => void }> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    const i = waiters.findIndex((w) => w.match(m));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
    else inbox.push(m);
  });
  await once(ws, 'open');
  const next = (match: (m: any) => boolean): Promise<any> => {
    const i = inbox.findIndex(match);
    if (i >= 0) return Promise.resolve(inbox.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; inbox: ${JSON.stringify(inbox).slice(0, 500)}`)), 15_000);
      waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  };
  ws.send(JSON.stringify({ t: 'auth', token: accessToken }));
  await next((m) => m.t === 'ready');
  return { ws, next, userId: user.id };
}

describe('miniapps: the samples in development mode', () => {
  it('registers and bundles every sample once, and again only when it changed', async () => {
    await using served = await serveTestHost();
    const registry = served.host.services.apps.registry;
    const first = await loadDevApps({ registry, root: MINIAPPS });
    const todo = first.find((a) => a.appId === 'dev.atrium.todo');
    assert.ok(todo, JSON.stringify(first));
    assert.ok(todo.secret?.startsWith('as_'), 'the secret is handed out once, at registration');
    assert.ok(todo.bundleBytes > 1000 && todo.bundleBytes < 2 * 1024 * 1024);
    const again = await loadDevApps({ registry, root: MINIAPPS });
    assert.deepEqual(again.map((a) => [a.appId, a.versionCode, a.secret]), first.map((a) => [a.appId, a.versionCode, undefined]));
  });

  it('runs the Todo sample: add an item, complete it with a path update, find it in storage, navigate and go back', async () => {
    await using served = await serveTestHost();
    await loadDevApps({ registry: served.host.services.apps.registry, root: MINIAPPS });
    const ada = await socketFor(served, 'ada');
    try {
      ada.ws.send(JSON.stringify({ t: 'app.launch', id: 1, appId: 'dev.atrium.todo' }));
      const ack = await ada.next((m) => m.t === 'ack' && m.id === 1);
      assert.equal(ack.ok, true, JSON.stringify(ack));
      const session = ack.result.session;
      const { stack } = await ada.next((m) => m.t === 'app.page');
      const pageId = stack[0].pageId;
      const send = (handler: string, detail: unknown) => ada.ws.send(JSON.stringify({ t: 'app.event', session, pageId, handler, detail }));
      await ada.next((m) => m.t === 'app.patch' && JSON.stringify(m.patches).includes('0 left of 0'));

      send('typed', { value: 'Buy milk', dataset: {} });
      send('add', { dataset: {} });
      await ada.next((m) => m.t === 'app.patch' && JSON.stringify(m.patches).includes('1 left of 1'));
      send('toggle', { value: true, dataset: { index: 0 } });
      await ada.next((m) => m.t === 'app.patch' && JSON.stringify(m.patches).includes('0 left of 1'));

      const storage = served.host.services.apps.storage;
      let stored: unknown;
      for (let i = 0; i < 100; i++) {
        stored = await storage.get(ada.userId, 'dev.atrium.todo', 'todos');
        if (Array.isArray(stored) && (stored as Array<{ done: boolean }>)[0]?.done) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.deepEqual((stored as Array<{ title: string; done: boolean }>).map((t) => [t.title, t.done]), [['Buy milk', true]]);

      // Open the item (atrium.navigateTo from the app), then go back from the shell's back button.
      send('open', { dataset: { id: (stored as Array<{ id: number }>)[0]!.id } });
      const pushed = await ada.next((m) => m.t === 'app.page' && m.stack.length === 2);
      assert.equal(pushed.stack[1].route, 'pages/detail');
      await ada.next((m) => m.t === 'app.patch' && m.pageId === pushed.stack[1].pageId && JSON.stringify(m.patches).includes('Buy milk'));
      ada.ws.send(JSON.stringify({ t: 'app.back', id: 5, session }));
      await ada.next((m) => m.t === 'app.page' && m.stack.length === 1);
      ada.ws.send(JSON.stringify({ t: 'app.navigate', id: 6, session, url: 'pages/detail?id=0', openType: 'navigate' }));
      const viaNavigator = await ada.next((m) => m.t === 'app.page' && m.stack.length === 2);
      await ada.next((m) => m.t === 'app.patch' && m.pageId === viaNavigator.stack[1].pageId && JSON.stringify(m.patches).includes('no longer exists'));
    } finally {
      ada.ws.close();
    }
  });

  it('runs the Profile sample: its backend, served for its .test domain, exchanges the login code for the openid', async () => {
    await using served = await serveTestHost();
    const { registry, network, accessLog, identities } = served.host.services.apps;
    const loaded = await loadDevApps({ registry, root: MINIAPPS, backends: { network, atriumUrl: served.url } });
    assert.deepEqual(loaded.find((a) => a.appId === 'dev.atrium.profile')?.backendHosts, ['profile-backend.atrium-samples.test']);
    const ada = await socketFor(served, 'ada');
    try {
      ada.ws.send(JSON.stringify({ t: 'app.launch', id: 1, appId: 'dev.atrium.profile' }));
      const session = (await ada.next((m) => m.t === 'ack' && m.id === 1)).result.session;
      const { stack } = await ada.next((m) => m.t === 'app.page');
      ada.ws.send(JSON.stringify({ t: 'app.event', session, pageId: stack[0].pageId, handler: 'login', detail: { dataset: {} } }));
      const signedIn = await ada.next((m) => m.t === 'app.patch' && JSON.stringify(m.patches).includes('Your openid here'));
      const openid = /Your openid here: ([\w-]+)/.exec(JSON.stringify(signedIn.patches))?.[1];
      assert.equal(openid, await identities.openid('dev.atrium.profile', ada.userId));
      const log = await accessLog.list(ada.userId, 'dev.atrium.profile');
      assert.deepEqual(new Set(log.entries.map((e) => e.api)), new Set(['login', 'request']));
    } finally {
      ada.ws.close();
    }
  });

  it('re-creates a session from its last snapshot when the runtime process is replaced', async () => {
    await using served = await serveTestHost();
    await loadDevApps({ registry: served.host.services.apps.registry, root: MINIAPPS });
    const ada = await socketFor(served, 'ada');
    try {
      ada.ws.send(JSON.stringify({ t: 'app.launch', id: 1, appId: 'dev.atrium.todo' }));
      const session = (await ada.next((m) => m.t === 'ack' && m.id === 1)).result.session;
      const { stack } = await ada.next((m) => m.t === 'app.page');
      const pageId = stack[0].pageId;
      const send = (handler: string, detail: unknown) => ada.ws.send(JSON.stringify({ t: 'app.event', session, pageId, handler, detail }));
      await ada.next((m) => m.t === 'app.patch' && JSON.stringify(m.patches).includes('0 left of 0'));
      send('typed', { value: 'Unsaved draft', dataset: {} });
      await ada.next((m) => m.t === 'app.patch' && JSON.stringify(m.patches).includes('Unsaved draft'));
      await new Promise((r) => setTimeout(r, 2500)); // past the snapshot debounce

      await served.host.services.sessions.restartRuntime('test');
      // A whole tree (MOUNT) again, with the page's data as it was: the draft was never stored anywhere else.
      const remount = await ada.next((m) => m.t === 'app.patch' && m.patches[0]?.[0] === 0 && JSON.stringify(m.patches).includes('Unsaved draft'));
      assert.ok(remount);
      const restored = await ada.next((m) => m.t === 'app.page');
      send('add', { dataset: {} });
      await ada.next((m) => m.t === 'app.patch' && m.pageId === restored.stack[0].pageId && JSON.stringify(m.patches).includes('1 left of 1'));
    } finally {
      ada.ws.close();
    }
  });
});
