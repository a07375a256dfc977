/**
 * An uploaded version's assets are served per version, public and immutable, sandboxed, and nothing else is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { galleryPackage, GALLERY as APP } from '../../helpers/gallery.ts';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

describe('apps: version assets', () => {
  it('serves an uploaded version’s assets with immutable caching and a sandbox, and nothing else', async () => {
    await using t = await startTestHost();
    const ada = await t.signUp('ada');
    const d = t.host.services.developer;
    await d.apps.enable(ada.userId, 'Ada Labs');
    await d.apps.create({ userId: ada.userId }, { appId: APP, name: 'Gallery' });
    const pkg = await galleryPackage(3);
    await d.versions.upload({ userId: ada.userId }, APP, { manifest: pkg.manifest, bundle: pkg.bundle, bytes: Buffer.from(pkg.bytes) });

    const logo = await t.host.request(`/v1/apps/${APP}/versions/3/assets/logo.png`);
    assert.equal(logo.status, 200);
    assert.deepEqual(Buffer.from(await logo.arrayBuffer()), pkg.png);
    assert.equal(logo.headers.get('content-type'), 'image/png');
    assert.equal(logo.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(logo.headers.get('content-security-policy') ?? '', /sandbox/);
    const svg = await t.host.request(`/v1/apps/${APP}/versions/3/assets/icons/x.svg`);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.match(svg.headers.get('content-security-policy') ?? '', /default-src 'none'.*sandbox/);

    for (const path of ['nope.png', 'logo.js', '../manifest.json', '%2e%2e/app.js']) {
      const res = await t.host.request(`/v1/apps/${APP}/versions/3/assets/${path}`);
      assert.ok(res.status === 404 || res.status === 401, `${path}: ${res.status}`); // 401: a path outside assets/
      assert.equal(res.headers.get('content-type'), 'application/problem+json', path);
    }
    expectProblem(await t.call('GET', `/v1/apps/${APP}/versions/9/assets/logo.png`), 404, 'NOT_FOUND');
  });
});
