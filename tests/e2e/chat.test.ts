/**
 * Browser test of chat: two people who are contacts, each in their own browser; one opens the chat from
 * Contacts and writes, the other sees it in Chats with an unread badge, opens it and answers, and the answer
 * appears live in the first browser (pushed over the device WebSocket, no reload); typing shows on the other
 * side, and a photo sent from one browser appears as a thumbnail in both.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { apiCall, browserSkip, launchBrowser, serveTestHost, signInPage, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

describe('shell: chat in a real browser', () => {
  let served: ServedHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost();
    browser = await launchBrowser();
  });
  after(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await served?.[Symbol.asyncDispose]();
  });

  it('two contacts chat, with unread badges and live delivery', { skip: browserSkip }, async () => {
    const ada = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'ada', displayName: 'Ada Lovelace', password: TEST_PASSWORD });
    const bob = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'bob', displayName: 'Bob Babbage', password: TEST_PASSWORD });
    const asked = await apiCall(served, 'POST', '/v1/contacts/requests', ada.accessToken, { handle: 'bob' });
    await apiCall(served, 'POST', `/v1/contacts/requests/${asked.id}/accept`, bob.accessToken);

    const open = async (): Promise<Page> => {
      const context = await browser.newContext({ locale: 'en-US' });
      contexts.push(context);
      return context.newPage();
    };
    const [adaPage, bobPage] = [await open(), await open()];
    await signInPage(adaPage, served.url, 'ada');
    await signInPage(bobPage, served.url, 'bob');

    await adaPage.goto(`${served.url}/contacts`);
    await adaPage.locator('[data-testid="contact-row"][data-handle="bob"]').getByTestId('contact-chat').click();
    await adaPage.waitForURL(/\/chats\/cnv_/);
    await adaPage.getByTestId('chat-input').fill('Hello Bob, shall we compute?');
    await adaPage.getByTestId('chat-send').click();
    await adaPage.getByTestId('chat-message').filter({ hasText: 'Hello Bob, shall we compute?' }).waitFor();

    await bobPage.goto(`${served.url}/chats`);
    const row = bobPage.getByTestId('chat-row').filter({ hasText: 'Ada Lovelace' });
    await row.getByTestId('chat-last').filter({ hasText: 'Hello Bob, shall we compute?' }).waitFor();
    await row.getByTestId('chat-unread').filter({ hasText: '1' }).waitFor();
    await row.click();
    await bobPage.getByTestId('chat-message').filter({ hasText: 'Hello Bob, shall we compute?' }).waitFor();
    // bob has it on screen: ada's 1:1 chat says it was read, live
    await adaPage.getByTestId('chat-message').filter({ hasText: 'Hello Bob, shall we compute?' }).getByTestId('chat-read').waitFor();
    await bobPage.getByTestId('chat-input').fill('Gladly, Ada.');
    await bobPage.getByTestId('chat-send').click();

    await adaPage.getByTestId('chat-message').filter({ hasText: 'Gladly, Ada.' }).waitFor(); // pushed, no reload

    // A message recalled by its sender turns into a notice for both.
    await adaPage.getByTestId('chat-input').fill('Oops, wrong chat');
    await adaPage.getByTestId('chat-send').click();
    await bobPage.getByTestId('chat-message').filter({ hasText: 'Oops, wrong chat' }).waitFor();
    await adaPage.getByTestId('chat-message').filter({ hasText: 'Oops, wrong chat' }).getByTestId('chat-recall').click();
    for (const page of [adaPage, bobPage]) {
      await page.getByTestId('chat-notice').filter({ hasText: 'A message was recalled' }).waitFor();
      await page.getByTestId('chat-message').filter({ hasText: 'Oops, wrong chat' }).waitFor({ state: 'detached' });
    }

    // Typing reaches bob's open chat. It is passed on at most every 2 s per person and chat (ada typed her first
    // message moments ago), so keep typing until it shows.
    await bobPage.waitForFunction(() => !document.querySelector('[data-testid="chat-typing"]'));
    for (let i = 0; ; i++) {
      await adaPage.getByTestId('chat-input').fill(`the engine${'.'.repeat(i)}`);
      const shown = await bobPage.getByTestId('chat-typing').waitFor({ timeout: 1000 }).then(() => true, () => false);
      if (shown) break;
      if (i === 5) throw new Error('the typing indicator never showed');
    }
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a7' } }).png().toBuffer();
    await adaPage.getByTestId('chat-file').setInputFiles({ name: 'engine.png', mimeType: 'image/png', buffer: png });
    // A preview first: the picture from the file itself, a caption, then Send.
    await adaPage.waitForFunction(() => ((document.querySelector('[data-testid="photo-preview-image"]') as HTMLImageElement | null)?.naturalWidth ?? 0) === 640);
    await adaPage.getByTestId('photo-caption').fill('The engine');
    await adaPage.getByTestId('photo-send').click();
    await adaPage.getByTestId('photo-preview').waitFor({ state: 'detached' });
    for (const page of [adaPage, bobPage]) {
      const image = page.getByTestId('chat-image');
      await image.waitFor();
      await page.waitForFunction(() => (document.querySelector('[data-testid="chat-image"]') as HTMLImageElement | null)?.naturalWidth === 320);
    }
    await bobPage.goto(`${served.url}/chats`);
    await bobPage.getByTestId('chat-row').filter({ hasText: '[Photo] The engine' }).waitFor(); // read while open: no badge
    await bobPage.getByTestId('chat-unread').waitFor({ state: 'detached' });

    await bobPage.getByTestId('chat-search').fill('compute');
    await bobPage.getByTestId('chat-result').filter({ hasText: 'Hello Bob, shall we compute?' }).click();
    await bobPage.waitForURL(/\/chats\/cnv_/);

    // A 1:1 chat can be muted too, for oneself only.
    await bobPage.getByTestId('chat-mute').check();
    await bobPage.waitForFunction(() => (document.querySelector('[data-testid="chat-mute"]') as HTMLInputElement | null)?.disabled === false);
    const chatId = bobPage.url().split('/').pop() ?? '';
    assert.equal((await apiCall(served, 'GET', `/v1/conversations/${chatId}`, bob.accessToken)).muted, true);
    assert.equal((await apiCall(served, 'GET', `/v1/conversations/${chatId}`, ada.accessToken)).muted, false);
  });

  it('makes a group from contacts, shows who wrote what, and lets someone join by the invite link', { skip: browserSkip }, async () => {
    const people: Record<string, { accessToken: string }> = {};
    for (const [handle, displayName] of [['cyd', 'Cyd Charisse'], ['dan', 'Dan Dare'], ['eve', 'Eve Online']] as const) {
      people[handle] = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle, displayName, password: TEST_PASSWORD });
    }
    const asked = await apiCall(served, 'POST', '/v1/contacts/requests', people.cyd?.accessToken, { handle: 'dan' });
    await apiCall(served, 'POST', `/v1/contacts/requests/${asked.id}/accept`, people.dan?.accessToken);
    const open = async (handle: string): Promise<Page> => {
      const context = await browser.newContext({ locale: 'en-US' });
      contexts.push(context);
      const page = await context.newPage();
      await signInPage(page, served.url, handle);
      return page;
    };
    const [cyd, dan, eve] = [await open('cyd'), await open('dan'), await open('eve')];

    await cyd.goto(`${served.url}/chats`);
    await cyd.getByTestId('new-group-open').click();
    await cyd.getByTestId('group-name').fill('Analytical Engine');
    await cyd.locator('[data-testid="group-member"][data-handle="dan"]').check();
    await cyd.getByTestId('group-create').click();
    await cyd.waitForURL(/\/chats\/cnv_/);
    const conversationId = cyd.url().split('/').pop() ?? '';
    await cyd.getByTestId('chat-input').fill('First meeting on Monday');
    await cyd.getByTestId('chat-send').click();
    await cyd.getByTestId('chat-message').filter({ hasText: 'First meeting on Monday' }).waitFor();

    await dan.goto(`${served.url}/chats`);
    await dan.getByTestId('chat-row').filter({ hasText: 'Analytical Engine' }).click();
    const message = dan.getByTestId('chat-message').filter({ hasText: 'First meeting on Monday' });
    await message.getByTestId('chat-sender').filter({ hasText: 'Cyd Charisse' }).waitFor();

    await cyd.getByTestId('group-info-open').click();
    await cyd.locator('[data-testid="group-member-row"][data-handle="dan"]').filter({ hasText: 'Member' }).waitFor();
    await cyd.getByTestId('group-invite').click();
    await cyd.getByTestId('group-invite-qr').waitFor();
    const link = (await cyd.getByTestId('group-invite-link').getAttribute('href')) ?? '';
    assert.match(link, /\/j\/inv_/);
    await eve.goto(link);
    await eve.getByTestId('join-group').filter({ hasText: 'Analytical Engine' }).waitFor();
    await eve.getByTestId('join-submit').click();
    await eve.waitForURL(new RegExp(`/chats/${conversationId}$`));
    await dan.getByTestId('chat-input').fill('Welcome, Eve');
    await dan.getByTestId('chat-send').click();
    await eve.getByTestId('chat-message').filter({ hasText: 'Welcome, Eve' }).getByTestId('chat-sender').filter({ hasText: 'Dan Dare' }).waitFor();
    const history = await eve.getByTestId('chat-message').allTextContents();
    assert.ok(!history.some((text) => text.includes('First meeting')), 'a newcomer sees the group from when they joined');

    await dan.getByTestId('group-info-open').click();
    await dan.getByTestId('group-leave').click();
    await dan.getByTestId('group-leave').click(); // confirm
    await dan.waitForURL(/\/chats$/);
    await dan.getByTestId('chat-list').waitFor();
    await dan.getByTestId('chat-row').filter({ hasText: 'Analytical Engine' }).waitFor({ state: 'detached' });
  });

  it('lets the owner make an admin and edit the announcement, and each member mute the group for themselves', { skip: browserSkip }, async () => {
    const fay = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'fay', displayName: 'Fay Wray', password: TEST_PASSWORD });
    const gus = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'gus', displayName: 'Gus Grissom', password: TEST_PASSWORD });
    const asked = await apiCall(served, 'POST', '/v1/contacts/requests', fay.accessToken, { handle: 'gus' });
    await apiCall(served, 'POST', `/v1/contacts/requests/${asked.id}/accept`, gus.accessToken);
    const created = await apiCall(served, 'POST', '/v1/conversations', fay.accessToken, { name: 'Moon Club', memberIds: [gus.user.id] });
    const open = async (handle: string): Promise<Page> => {
      const context = await browser.newContext({ locale: 'en-US' });
      contexts.push(context);
      const page = await context.newPage();
      await signInPage(page, served.url, handle);
      return page;
    };
    const [fayPage, gusPage] = [await open('fay'), await open('gus')];

    await fayPage.goto(`${served.url}/chats/${created.id}`);
    await fayPage.getByTestId('group-info-open').click();
    const gusRow = fayPage.locator('[data-testid="group-member-row"][data-handle="gus"]');
    await gusRow.getByTestId('group-role').filter({ hasText: 'Make admin' }).click();
    await gusRow.filter({ hasText: 'Admin' }).getByTestId('group-role').filter({ hasText: 'Remove admin' }).waitFor();

    await fayPage.getByTestId('group-announcement-edit').click();
    await fayPage.getByTestId('group-announcement-input').fill('Bring your own rocket');
    await fayPage.getByTestId('group-announcement-save').click();
    await fayPage.getByTestId('group-announcement').filter({ hasText: 'Bring your own rocket' }).waitFor();

    await gusPage.goto(`${served.url}/chats/${created.id}`);
    await gusPage.getByTestId('group-info-open').click();
    await gusPage.getByTestId('group-announcement').filter({ hasText: 'Bring your own rocket' }).waitFor();
    await gusPage.getByTestId('group-announcement-edit').waitFor(); // an admin now: may edit it too
    assert.equal(await gusPage.getByTestId('group-mute').isChecked(), false);
    await gusPage.getByTestId('group-mute').check();
    await gusPage.waitForFunction(() => (document.querySelector('[data-testid="group-mute"]') as HTMLInputElement | null)?.disabled === false);
    await gusPage.reload();
    await gusPage.getByTestId('group-info-open').click();
    await gusPage.waitForFunction(() => (document.querySelector('[data-testid="group-mute"]') as HTMLInputElement | null)?.checked === true);
    assert.equal((await apiCall(served, 'GET', `/v1/conversations/${created.id}`, gus.accessToken)).muted, true);
    assert.equal((await apiCall(served, 'GET', `/v1/conversations/${created.id}`, fay.accessToken)).muted, false, 'muting is for oneself');
    await gusPage.goto(`${served.url}/chats`); // away from the chat, so the next message stays unread
    await gusPage.getByTestId('chat-row').filter({ hasText: 'Moon Club' }).getByTestId('chat-muted').waitFor();
    await fayPage.getByTestId('chat-input').fill('Launch at dawn');
    await fayPage.getByTestId('chat-send').click();
    await fayPage.getByTestId('chat-message').filter({ hasText: 'Launch at dawn' }).waitFor();
    await gusPage.reload();
    await gusPage.getByTestId('chat-row').filter({ hasText: 'Launch at dawn' }).locator('[data-testid="chat-unread"][data-muted="true"]').waitFor();
  });
});
