/**
 * A mini-app session end to end on the host: a real socket, the real runtime child process, a small guest
 * bundle speaking the prelude protocol (what the SDK's guest framework produces), host bridge calls.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { serveTestHost, type ServedHost } from '../../helpers/browser.ts';

const APP = 'dev.test.counter';

/** A counter page: `+` increments and stores the count through the bridge. */
const GUEST = `
const pages = {};
const view = (id) => ({ type: 'view', props: {}, children: [
  { type: 'text', props: {}, children: ['Count: ' + pages[id].count] },
  { type: 'button', props: { onTap: 'inc' }, children: ['+'] },
] });
let nextCall = 1;
globalThis.__atriumRegister((raw) => {
  const msg = JSON.parse(raw);
  const out = { ok: true, renders: [], calls: [] };
  if (msg.t === 'page' && msg.hook === 'load') { pages[msg.pageId] = { count: 0 }; out.renders.push({ pageId: msg.pageId, tree: view(msg.pageId) }); }
  if (msg.t === 'event' && msg.handler === 'inc') {
    pages[msg.pageId].count += 1;
    out.renders.push({ pageId: msg.pageId, tree: view(msg.pageId) });
    out.calls.push({ id: nextCall++, api: 'storage.set', args: { key: 'count', value: pages[msg.pageId].count } });
  }
  return JSON.stringify(out);
});
`;

async function signUp(served: ServedHost, handle: string): Promise<{ accessToken: string; userId: string }> {
  const res = await fetch(`${served.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle, displayName: handle, password: 'correct horse battery' }) });
  const body = (await res.json()) as { accessToken: string; user: { id: string } };
  return { accessToken: body.accessToken, userId: body.user.id };
}

async function socket(served: ServedHost, token: string) {
  const ws = new WebSocket(`${served.url.replace('http', 'ws')}/v1/ws`);
  const received: any[] = [];
  const waiters: Array<{ match: (m: any) => boolean; resolve: (m: any) => void }> = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    const i = waiters.findIndex((w) => w.match(m));
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
    else received.push(m);
  });
  await once(ws, 'open');
  const next = (match: (m: any) => boolean, ms = 10_000): Promise<any> => {
    const i = received.findIndex(match);
    if (i >= 0) return Promise.resolve(received.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a message')), ms);
      waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  };
  ws.send(JSON.stringify({ t: 'auth', id: 0, token }));
  await next((m) => m.t === 'ready');
  return { ws, next };
}

describe('sessions: launching a mini-app through the device socket', () => {
  it('launches, renders, handles a tap, stores through the bridge, and refuses other people', async () => {
    await using served = await serveTestHost();
    const { registry, storage } = served.host.services.apps;
    await registry.ensureDeveloper('dev_test', 'Tests');
    await registry.ensureApp({ id: APP, name: 'Counter', developerId: 'dev_test' });
    await registry.addVersion({ appId: APP, versionCode: 1, versionName: '1.0.0', manifest: { app_id: APP, name: 'Counter', version: { name: '1.0.0', code: 1 }, pages: ['pages/index'] }, bundle: GUEST, channel: 'development' });
    const ada = await signUp(served, 'ada');
    const eve = await signUp(served, 'eve');
    const a = await socket(served, ada.accessToken);
    try {
      a.ws.send(JSON.stringify({ t: 'app.launch', id: 1, appId: APP }));
      const ack = await a.next((m) => m.t === 'ack' && m.id === 1, 30_000);
      assert.equal(ack.ok, true, JSON.stringify(ack));
      const session = ack.result.session as string;
      assert.equal(ack.result.app.name, 'Counter');
      const page = await a.next((m) => m.t === 'app.page');
      const pageId = page.stack[0].pageId as number;
      assert.equal(page.stack[0].route, 'pages/index');
      const mount = await a.next((m) => m.t === 'app.patch');
      assert.match(JSON.stringify(mount.patches), /Count: 0/);

      a.ws.send(JSON.stringify({ t: 'app.event', id: 2, session, pageId, handler: 'inc', detail: {} }));
      const update = await a.next((m) => m.t === 'app.patch');
      assert.match(JSON.stringify(update.patches), /Count: 1/);
      for (let i = 0; i < 100 && (await storage.get(ada.userId, APP, 'count')) === undefined; i++) await new Promise((r) => setTimeout(r, 20));
      assert.equal(await storage.get(ada.userId, APP, 'count'), 1);

      a.ws.send(JSON.stringify({ t: 'app.event', id: 3, session, pageId, handler: 'notAHandler', detail: {} }));
      const refused = await a.next((m) => m.t === 'ack' && m.id === 3);
      assert.equal(refused.ok, false);

      const e = await socket(served, eve.accessToken);
      e.ws.send(JSON.stringify({ t: 'app.event', id: 4, session, pageId, handler: 'inc', detail: {} }));
      const notHers = await e.next((m) => m.t === 'ack' && m.id === 4);
      assert.deepEqual([notHers.ok, notHers.error.code], [false, 'SESSION_NOT_FOUND']);
      e.ws.close();
    } finally {
      a.ws.close();
    }
  });

  it('keeps at most 10 apps running per person: an 11th launch closes the oldest', async () => {
    await using served = await serveTestHost();
    const { registry } = served.host.services.apps;
    await registry.ensureDeveloper('dev_test', 'Tests');
    await registry.ensureApp({ id: APP, name: 'Counter', developerId: 'dev_test' });
    await registry.addVersion({ appId: APP, versionCode: 1, versionName: '1.0.0', manifest: { app_id: APP, name: 'Counter', version: { name: '1.0.0', code: 1 }, pages: ['pages/index'] }, bundle: GUEST, channel: 'development' });
    const ada = await signUp(served, 'ada');
    const a = await socket(served, ada.accessToken);
    try {
      const sessions: string[] = [];
      for (let i = 1; i <= 11; i++) {
        a.ws.send(JSON.stringify({ t: 'app.launch', id: i, appId: APP }));
        sessions.push((await a.next((m) => m.t === 'ack' && m.id === i, 30_000)).result.session);
      }
      const closed = await a.next((m) => m.t === 'app.crashed');
      assert.deepEqual([closed.session, closed.code], [sessions[0], 'SESSION_CLOSED']);
      a.ws.send(JSON.stringify({ t: 'app.event', id: 99, session: sessions[0], pageId: 1, handler: 'inc', detail: {} }));
      assert.equal((await a.next((m) => m.t === 'ack' && m.id === 99)).error.code, 'SESSION_NOT_FOUND');
    } finally {
      a.ws.close();
    }
  });
});
