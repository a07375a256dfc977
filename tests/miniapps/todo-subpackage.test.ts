/**
 * The Todo sample's `stats` sub-package, loaded lazily: a launch that never opens a Stats page never fetches or
 * compiles its code; the first navigation to it fetches it once for the session and runs it in the session's
 * isolate; later visits reuse it. Observed through the host's fetch log and the runtime's counters.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { loadDevApp } from '../../host/src/apps/dev-loader.ts';
import { serveTestHost, type ServedHost } from '../helpers/browser.ts';

const TODO = fileURLToPath(new URL('../../miniapps/todo', import.meta.url));

async function socketFor(served: ServedHost, handle: string) {
  const res = await fetch(`${served.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle, displayName: handle, password: 'correct horse battery' }) });
  const { accessToken } = (await res.json()) as { accessToken: string };
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
      const timer = setTimeout(() => reject(new Error(`timed out; inbox: ${JSON.stringify(inbox).slice(0, 800)}`)), 15_000);
      waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  };
  ws.send(JSON.stringify({ t: 'auth', token: accessToken }));
  await next((m) => m.t === 'ready');
  return { ws, next };
}

const patched = (text: string) => (m: any) => m.t === 'app.patch' && JSON.stringify(m.patches).includes(text);

describe('miniapps: Todo with a lazily loaded sub-package', () => {
  it('fetches and runs the stats sub-package only on the first visit to one of its pages, once per session', async () => {
    await using served = await serveTestHost();
    const { sessions } = served.host.services;
    await loadDevApp(TODO, { registry: served.host.services.apps.registry });
    const ada = await socketFor(served, 'ada');
    try {
      ada.ws.send(JSON.stringify({ t: 'app.launch', id: 1, appId: 'dev.atrium.todo' }));
      const ack = await ada.next((m) => m.t === 'ack' && m.id === 1);
      assert.equal(ack.ok, true, JSON.stringify(ack));
      const session: string = ack.result.session;
      const home = (await ada.next((m) => m.t === 'app.page')).stack[0].pageId;
      await ada.next(patched('0 left of 0'));
      const send = (pageId: number, handler: string, detail: unknown) => ada.ws.send(JSON.stringify({ t: 'app.event', session, pageId, handler, detail }));
      send(home, 'typed', { value: 'Write the report', dataset: {} });
      send(home, 'add', { dataset: {} });
      await ada.next(patched('1 left of 1'));

      // Working in the main package loads nothing else.
      assert.deepEqual(sessions.subpackageFetches(session), []);
      assert.equal((await sessions.runtimeStats())?.subpackageLoads, 0);

      // The first visit (a navigator tap) fetches the sub-package and runs it in the session's isolate.
      ada.ws.send(JSON.stringify({ t: 'app.navigate', id: 2, session, url: '/stats/pages/index', openType: 'navigate' }));
      const opened = await ada.next((m) => m.t === 'app.page' && m.stack.length === 2);
      assert.equal(opened.stack[1].route, 'stats/pages/index');
      const stats = opened.stack[1].pageId;
      await ada.next((m) => patched('Stats: 0 of 1 done (0%)')(m) && m.pageId === stats);
      assert.deepEqual(sessions.subpackageFetches(session), ['stats']);
      assert.equal((await sessions.runtimeStats())?.subpackageLoads, 1);

      // Its page uses the SDK from its own bundle: storage, setData and a toast reach the same app.
      send(stats, 'completeAll', { dataset: {} });
      await ada.next((m) => patched('Stats: 1 of 1 done (100%)')(m) && m.pageId === stats);
      await ada.next((m) => m.t === 'app.ui' && m.kind === 'toast' && m.title === 'All done');

      // Back, and there again (redirect too): the code already runs in the isolate; nothing is fetched again.
      ada.ws.send(JSON.stringify({ t: 'app.back', id: 3, session }));
      await ada.next((m) => m.t === 'app.page' && m.stack.length === 1);
      await ada.next((m) => patched('0 left of 1')(m) && m.pageId === home);
      ada.ws.send(JSON.stringify({ t: 'app.navigate', id: 4, session, url: '/stats/pages/index', openType: 'redirect' }));
      const again = await ada.next((m) => m.t === 'app.page' && m.stack[0]?.route === 'stats/pages/index');
      await ada.next((m) => patched('Stats: 1 of 1 done (100%)')(m) && m.pageId === again.stack[0].pageId);
      assert.deepEqual(sessions.subpackageFetches(session), ['stats']);
      assert.equal((await sessions.runtimeStats())?.subpackageLoads, 1);

      // A launch link straight to a sub-package page loads it for that new session, before the page opens.
      ada.ws.send(JSON.stringify({ t: 'app.launch', id: 5, appId: 'dev.atrium.todo', path: 'stats/pages/index' }));
      const linked = await ada.next((m) => m.t === 'ack' && m.id === 5);
      assert.equal(linked.ok, true, JSON.stringify(linked));
      const linkedStack = await ada.next((m) => m.t === 'app.page' && m.session === linked.result.session);
      assert.deepEqual(linkedStack.stack.map((p: { route: string }) => p.route), ['stats/pages/index']);
      await ada.next((m) => patched('Stats: 1 of 1 done (100%)')(m) && m.session === linked.result.session);
      assert.deepEqual(sessions.subpackageFetches(linked.result.session), ['stats']);
      assert.equal((await sessions.runtimeStats())?.subpackageLoads, 2);

      // And a launch that stays in the main package fetches nothing.
      ada.ws.send(JSON.stringify({ t: 'app.launch', id: 6, appId: 'dev.atrium.todo' }));
      const plain = await ada.next((m) => m.t === 'ack' && m.id === 6);
      await ada.next((m) => patched('0 left of 1')(m) && m.session === plain.result.session);
      assert.deepEqual(sessions.subpackageFetches(plain.result.session), []);
      assert.equal((await sessions.runtimeStats())?.subpackageLoads, 2);
    } finally {
      ada.ws.close();
    }
  });
});
