/**
 * Browser test of mini-app cards: Ada shares a Todo item from the app (`atrium.shareToChat()`) by picking her chat
 * with Bob in the shell's sheet; the card appears in Bob's chat, live, and tapping it opens the Todo app at the
 * shared page with its query, where Bob adds the item to his own list.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadDevApps } from '../../host/src/apps/dev-loader.ts';
import { apiCall, browserSkip, launchBrowser, serveTestHost, signInPage, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

const MINIAPPS = fileURLToPath(new URL('../../miniapps', import.meta.url));

describe('shell: mini-app cards in chat', () => {
  let served: ServedHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost();
    const { registry, network } = served.host.services.apps;
    await loadDevApps({ registry, root: MINIAPPS, backends: { network, atriumUrl: served.url } });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await served?.[Symbol.asyncDispose]();
  });

  it('shares a Todo item to a chat; the other person taps the card and the app opens at that page', { skip: browserSkip }, async () => {
    const ada = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'ada', displayName: 'Ada Lovelace', password: TEST_PASSWORD });
    const bob = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'bob', displayName: 'Bob Babbage', password: TEST_PASSWORD });
    const asked = await apiCall(served, 'POST', '/v1/contacts/requests', ada.accessToken, { handle: 'bob' });
    await apiCall(served, 'POST', `/v1/contacts/requests/${asked.id}/accept`, bob.accessToken);
    const chat = await apiCall(served, 'POST', '/v1/conversations/direct', ada.accessToken, { userId: bob.user.id });

    const problems: string[] = [];
    const open = async (): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 420, height: 860 }, locale: 'en-US' });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) problems.push(message.text());
      });
      return page;
    };
    const [adaPage, bobPage] = [await open(), await open()];
    await signInPage(adaPage, served.url, 'ada');
    await signInPage(bobPage, served.url, 'bob');
    await bobPage.goto(`${served.url}/chats/${chat.id}`);
    await bobPage.getByTestId('chat-input').waitFor();

    await adaPage.goto(`${served.url}/a/dev.atrium.todo`);
    await adaPage.getByTestId('miniapp-view').waitFor();
    await adaPage.locator('.mp-input').pressSequentially('Buy oat milk', { delay: 20 });
    await adaPage.getByRole('button', { name: 'Add', exact: true }).click();
    await adaPage.getByText('1 left of 1').waitFor();
    await adaPage.getByRole('button', { name: 'Details' }).click();
    await adaPage.locator('[data-testid="miniapp-view"][data-route="pages/detail"]').waitFor();
    await adaPage.getByRole('button', { name: 'Share to a chat' }).click();

    const sheet = adaPage.getByTestId('share-sheet');
    await sheet.getByTestId('mp-card-title').filter({ hasText: 'Buy oat milk' }).waitFor();
    await sheet.getByTestId('share-chat').filter({ hasText: 'Bob Babbage' }).click();
    await sheet.getByTestId('share-send').click();
    await adaPage.getByTestId('miniapp-toast').filter({ hasText: 'Shared' }).waitFor();

    // Live in Bob's open chat, then a tap opens the app at the shared page with its query.
    const card = bobPage.getByTestId('chat-card').filter({ hasText: 'Buy oat milk' });
    await card.waitFor();
    assert.match((await card.textContent()) ?? '', /Todo/, 'the card names the app');
    const href = await card.getAttribute('href');
    assert.match(href ?? '', /^\/a\/dev\.atrium\.todo\/pages\/detail\?id=\d+&title=Buy\+oat\+milk$/);
    await card.click();
    await bobPage.locator('[data-testid="miniapp-view"][data-route="pages/detail"]').waitFor();
    await bobPage.getByText('Shared with you: Buy oat milk').waitFor();
    await bobPage.getByRole('button', { name: 'Add to my list' }).click();
    await bobPage.getByTestId('miniapp-title').filter({ hasText: 'Todo' }).waitFor();
    await bobPage.getByText('Buy oat milk').first().waitFor();

    // Ada's access log for the app shows the share.
    const log = await apiCall(served, 'GET', '/v1/apps/dev.atrium.todo/access-log', ada.accessToken);
    assert.ok(log.entries.some((e: { api: string; outcome: string }) => e.api === 'shareToChat' && e.outcome === 'allowed'), JSON.stringify(log));
    assert.deepEqual(problems, [], 'no script errors and no CSP violations');
  });
});
