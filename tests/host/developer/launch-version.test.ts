/**
 * Launch picks the right version per person: the release (and rollout bucket), or a preview link's version
 * for members and testers; running sessions keep their version and the next launch gets the new one.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { bundleMiniApp } from '../../../host/src/apps/dev-loader.ts';
import type { Manifest } from '../../../sdk/src/manifest.ts';
import { serveTestHost, type ServedHost } from '../../helpers/browser.ts';

const TODO = fileURLToPath(new URL('../../../miniapps/todo', import.meta.url));
const APP = 'dev.example.todo';

async function signUp(served: ServedHost, handle: string): Promise<{ userId: string; launch: (extra?: Record<string, string>) => Promise<any>; close: () => void }> {
  const res = await fetch(`${served.url}/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ handle, displayName: handle, password: 'correct horse battery' }) });
  const { accessToken, user } = (await res.json()) as { accessToken: string; user: { id: string } };
  const ws = new WebSocket(`${served.url.replace('http', 'ws')}/v1/ws`);
  const acks = new Map<number, (m: any) => void>();
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    if ((m.t === 'ack' || m.t === 'ready') && acks.has(m.id ?? 0)) acks.get(m.id ?? 0)!(m);
  });
  await once(ws, 'open');
  const ready = new Promise((resolve) => acks.set(0, resolve));
  ws.send(JSON.stringify({ t: 'auth', token: accessToken }));
  await ready;
  let id = 1;
  return {
    userId: user.id,
    launch: (extra = {}) => {
      const n = id++;
      const answer = new Promise((resolve) => acks.set(n, resolve));
      ws.send(JSON.stringify({ t: 'app.launch', id: n, appId: APP, ...extra }));
      return answer;
    },
    close: () => ws.close(),
  };
}

describe('developer platform: the version a launch gets', () => {
  it('launches the released version, the new one after a release, and a preview only for members and testers', async () => {
    await using served = await serveTestHost();
    const d = served.host.services.developer;
    const base = JSON.parse(readFileSync(`${TODO}/manifest.json`, 'utf8')) as Manifest;
    const ada = await signUp(served, 'ada');
    const rev = await signUp(served, 'rev');
    const tess = await signUp(served, 'tess');
    const eve = await signUp(served, 'eve');
    try {
      await d.apps.enable(ada.userId, 'Ada Labs');
      await d.apps.create({ userId: ada.userId }, { appId: APP, name: 'Todo copy' });
      await d.members.set({ userId: ada.userId }, APP, 'tess', 'tester');
      await d.members.grantReviewer(rev.userId);
      const publish = async (code: number, release: boolean): Promise<void> => {
        const manifest: Manifest = { ...base, app_id: APP, version: { name: `${code}.0.0`, code } };
        const bundle = await bundleMiniApp(TODO, manifest);
        await d.versions.upload({ userId: ada.userId }, APP, { manifest, bundle, bytes: Buffer.from(bundle) });
        if (!release) return;
        await d.versions.submit({ userId: ada.userId }, APP, code);
        await d.versions.approve({ userId: rev.userId }, APP, code);
        await d.releases.release({ userId: ada.userId }, APP, code, 100);
      };

      const before = await eve.launch();
      assert.equal(before.error?.code, 'APP_NOT_RELEASED');
      await publish(1, true);
      const first = await ada.launch();
      assert.equal(first.result.app.version, '1.0.0');
      await publish(2, true);
      assert.equal((await eve.launch()).result.app.version, '2.0.0', 'the next launch gets the new version');

      await publish(3, false);
      const { token } = await d.previews.create({ userId: ada.userId }, APP, 3);
      assert.equal((await tess.launch({ preview: token })).result.app.version, '3.0.0');
      assert.equal((await eve.launch({ preview: token })).error?.code, 'APP_ROLE_REQUIRED');
      assert.equal((await eve.launch()).result.app.version, '2.0.0');

      await d.releases.rollback({ userId: ada.userId }, APP, 1);
      assert.equal((await ada.launch()).result.app.version, '1.0.0');
    } finally {
      for (const p of [ada, rev, tess, eve]) p.close();
    }
  });
});
