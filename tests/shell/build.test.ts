/**
 * @module The web shell's build and HTTP edge: bundles in memory, serves the page with a strict CSP at every
 * client route, and the hashed assets with long-lived caching.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildShell } from '../../host/src/shell/build-shell.ts';
import { shellRoutes } from '../../host/src/shell/routes.ts';
import { CLIENT_PATHS } from '../../host/web/src/paths.ts';

const app = shellRoutes({ publicUrl: 'http://127.0.0.1:8080' });

describe('web shell', () => {
  it('bundles main.tsx into hashed JavaScript and CSS', async () => {
    const { files, entry } = await buildShell();
    assert.match(entry.script, /^\/assets\/main-[A-Z0-9]+\.js$/);
    assert.match(entry.style ?? '', /^\/assets\/main-[A-Z0-9]+\.css$/);
    const script = files.get(entry.script);
    assert.ok(script && script.body.byteLength > 10_000, 'the entry script is missing or tiny');
    assert.equal(script.contentType, 'text/javascript; charset=utf-8');
    assert.ok([...files.keys()].some((path) => path.includes('/chunks/jsQR-')), 'jsQR should load lazily in its own chunk');
  });

  it('builds once per process', async () => {
    assert.equal(await buildShell(), await buildShell());
  });

  it('serves the page at / with a strict CSP and security headers', async () => {
    const response = await app.request('/');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.headers.get('cache-control'), 'no-cache');
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]) {
      assert.ok(csp.includes(directive), `CSP lacks ${directive}`);
    }
    assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'));
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  });

  it('has no inline script or style in the page', async () => {
    const html = await (await app.request('/')).text();
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'inline <script>');
    assert.doesNotMatch(html, /<style|\sstyle=/, 'inline style');
    assert.match(html, /<meta name="atrium-public-url" content="http:\/\/127\.0\.0\.1:8080">/);
  });

  it('links assets that it serves, with immutable caching and a working ETag', async () => {
    const html = await (await app.request('/')).text();
    const links = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    assert.equal(links.length, 3, `expected script, stylesheet and icon, got ${links.join(', ')}`);
    for (const link of links) {
      const response = await app.request(link);
      assert.equal(response.status, 200, link);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      const etag = response.headers.get('etag') ?? '';
      assert.match(etag, /^"[\w-]+"$/);
      const again = await app.request(link, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');
    }
  });

  it('answers the page at every client-side route', async () => {
    for (const pattern of CLIENT_PATHS) {
      const path = pattern.replace(/:\w+/g, 'abc123');
      const response = await app.request(path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/, path);
    }
  });

  it('answers 304 to a page request that holds the current version', async () => {
    const first = await app.request('/signin');
    const again = await app.request('/signin', { headers: { 'if-none-match': first.headers.get('etag') ?? '' } });
    assert.equal(again.status, 304);
  });

  it('does not serve unknown assets or paths', async () => {
    assert.equal((await app.request('/assets/nope.js')).status, 404);
    assert.equal((await app.request('/assets/../package.json')).status, 404);
    assert.equal((await app.request('/unknown-page')).status, 404);
  });
});
