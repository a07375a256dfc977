import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppNetwork } from '../../../host/src/apps/network.ts';
import { createBridgeHandlers, type SessionContext } from '../../../host/src/sessions/bridge-handlers.ts';
import { Prompter } from '../../../host/src/sessions/prompter.ts';
import { startTestHost, type TestHost } from '../../helpers/host.ts';

const APP = 'dev.atrium.profile';

async function setup(t: TestHost, permissions = [{ name: 'userInfo', reason: 'To greet you by name' }]) {
  const s = t.host.services;
  await s.apps.registry.ensureDeveloper('dev_samples', 'Samples');
  const { secret } = await s.apps.registry.ensureApp({ id: APP, name: 'Profile', developerId: 'dev_samples' });
  const ada = await t.signUp('ada');
  const network = new AppNetwork();
  const prompter = new Prompter({ hub: s.hub, bus: s.bus });
  const delivered: Array<{ deviceId?: string; message: any }> = [];
  s.bus.subscribe('realtime.deliver', (e) => delivered.push(e as { deviceId?: string; message: any }));
  const ctx: SessionContext = { session: 'ses_1', userId: ada.userId, deviceId: ada.deviceId, appId: APP, appName: 'Profile', permissions, networkDomains: ['api.example.com'], pages: ['pages/index', 'pages/detail'], topPageId: () => 1, rememberTitle: () => undefined };
  const handlers = createBridgeHandlers({ context: (id) => (id === 'ses_1' ? ctx : undefined), identity: s.identity, ...s.apps, network, prompter, hub: s.hub, messages: s.messaging.messages, payments: s.wallet.appPayments });
  /** Answers the next prompt sent to ada's device. */
  const answer = async (result: Parameters<Prompter['reply']>[2]) => {
    for (let i = 0; i < 50 && !delivered.some((d) => d.message.t === 'app.prompt'); i++) await new Promise((r) => setTimeout(r, 5));
    const index = delivered.findIndex((d) => d.message.t === 'app.prompt');
    const [prompt] = delivered.splice(index, 1);
    assert.ok(prompt, 'a prompt was sent');
    assert.equal(prompt.deviceId, ada.deviceId);
    prompter.reply(prompt.message.session, prompt.message.promptId, result);
    return prompt.message;
  };
  /** The access log as [api, outcome] pairs, sorted (entries in the same millisecond have no order). */
  const log = async () => (await s.apps.accessLog.list(ada.userId, APP)).entries.map((e) => [e.api, e.outcome]).sort((a, b) => String(a).localeCompare(String(b)));
  return { s, ada, secret: secret!, handlers, answer, delivered, log, network };
}

describe('sessions: the host side of the bridge', () => {
  it('login issues a one-use code the backend exchanges, and logs it', async () => {
    await using t = await startTestHost();
    const { handlers, secret, log, network } = await setup(t);
    const res = await handlers.login('ses_1', {});
    assert.equal(res.ok, true);
    const { code } = (res as { result: { code: string } }).result;
    assert.equal((await t.call('POST', '/v1/miniapp/code2session', { json: { appId: APP, secret, code } })).status, 200);
    assert.deepEqual(await log(), [['login', 'allowed']]);
    await network.close();
  });

  it('asks for consent once, remembers it, and refuses after a deny (logged)', async () => {
    await using t = await startTestHost();
    const { handlers, answer, log, network, s, ada } = await setup(t);
    const first = handlers.getUserProfile('ses_1', {});
    const prompt = await answer({ kind: 'consent', allow: true });
    assert.deepEqual([prompt.kind, prompt.scope, prompt.reason, prompt.app.name], ['consent', 'userInfo', 'To greet you by name', 'Profile']);
    const profile = await first;
    assert.equal(profile.ok, true);
    assert.equal((profile as { result: { nickname: string } }).result.nickname, 'ADA');
    assert.equal((await handlers.getUserProfile('ses_1', {})).ok, true, 'no second prompt');

    await s.apps.consent.record(ada.userId, APP, 'userInfo', 'deny');
    const denied = await handlers.getUserProfile('ses_1', {});
    assert.deepEqual([denied.ok, (denied as { code: string }).code], [false, 'PERMISSION_DENIED']);
    assert.deepEqual(await log(), [['getUserProfile', 'allowed'], ['getUserProfile', 'allowed'], ['getUserProfile', 'denied']]);
    await network.close();
  });

  it('refuses a scope the manifest did not declare', async () => {
    await using t = await startTestHost();
    const { handlers, network } = await setup(t, []);
    const res = await handlers.getUserProfile('ses_1', {});
    assert.deepEqual([res.ok, (res as { code: string }).code], [false, 'PERMISSION_NOT_DECLARED']);
    await network.close();
  });

  it("stores per person and app, and answers the network only for the manifest's domains", async () => {
    await using t = await startTestHost();
    const { handlers, log, network } = await setup(t);
    assert.equal((await handlers['storage.set']('ses_1', { key: 'name', value: { first: 'Ada' } })).ok, true);
    assert.equal((await handlers['storage.set']('ses_1', { key: 'name', value: { first: 'Ada L.' } })).ok, true, 'a second write within the minute is not logged again');
    assert.deepEqual(await handlers['storage.get']('ses_1', { key: 'name' }), { ok: true, result: { value: { first: 'Ada L.' } } });
    assert.deepEqual(await handlers['storage.keys']('ses_1', {}), { ok: true, result: { keys: ['name'] } });
    assert.deepEqual(await handlers['storage.remove']('ses_1', { key: 'name' }), { ok: true, result: { removed: true } });
    const refused = await handlers.request('ses_1', { url: 'https://evil.example.com/x' });
    assert.deepEqual([refused.ok, (refused as { code: string }).code], [false, 'NETWORK_DOMAIN_NOT_ALLOWED']);
    assert.deepEqual(await log(), [['request', 'failed'], ['storage.set', 'allowed']]);
    await network.close();
  });

  it('shows toasts and titles on the app’s device, and refuses calls for sessions that ended', async () => {
    await using t = await startTestHost();
    const { handlers, delivered, ada, network } = await setup(t);
    await handlers.showToast('ses_1', { title: 'Saved' });
    await handlers.setNavigationBarTitle('ses_1', { title: 'Profile' });
    assert.deepEqual(
      delivered.map((d) => [d.deviceId, d.message.kind, d.message.title]),
      [
        [ada.deviceId, 'toast', 'Saved'],
        [ada.deviceId, 'title', 'Profile'],
      ],
    );
    const gone = await handlers.login('ses_gone', {});
    assert.deepEqual([gone.ok, (gone as { code: string }).code], [false, 'SESSION_NOT_FOUND']);
    await network.close();
  });
});
