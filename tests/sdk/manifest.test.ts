/**
 * @module The manifest schema: W3C MiniApp field names, strict (unknown fields refused), located errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions, isPlatformCompatible, parseManifest, PLATFORM_VERSION, type Manifest } from '../../sdk/src/index.ts';

const valid: Manifest = {
  app_id: 'dev.atrium.todo',
  name: 'Todo',
  short_name: 'Todo',
  version: { name: '1.0.0', code: 1 },
  pages: ['pages/index', 'pages/detail', 'pages/settings'],
  window: { navigation_bar_title_text: 'Todo', navigation_bar_background_color: '#07c160', navigation_bar_text_style: 'white', background_color: '#f7f7f7' },
  tab_bar: { items: [{ page: 'pages/index', text: 'List', icon: 'assets/list.png' }, { page: 'pages/settings', text: 'Settings' }] },
  req_permissions: [{ name: 'userInfo', reason: 'Show your name on shared lists' }],
  network_domains: ['api.example.com', '127.0.0.1:3000'],
  min_platform_version: '0.1.0',
};

function errors(input: unknown): string[] {
  const result = parseManifest(input);
  assert.equal(result.ok, false);
  return (result as { errors: string[] }).errors;
}

describe('parseManifest', () => {
  it('accepts a complete manifest and a minimal one', () => {
    assert.deepEqual(parseManifest(valid), { ok: true, manifest: valid });
    const minimal = { app_id: 'dev.atrium.min', name: 'Min', version: { name: '0.1', code: 1 }, pages: ['pages/index'] };
    assert.equal(parseManifest(minimal).ok, true);
  });

  it('refuses unknown fields at every level, with their path', () => {
    assert.deepEqual(errors({ ...valid, script: 'x' }), ['script: unknown field']);
    assert.deepEqual(errors({ ...valid, window: { ...valid.window, navigationBarTitleText: 'camelCase' } }), ['window.navigationBarTitleText: unknown field']);
    assert.deepEqual(errors({ ...valid, version: { name: '1', code: 1, extra: true } }), ['version.extra: unknown field']);
  });

  it('locates bad values', () => {
    const bad = {
      ...valid,
      app_id: 'Todo App',
      version: { name: '1.0.0', code: 0 },
      pages: ['pages/index', '/pages/abs', 'pages/index.tsx'],
      window: { navigation_bar_text_style: 'red', background_color: 'white' },
      network_domains: ['https://api.example.com'],
      min_platform_version: 'latest',
    };
    const paths = errors(bad).map((e) => e.split(':')[0]);
    assert.deepEqual(paths.sort(), [
      'app_id',
      'min_platform_version',
      'network_domains[0]',
      'pages[1]',
      'pages[2]',
      'version.code',
      'window.background_color',
      'window.navigation_bar_text_style',
    ]);
  });

  it('needs 2 to 5 tab bar items that are pages, unique pages and permissions with reasons', () => {
    assert.match(errors({ ...valid, tab_bar: { items: [{ page: 'pages/index', text: 'One' }] } })[0]!, /^tab_bar\.items: a tab bar has 2 to 5 items/);
    assert.match(errors({ ...valid, tab_bar: { items: [{ page: 'pages/index', text: 'A' }, { page: 'pages/nope', text: 'B' }] } })[0]!, /^tab_bar\.items\[1\]\.page: "pages\/nope" is not in pages/);
    assert.match(errors({ ...valid, pages: ['pages/index', 'pages/index'] })[0]!, /^pages: pages must be unique/);
    assert.match(errors({ ...valid, req_permissions: [{ name: 'userInfo' }] })[0]!, /^req_permissions\[0\]\.reason: /);
    assert.match(errors({ ...valid, pages: [] })[0]!, /^pages: /);
  });

  it('refuses a non-object', () => {
    assert.match(errors('{}')[0]!, /^manifest: /);
  });
});

describe('platform versions', () => {
  it('compares versions numerically', () => {
    assert.ok(compareVersions('0.10.0', '0.9.9') > 0);
    assert.equal(compareVersions('1.0.0', '1.0.0-beta'), 0);
    assert.ok(compareVersions('1.2', '1.2.1') < 0);
  });
  it('checks min_platform_version against the SDK platform version', () => {
    assert.equal(isPlatformCompatible({ min_platform_version: PLATFORM_VERSION }, PLATFORM_VERSION), true);
    assert.equal(isPlatformCompatible({ min_platform_version: '99.0.0' }, PLATFORM_VERSION), false);
    assert.equal(isPlatformCompatible({}, PLATFORM_VERSION), true);
  });
});
