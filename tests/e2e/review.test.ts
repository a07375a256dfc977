/**
 * The review screen in a real browser: a platform reviewer finds the link under Me, sees each submitted version
 * with its submitter, the permissions it asks for with their reasons and its package size, opens a preview of
 * the exact version, approves one and rejects another with reasons — and the developer sees both verdicts
 * through the developer API.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { bundleMiniApp, bundleSubpackages } from '../../devtools/src/build/bundle.ts';
import { writePackage } from '../../devtools/src/build/package.ts';
import type { Manifest } from '../../sdk/src/manifest.ts';
import { apiCall, browserSkip, launchBrowser, serveTestHost, signInPage, type ServedHost } from '../helpers/browser.ts';
import { TEST_PASSWORD } from '../helpers/host.ts';

const TODO = fileURLToPath(new URL('../../miniapps/todo', import.meta.url));

/** A real package of the Todo sample as another app, asking for a permission. */
async function todoPackage(appId: string, name: string, code: number): Promise<{ manifest: Manifest; bundle: string; bytes: Buffer }> {
  const base = JSON.parse(readFileSync(`${TODO}/manifest.json`, 'utf8')) as Manifest;
  const manifest: Manifest = { ...base, app_id: appId, name, version: { name: `${code}.0.0`, code }, window: { ...base.window, navigation_bar_title_text: name }, req_permissions: [{ name: 'userInfo', reason: `${name} shows your name on shared lists` }] };
  const bundle = await bundleMiniApp(TODO, manifest);
  const subs = await bundleSubpackages(TODO, manifest);
  const bytes = Buffer.from(writePackage({ manifest, appJs: bundle, assets: {}, subpackages: Object.fromEntries(Object.entries(subs).map(([n, appJs]) => [n, { appJs, assets: {} }])) }));
  return { manifest, bundle, bytes };
}

describe('shell: the review screen', () => {
  let served: ServedHost;
  let browser: Browser;

  before(async () => {
    if (browserSkip) return;
    served = await serveTestHost();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await served?.[Symbol.asyncDispose]();
  });

  it('lets a reviewer preview, approve one version and reject another with reasons; the developer sees both', { skip: browserSkip }, async () => {
    const d = served.host.services.developer;
    const { identity } = served.host.services;
    const rita = await identity.createAccount({ handle: 'rita', displayName: 'Rita', password: TEST_PASSWORD });
    await d.members.grantReviewer(rita.id);
    await identity.createAccount({ handle: 'eve', displayName: 'Eve', password: TEST_PASSWORD });
    const signup = await apiCall(served, 'POST', '/v1/auth/signup', undefined, { handle: 'devon', displayName: 'Devon', password: TEST_PASSWORD });
    const devon = signup.accessToken as string;
    await apiCall(served, 'POST', '/v1/developer', devon, { name: 'Devon Labs' });
    for (const [appId, name] of [['dev.devon.lists', 'Lists'], ['dev.devon.notes', 'Notes']] as const) {
      await apiCall(served, 'POST', '/v1/developer/apps', devon, { appId, name });
      const pkg = await todoPackage(appId, name, 1);
      await d.versions.upload({ userId: signup.user.id }, appId, pkg);
      await apiCall(served, 'POST', `/v1/developer/apps/${appId}/versions/1/submit`, devon);
    }

    // Someone who is not a reviewer has no link, and the queue refuses them.
    const other = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await other.newPage();
      await signInPage(page, served.url, 'eve');
      await page.goto(`${served.url}/settings`);
      await page.getByTestId('settings-name').waitFor();
      assert.equal(await page.getByTestId('settings-review').count(), 0);
      await page.goto(`${served.url}/review`);
      await page.locator('.notice-error').filter({ hasText: 'Only platform reviewers can do this.' }).waitFor();
    } finally {
      await other.close();
    }

    const context = await browser.newContext({ locale: 'en-US' });
    try {
      const page = await context.newPage();
      await signInPage(page, served.url, 'rita');
      await page.goto(`${served.url}/settings`);
      await page.getByTestId('settings-review').click();
      await page.waitForURL(`${served.url}/review`);
      const items = page.getByTestId('review-item');
      await items.first().waitFor();
      assert.equal(await items.count(), 2);
      const lists = items.filter({ has: page.locator('[data-app="dev.devon.lists"]') });
      const notes = items.filter({ has: page.locator('[data-app="dev.devon.notes"]') });
      assert.equal(await lists.getByTestId('review-submitter').textContent(), 'Devon (@devon)');
      assert.match((await lists.getByTestId('review-permissions').textContent()) ?? '', /userInfo — Lists shows your name on shared lists/);
      assert.match((await lists.getByTestId('review-size').textContent()) ?? '', /^\d+\.\d kB$/);
      assert.match((await lists.textContent()) ?? '', /sub-packages: stats/);

      // A preview of the exact version under review: a QR code and a link that opens it for the reviewer.
      await lists.getByTestId('review-preview').click();
      const qr = lists.getByTestId('review-preview-qr');
      await qr.waitFor();
      const link = (await qr.getAttribute('data-value')) ?? '';
      assert.match(link, /\/a\/dev\.devon\.lists\?preview=pv/);
      const previewHref = (await lists.getByTestId('review-preview-link').getAttribute('href')) ?? '';
      const previewPage = await context.newPage();
      await previewPage.goto(`${served.url}${previewHref}`);
      await previewPage.getByTestId('miniapp-title').filter({ hasText: 'Lists' }).waitFor();
      await previewPage.close();

      await lists.getByTestId('review-approve').click();
      await page.getByTestId('review-done').filter({ hasText: 'Lists 1.0.0 approved' }).waitFor();
      await notes.getByTestId('review-reject').click();
      assert.equal(await notes.getByTestId('review-reject-confirm').isDisabled(), true, 'a rejection needs reasons');
      await notes.getByTestId('review-reason').fill('The Stats page shows 0% with items done; fix the count.');
      await notes.getByTestId('review-reject-confirm').click();
      await page.getByTestId('review-done').filter({ hasText: 'Notes 1.0.0 rejected' }).waitFor();
      await page.getByTestId('review-empty').waitFor();
    } finally {
      await context.close();
    }

    // The developer sees the verdicts through the developer API (what `atrium versions list` shows).
    const listed = await apiCall(served, 'GET', '/v1/developer/apps/dev.devon.lists/versions', devon);
    assert.deepEqual(listed.versions.map((v: { versionCode: number; status: string }) => [v.versionCode, v.status]), [[1, 'approved']]);
    const rejected = await apiCall(served, 'GET', '/v1/developer/apps/dev.devon.notes/versions', devon);
    assert.deepEqual(rejected.versions.map((v: { status: string; reviewNote: string }) => [v.status, v.reviewNote]), [['rejected', 'The Stats page shows 0% with items done; fix the count.']]);
    // Approved, so the developer can release it.
    assert.equal((await apiCall(served, 'POST', '/v1/developer/apps/dev.devon.lists/release', devon, { versionCode: 1, percent: 100 })).stableVersion, 1);
  });
});
