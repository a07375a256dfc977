/**
 * Browser test of money in chat: three people in a group, each in their own browser. ada sends a red packet of
 * two shares from the "+" actions (amount, shares, PIN); bob and cyd see it arrive live, open it and see their
 * amounts; the details show both shares, summing to the total. Then ada sends bob a transfer in their 1:1 chat,
 * bob accepts it, and both bubbles turn to "Accepted" (pushed as a state update, no reload).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiCall, browserSkip, launchBrowser, serveTestHost, signInPage, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

const PIN = '480915';

/** `CN¥4.21` → 421. */
const minor = (text: string): number => {
  const match = /(\d+)\.(\d{2})/.exec(text);
  assert.ok(match, `no amount in ${JSON.stringify(text)}`);
  return Number(match[1]) * 100 + Number(match[2]);
};

describe('shell: red packets and transfers in a real browser', () => {
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

  it('a red packet of 2 shares opened by two group members, and a 1:1 transfer accepted', { skip: browserSkip }, async () => {
    const signUp = (handle: string, displayName: string) => apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle, displayName, password: TEST_PASSWORD });
    const ada = await signUp('ada', 'Ada Lovelace');
    const bob = await signUp('bob', 'Bob Babbage');
    const cyd = await signUp('cyd', 'Cyd Charisse');
    for (const other of [bob, cyd]) {
      const asked = await apiCall(served, 'POST', '/v1/contacts/requests', ada.accessToken, { handle: other.user.handle });
      await apiCall(served, 'POST', `/v1/contacts/requests/${asked.id}/accept`, other.accessToken);
    }
    await apiCall(served, 'PUT', '/v1/wallet/pin', ada.accessToken, { pin: PIN });
    const topUp = await fetch(`${served.url}/v1/wallet/topups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.accessToken}`, 'idempotency-key': randomUUID() },
      body: JSON.stringify({ amount: 10_000, currency: 'CNY', card: { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' } }),
    });
    assert.equal(topUp.status, 201, await topUp.text());
    const groupId = (await apiCall(served, 'POST', '/v1/conversations', ada.accessToken, { name: 'New Year', memberIds: [bob.user.id, cyd.user.id] })).id;

    const open = async (handle: string): Promise<Page> => {
      const context = await browser.newContext({ locale: 'en-US' });
      contexts.push(context);
      const page = await context.newPage();
      await signInPage(page, served.url, handle);
      await page.goto(`${served.url}/chats/${groupId}`);
      await page.getByTestId('chat-input').waitFor();
      return page;
    };
    const [adaPage, bobPage, cydPage] = [await open('ada'), await open('bob'), await open('cyd')];

    // ada sends 8.88 in 2 random shares.
    await adaPage.getByTestId('chat-more').click();
    await adaPage.getByTestId('chat-action-redpacket').click();
    await adaPage.getByTestId('money-shares').fill('2');
    await adaPage.getByTestId('money-amount').fill('8.88');
    await adaPage.getByTestId('money-note').fill('Happy New Year');
    await adaPage.getByTestId('money-pin').fill(PIN);
    await adaPage.getByTestId('money-send').click();
    await adaPage.getByTestId('money-sheet').waitFor({ state: 'detached' });
    await adaPage.getByTestId('redpacket-bubble').filter({ hasText: 'Happy New Year' }).waitFor();

    // bob and cyd get it live and open it.
    const amounts: number[] = [];
    for (const page of [bobPage, cydPage]) {
      const bubble = page.getByTestId('redpacket-bubble').filter({ hasText: 'Happy New Year' });
      await bubble.getByTestId('redpacket-open').click();
      await page.locator('[data-testid="redpacket-bubble"][data-opened="true"]').waitFor();
      const state = await page.getByTestId('redpacket-state').innerText();
      assert.match(state, /^You got CN¥\d+\.\d{2}$/);
      amounts.push(minor(state));
      await page.getByTestId('redpacket-detail').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('redpacket-detail').waitFor({ state: 'detached' });
    }
    assert.equal(amounts[0]! + amounts[1]!, 888, `${amounts} sum to the total`);
    assert.ok(amounts.every((a) => a >= 1));

    // Everyone sees who got how much: the packet is finished on ada's screen (pushed) and its details list both.
    await adaPage.locator('[data-testid="redpacket-bubble"][data-status="finished"]').waitFor();
    await adaPage.getByTestId('redpacket-details').click();
    await adaPage.getByTestId('redpacket-claim').nth(1).waitFor();
    const claims = await adaPage.getByTestId('redpacket-claim').evaluateAll((rows) => rows.map((r) => ({ user: r.getAttribute('data-user'), text: (r as HTMLElement).innerText })));
    assert.deepEqual(claims.map((c) => c.user).sort(), [bob.user.id, cyd.user.id].sort());
    const byUser = new Map(claims.map((c) => [c.user, minor(c.text)]));
    assert.deepEqual([byUser.get(bob.user.id), byUser.get(cyd.user.id)], amounts);
    assert.match(claims.find((c) => c.user === bob.user.id)!.text, /Bob Babbage/);
    assert.match(await adaPage.getByTestId('redpacket-summary').innerText(), /2\/2 opened/);
    await adaPage.keyboard.press('Escape');

    // A 1:1 transfer: ada sends 5.20, bob accepts, both see "Accepted".
    const directId = (await apiCall(served, 'POST', '/v1/conversations/direct', ada.accessToken, { userId: bob.user.id })).id;
    for (const page of [adaPage, bobPage]) {
      await page.goto(`${served.url}/chats/${directId}`);
      await page.getByTestId('chat-input').waitFor();
    }
    await adaPage.getByTestId('chat-more').click();
    await adaPage.getByTestId('chat-action-transfer').click();
    await adaPage.getByTestId('money-amount').fill('5.20');
    await adaPage.getByTestId('money-note').fill('Tea money');
    await adaPage.getByTestId('money-pin').fill(PIN);
    await adaPage.getByTestId('money-send').click();
    await adaPage.locator('[data-testid="transfer-bubble"][data-status="pending"]').filter({ hasText: 'Waiting for Bob Babbage to accept' }).waitFor();
    const incoming = bobPage.locator('[data-testid="transfer-bubble"][data-status="pending"]').filter({ hasText: 'Tea money' });
    assert.equal(minor(await incoming.getByTestId('transfer-amount').innerText()), 520);
    await incoming.getByTestId('transfer-accept').click();
    for (const page of [bobPage, adaPage]) {
      await page.locator('[data-testid="transfer-bubble"][data-status="accepted"]').getByTestId('transfer-state').filter({ hasText: 'Accepted' }).waitFor();
    }
    const wallet = await apiCall(served, 'GET', '/v1/wallet', bob.accessToken);
    assert.equal(wallet.balances.find((b: { currency: string }) => b.currency === 'CNY').balance, 520 + amounts[0]!);
  });
});
