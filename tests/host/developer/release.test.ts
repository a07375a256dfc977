/**
 * The developer platform's services: developer mode, members and roles, review rules, phased release with
 * stable bucketing, pause/resume/complete, rollback any number of times, previews, scenes, the audit trail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import { rolloutBucket } from '../../../host/src/developer/releases.ts';
import { startTestHost, type TestHost, type TestSession } from '../../helpers/host.ts';

const APP = 'dev.example.shop';
const fails = (code: string) => (error: unknown) => isAtriumError(error) && error.code === code;
const manifest = (code: number) => ({ app_id: APP, name: 'Shop', version: { name: `1.0.${code}`, code }, pages: ['pages/index'] });
const BUNDLE = '(function(){})();';

/** ada owns the shop app; rev is a platform reviewer; tess is a tester; eve is nobody. */
async function world(t: TestHost): Promise<{ ada: TestSession; rev: TestSession; tess: TestSession; eve: TestSession; upload: (code: number) => Promise<void> }> {
  const [ada, rev, tess, eve] = [await t.signUp('ada'), await t.signUp('rev'), await t.signUp('tess'), await t.signUp('eve')];
  const d = t.host.services.developer;
  await d.apps.enable(ada.userId, 'Ada Labs');
  await d.apps.create({ userId: ada.userId }, { appId: APP, name: 'Shop' });
  await d.members.grantReviewer(rev.userId);
  await d.members.set({ userId: ada.userId }, APP, 'tess', 'tester');
  const upload = async (code: number): Promise<void> => {
    await d.versions.upload({ userId: ada.userId }, APP, { manifest: manifest(code), bundle: BUNDLE, bytes: Buffer.from(`package ${code}`) });
    await d.versions.submit({ userId: ada.userId }, APP, code);
    await d.versions.approve({ userId: rev.userId }, APP, code);
  };
  return { ada, rev, tess, eve, upload };
}

describe('developer platform: versions, review and release', () => {
  it('moves a version through upload → submit → review, with the rules on who may do what', async () => {
    await using t = await startTestHost();
    const { ada, rev, tess, eve } = await world(t);
    const { versions } = t.host.services.developer;
    const uploaded = await versions.upload({ userId: ada.userId }, APP, { manifest: manifest(1), bundle: BUNDLE, bytes: Buffer.from('zip') });
    assert.equal(uploaded.status, 'uploaded');
    assert.match(uploaded.packageSha256 ?? '', /^[0-9a-f]{64}$/);
    assert.ok(uploaded.packageSignature?.split('.').length === 3, 'signed by the host (JWS)');
    await assert.rejects(versions.upload({ userId: ada.userId }, APP, { manifest: manifest(1), bundle: BUNDLE, bytes: Buffer.from('zip') }), fails('VERSION_CODE_NOT_INCREASING'));
    await assert.rejects(versions.upload({ userId: tess.userId }, APP, { manifest: manifest(2), bundle: BUNDLE, bytes: Buffer.from('zip') }), fails('APP_ROLE_REQUIRED'));
    await assert.rejects(versions.upload({ userId: eve.userId }, APP, { manifest: manifest(2), bundle: BUNDLE, bytes: Buffer.from('zip') }), fails('APP_NOT_FOUND'));
    await assert.rejects(versions.upload({ userId: ada.userId }, APP, { manifest: { ...manifest(2), app_id: 'dev.other.app' }, bundle: BUNDLE, bytes: Buffer.from('zip') }), fails('PACKAGE_INVALID'));

    await assert.rejects(versions.approve({ userId: rev.userId }, APP, 1), fails('VERSION_STATE_INVALID'), 'not submitted yet');
    await versions.submit({ userId: ada.userId }, APP, 1);
    await assert.rejects(versions.approve({ userId: ada.userId }, APP, 1), fails('REVIEWER_REQUIRED'));
    await t.host.services.developer.members.grantReviewer(ada.userId);
    await assert.rejects(versions.approve({ userId: ada.userId }, APP, 1), fails('REVIEW_OWN_APP'));
    assert.deepEqual((await versions.pending({ userId: rev.userId })).map((v) => [v.appId, v.versionCode]), [[APP, 1]]);
    const rejected = await versions.reject({ userId: rev.userId }, APP, 1, 'The checkout page crashes on an empty cart.');
    assert.deepEqual([rejected.status, rejected.reviewNote], ['rejected', 'The checkout page crashes on an empty cart.']);
    await assert.rejects(versions.submit({ userId: ada.userId }, APP, 1), fails('VERSION_STATE_INVALID'), 'a rejected version needs a new upload');
    await assert.rejects(t.host.services.developer.releases.release({ userId: ada.userId }, APP, 1, 100), fails('VERSION_STATE_INVALID'));

    const audit = await t.host.services.developer.audit.list(APP);
    assert.deepEqual(audit.entries.map((e) => e.action).reverse(), ['app.create', 'member.set', 'version.upload', 'version.submit', 'review.reject']);
  });

  it('rolls out to 50 % of people by stable buckets, pauses, completes, and rolls back any number of times', async () => {
    await using t = await startTestHost();
    const { ada, upload } = await world(t);
    const { releases } = t.host.services.developer;
    const me = { userId: ada.userId };
    await assert.rejects(releases.pick(APP, 'anyone'), fails('APP_NOT_RELEASED'));
    await upload(1);
    await releases.release(me, APP, 1, 100);
    await upload(2);
    const half = await releases.release(me, APP, 2, 50);
    assert.deepEqual(half, { stableVersion: 1, rollout: { versionCode: 2, percent: 50, paused: false }, rollbackTargets: [] });

    const people = Array.from({ length: 1000 }, (_, i) => `usr_person${i}`);
    const picks = await Promise.all(people.map((p) => releases.pick(APP, p)));
    const onNew = picks.filter((v) => v === 2).length;
    assert.ok(onNew >= 450 && onNew <= 550, `50 % ± 5 % of 1,000 people get version 2 (got ${onNew})`);
    assert.deepEqual(await Promise.all(people.map((p) => releases.pick(APP, p))), picks, 'the same people, every time');
    for (const [i, p] of people.entries()) assert.equal(picks[i] === 2, rolloutBucket(APP, p) < 5000);

    await releases.pause(me, APP);
    assert.ok((await Promise.all(people.slice(0, 50).map((p) => releases.pick(APP, p)))).every((v) => v === 1), 'paused: everybody gets the stable version');
    await releases.resume(me, APP);
    const wider = await releases.setPercent(me, APP, 80);
    assert.equal(wider.rollout?.percent, 80);
    const stillNew = people.filter((_, i) => picks[i] === 2);
    assert.ok((await Promise.all(stillNew.map((p) => releases.pick(APP, p)))).every((v) => v === 2), 'widening keeps everybody who already had it');
    const done = await releases.complete(me, APP);
    assert.deepEqual(done, { stableVersion: 2, rollout: null, rollbackTargets: [1] });
    await assert.rejects(releases.pause(me, APP), fails('ROLLOUT_NOT_ACTIVE'));

    await upload(3);
    await releases.release(me, APP, 3, 100);
    assert.deepEqual((await releases.rollback(me, APP, 1)).stableVersion, 1);
    assert.deepEqual((await releases.rollback(me, APP, 3)).stableVersion, 3, 'and forward again');
    assert.deepEqual((await releases.rollback(me, APP, 2)).stableVersion, 2);
    const state = await releases.rollback(me, APP, 1);
    assert.deepEqual(state.rollbackTargets, [2, 3]);
    await assert.rejects(releases.rollback(me, APP, 7), fails('ROLLBACK_TARGET_INVALID'));
    await assert.rejects(releases.release(me, APP, 1, 50), fails('VERSION_STATE_INVALID'), 'not newer than the stable version');
    assert.equal(await releases.pick(APP, 'usr_person1'), 1);
  });

  it('keeps rollback targets to the last five released versions', async () => {
    await using t = await startTestHost();
    const { ada, upload } = await world(t);
    const { releases } = t.host.services.developer;
    for (let code = 1; code <= 7; code++) {
      await upload(code);
      await releases.release({ userId: ada.userId }, APP, code, 100);
    }
    const state = await releases.state({ userId: ada.userId }, APP);
    assert.deepEqual(state.rollbackTargets, [6, 5, 4, 3, 2]);
    await assert.rejects(releases.rollback({ userId: ada.userId }, APP, 1), fails('ROLLBACK_TARGET_INVALID'));
  });

  it('opens previews only for members and testers, for 24 hours; scenes resolve to page and query', async () => {
    await using t = await startTestHost();
    const { ada, tess, eve } = await world(t);
    const { versions, previews } = t.host.services.developer;
    await versions.upload({ userId: ada.userId }, APP, { manifest: manifest(1), bundle: BUNDLE, bytes: Buffer.from('zip') });
    const link = await previews.create({ userId: ada.userId }, APP, 1);
    assert.match(link.url, new RegExp(`/a/${APP}\\?preview=pv[0-9a-z]{24}$`));
    assert.equal(await previews.resolve(link.token, APP, tess.userId), 1);
    await assert.rejects(previews.resolve(link.token, APP, eve.userId), fails('APP_ROLE_REQUIRED'));
    await assert.rejects(previews.resolve(link.token, 'dev.other.app', ada.userId), fails('PREVIEW_LINK_INVALID'));
    t.clock.advance(24 * 3600_000);
    await assert.rejects(previews.resolve(link.token, APP, tess.userId), fails('PREVIEW_LINK_INVALID'));
    await assert.rejects(previews.create({ userId: tess.userId }, APP, 1), fails('APP_ROLE_REQUIRED'));

    const scene = await previews.createScene({ userId: ada.userId }, APP, 'pages/index', { table: '12' });
    assert.ok(scene.scene.length <= 32);
    assert.deepEqual(await previews.scene(scene.scene), { appId: APP, page: 'pages/index', query: { table: '12' } });
    await assert.rejects(previews.scene('nope'), fails('SCENE_NOT_FOUND'));
  });
});
