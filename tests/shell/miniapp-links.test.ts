/**
 * @module Mini-app launch links: both forms (`atrium://app/…` and this host's `/a/…`), with page and query,
 * the container's own path, the QR code's https link, and what the scanner does with them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanTarget } from '../../host/web/src/lib/scan-target.ts';
import { containerPath, isAppId, launchUrl, parseContainerPath, parseLaunchLink } from '../../host/web/src/miniapp/launch-link.ts';
import { CLIENT_PATHS, ROUTES } from '../../host/web/src/paths.ts';

const ORIGINS = ['https://atrium.example', 'http://127.0.0.1:8080'];

describe('mini-app launch links', () => {
  it('reads atrium:// links with and without page and query', () => {
    assert.deepEqual(parseLaunchLink('atrium://app/dev.atrium.todo', ORIGINS), { appId: 'dev.atrium.todo', path: undefined, query: {} });
    assert.deepEqual(parseLaunchLink('atrium://app/dev.atrium.todo/pages/item?id=3&tag=a%20b', ORIGINS), {
      appId: 'dev.atrium.todo',
      path: 'pages/item',
      query: { id: '3', tag: 'a b' },
    });
    assert.deepEqual(parseLaunchLink('  atrium://app/dev.atrium.todo?from=qr\n', ORIGINS), { appId: 'dev.atrium.todo', path: undefined, query: { from: 'qr' } });
    assert.deepEqual(parseLaunchLink('atrium://app/dev.atrium.todo/pages/list/', ORIGINS)?.path, 'pages/list');
  });

  it('reads https links of this host and of the public URL only', () => {
    assert.deepEqual(parseLaunchLink('https://atrium.example/a/dev.atrium.todo/pages/index?x=1', ORIGINS), { appId: 'dev.atrium.todo', path: 'pages/index', query: { x: '1' } });
    assert.deepEqual(parseLaunchLink('http://127.0.0.1:8080/a/dev.atrium.profile', ORIGINS), { appId: 'dev.atrium.profile', path: undefined, query: {} });
    assert.equal(parseLaunchLink('https://evil.example/a/dev.atrium.todo', ORIGINS), undefined);
    assert.equal(parseLaunchLink('ftp://atrium.example/a/dev.atrium.todo', ORIGINS), undefined);
  });

  it('rejects bad app ids, pages and queries', () => {
    for (const link of [
      'atrium://app/shop',
      'atrium://app/Dev.Atrium.Todo',
      'atrium://app/dev..todo',
      'atrium://app/1dev.todo',
      'atrium://app/dev.atrium.todo%2F..',
      `atrium://app/a.${'b'.repeat(70)}`,
      'atrium://app/dev.atrium.todo/pages/../secret',
      'atrium://app/dev.atrium.todo/pages//index',
      'atrium://app/dev.atrium.todo/pages/<script>',
      'atrium://app/dev.atrium.todo?=empty',
      `atrium://app/dev.atrium.todo?x=${'y'.repeat(1025)}`,
      'atrium://other/dev.atrium.todo',
      'https://atrium.example/a/javascript:alert(1)',
    ]) {
      assert.equal(parseLaunchLink(link, ORIGINS), undefined, link);
    }
    assert.equal(isAppId('dev.atrium.todo'), true);
    assert.equal(isAppId('todo'), false);
  });

  it('drops prototype-polluting query keys', () => {
    const target = parseLaunchLink('atrium://app/dev.atrium.todo?__proto__=x&constructor=y&ok=1', ORIGINS);
    assert.deepEqual(target?.query, { ok: '1' });
    assert.equal(Object.getPrototypeOf(target?.query), Object.prototype);
  });

  it('parses the container path the router shows', () => {
    assert.deepEqual(parseContainerPath('/a/dev.atrium.todo/pages/item', '?id=3'), { appId: 'dev.atrium.todo', path: 'pages/item', query: { id: '3' } });
    assert.deepEqual(parseContainerPath('/a/dev.atrium.todo', ''), { appId: 'dev.atrium.todo', path: undefined, query: {} });
    assert.equal(parseContainerPath('/a/nope', ''), undefined);
    assert.equal(parseContainerPath('/home', ''), undefined);
  });

  it('builds container paths and https launch links that parse back', () => {
    const target = { appId: 'dev.atrium.todo', path: 'pages/item', query: { id: '3', note: 'a&b' } };
    assert.equal(containerPath(target), '/a/dev.atrium.todo/pages/item?id=3&note=a%26b');
    assert.equal(containerPath({ appId: 'dev.atrium.todo', path: undefined, query: {} }), '/a/dev.atrium.todo');
    const url = launchUrl('https://atrium.example/', target);
    assert.equal(url, 'https://atrium.example/a/dev.atrium.todo/pages/item?id=3&note=a%26b');
    assert.deepEqual(parseLaunchLink(url, ORIGINS), target);
  });

  it('is served at /a/<appId> and /a/<appId>/<page>', () => {
    assert.ok(CLIENT_PATHS.includes(ROUTES.miniApp));
    assert.ok(CLIENT_PATHS.includes(ROUTES.miniAppPage));
  });
});

describe('scanned launch links', () => {
  it('opens both forms in the container', () => {
    assert.deepEqual(scanTarget('atrium://app/dev.atrium.todo/pages/item?id=3', ORIGINS), { kind: 'app', appId: 'dev.atrium.todo', path: '/a/dev.atrium.todo/pages/item?id=3' });
    assert.deepEqual(scanTarget('https://atrium.example/a/dev.atrium.todo', ORIGINS), { kind: 'app', appId: 'dev.atrium.todo', path: '/a/dev.atrium.todo' });
  });

  it('shows bad launch links and other hosts’ /a/ links as text', () => {
    assert.deepEqual(scanTarget('atrium://app/shop', ORIGINS), { kind: 'text', text: 'atrium://app/shop', url: undefined });
    assert.equal(scanTarget('https://evil.example/a/dev.atrium.todo', ORIGINS).kind, 'text');
  });
});
