import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppNetwork } from '../../../host/src/apps/network.ts';
import { createBridgeHandlers, type SessionContext } from '../../../host/src/sessions/bridge-handlers.ts';
import { Prompter } from '../../../host/src/sessions/prompter.ts';
import { BRIDGE_APIS } from '../../../sdk/src/bridge/registry.ts';
import { startTestHost, type TestHost } from '../../helpers/host.ts';
import { befriend, direct, group, ok } from '../messaging/helpers.ts';

const APP = 'dev.atrium.todo';

async function setup(t: TestHost) {
  const s = t.host.services;
  await s.apps.registry.ensureDeveloper('dev_samples', 'Samples');
  await s.apps.registry.ensureApp({ id: APP, name: 'Todo', developerId: 'dev_samples' });
  const [ada, bob, cy] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('cyd')];
  await befriend(t, ada, bob);
  await befriend(t, bob, cy);
  const network = new AppNetwork();
  const prompter = new Prompter({ hub: s.hub, bus: s.bus });
  const delivered: Array<{ deviceId?: string; message: any }> = [];
  s.bus.subscribe('realtime.deliver', (e) => delivered.push(e as { deviceId?: string; message: any }));
  const ctx: SessionContext = { session: 'ses_1', userId: ada.userId, deviceId: ada.deviceId, appId: APP, appName: 'Todo', permissions: [], networkDomains: [], pages: ['pages/index', 'pages/detail'], topPageId: () => 1, rememberTitle: () => undefined };
  const handlers = createBridgeHandlers({ context: (id) => (id === 'ses_1' ? ctx : undefined), identity: s.identity, ...s.apps, network, prompter, hub: s.hub, messages: s.messaging.messages, payments: s.wallet.appPayments });
  /** Waits for the next prompt on ada's device and answers it with `result`. */
  const answer = async (result: Parameters<Prompter['reply']>[2]) => {
    for (let i = 0; i < 100 && !delivered.some((d) => d.message.t === 'app.prompt'); i++) await new Promise((r) => setTimeout(r, 5));
    const index = delivered.findIndex((d) => d.message.t === 'app.prompt');
    assert.ok(index >= 0, 'a prompt was sent');
    const [prompt] = delivered.splice(index, 1);
    assert.equal(prompt!.deviceId, ada.deviceId);
    prompter.reply(prompt!.message.session, prompt!.message.promptId, result);
    return prompt!.message;
  };
  const log = async () => (await s.apps.accessLog.list(ada.userId, APP)).entries.map((e) => [e.api, e.outcome, e.detail]);
  return { s, ada, bob, cy, handlers, answer, delivered, log, network };
}

describe('sessions: atrium.shareToChat()', () => {
  it('sends a card to the chat the person picked; the other member sees it in history and sync, the app learns nothing of the chat', async () => {
    await using t = await startTestHost();
    const { handlers, answer, log, ada, bob, network } = await setup(t);
    const chat = await direct(t, ada, bob);
    const call = handlers.shareToChat('ses_1', { title: 'Groceries', path: '/pages/detail', query: { id: '3' }, imageUrl: 'https://cdn.example.com/g.png' });
    const prompt = await answer({ kind: 'share', conversationId: chat, clientId: 'c-1' });
    assert.deepEqual([prompt.kind, prompt.app, prompt.card], ['share', { id: APP, name: 'Todo' }, { title: 'Groceries', imageUrl: 'https://cdn.example.com/g.png' }]);
    assert.equal(JSON.stringify(prompt).includes(chat), false, 'the prompt names no conversation');
    const res = await call;
    assert.deepEqual(res, { ok: true, result: null }, 'the app gets no conversation id');

    const { messages } = ok(await t.call('GET', `/v1/conversations/${chat}/messages`, { token: bob.accessToken }));
    const card = messages.at(-1);
    assert.equal(card.kind, 'miniapp');
    assert.equal(card.senderId, ada.userId);
    assert.equal(card.text, 'Groceries');
    assert.deepEqual(card.card, { appId: APP, appName: 'Todo', title: 'Groceries', path: 'pages/detail', query: { id: '3' }, imageUrl: 'https://cdn.example.com/g.png' });
    const synced = ok(await t.call('GET', '/v1/sync?cursor=0', { token: bob.accessToken }));
    assert.ok(synced.updates.some((u: any) => u.type === 'message' && u.message.id === card.id && u.message.card?.path === 'pages/detail'), 'synced like any message');
    const found = ok(await t.call('GET', '/v1/messages/search?q=Grocer', { token: bob.accessToken }));
    assert.equal(JSON.stringify(found).includes(card.id), true, 'found by its title');

    const entries = await log();
    assert.deepEqual(entries.map(([api, outcome]) => [api, outcome]), [['shareToChat', 'allowed']]);
    assert.equal(String(entries[0]![2]).includes(chat), false, 'the log names the page, not the chat');
    await network.close();
  });

  it('is idempotent on the reply\'s client id', async () => {
    await using t = await startTestHost();
    const { handlers, answer, ada, bob, network } = await setup(t);
    const chat = await direct(t, ada, bob);
    for (let i = 0; i < 2; i++) {
      const call = handlers.shareToChat('ses_1', { title: 'Once', path: 'pages/index' });
      await answer({ kind: 'share', conversationId: chat, clientId: 'same' });
      assert.equal((await call).ok, true);
    }
    const { messages } = ok(await t.call('GET', `/v1/conversations/${chat}/messages`, { token: ada.accessToken }));
    assert.equal(messages.filter((m: any) => m.kind === 'miniapp').length, 1);
    await network.close();
  });

  it("refuses a conversation the person is not in, and a page not in the app's manifest (logged)", async () => {
    await using t = await startTestHost();
    const { handlers, answer, log, bob, cy, delivered, network } = await setup(t);
    const theirs = await group(t, bob, [cy], 'Not ada');
    const call = handlers.shareToChat('ses_1', { title: 'Sneak', path: 'pages/index' });
    await answer({ kind: 'share', conversationId: theirs, clientId: 'c-2' });
    const refused = await call;
    assert.deepEqual([refused.ok, (refused as { code: string }).code], [false, 'CONVERSATION_NOT_FOUND']);
    const { messages } = ok(await t.call('GET', `/v1/conversations/${theirs}/messages`, { token: bob.accessToken }));
    assert.equal(messages.some((m: any) => m.kind === 'miniapp'), false, 'nothing was written');

    const before = delivered.length;
    const missing = await handlers.shareToChat('ses_1', { title: 'Nope', path: 'pages/secret' });
    assert.deepEqual([missing.ok, (missing as { code: string }).code], [false, 'NOT_FOUND']);
    assert.equal(delivered.slice(before).some((d) => d.message.t === 'app.prompt'), false, 'no picker for a bad page');
    assert.deepEqual((await log()).map(([api, outcome, detail]) => [api, outcome, detail]).sort(), [['shareToChat', 'failed', 'CONVERSATION_NOT_FOUND'], ['shareToChat', 'failed', 'NOT_FOUND']]);
    await network.close();
  });

  it('rejects with CANCELLED when the person closes the picker', async () => {
    await using t = await startTestHost();
    const { handlers, answer, network } = await setup(t);
    const call = handlers.shareToChat('ses_1', { title: 'Maybe', path: 'pages/index' });
    await answer({ kind: 'share', conversationId: null, clientId: 'c-3' });
    const res = await call;
    assert.deepEqual([res.ok, (res as { code: string }).code], [false, 'CANCELLED']);
    await network.close();
  });

  it('validates its arguments: page paths without a query, https images only, a non-empty title', () => {
    const args = BRIDGE_APIS.shareToChat.args;
    assert.equal(args.safeParse({ title: 'A', path: 'pages/detail', query: { id: '3' }, imageUrl: 'https://example.com/a.png' }).success, true);
    for (const bad of [
      { title: 'A', path: 'pages/detail?id=3' },
      { title: 'A', path: '../etc' },
      { title: ' ', path: 'pages/index' },
      { title: 'A', path: 'pages/index', imageUrl: 'http://example.com/a.png' },
      { title: 'A', path: 'pages/index', imageUrl: 'javascript:alert(1)' },
      { title: 'A', path: 'pages/index', conversationId: 'cnv_1' },
    ]) {
      assert.equal(args.safeParse(bad).success, false, JSON.stringify(bad));
    }
  });
});
