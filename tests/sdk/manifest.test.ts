/**
 * @module The manifest schema: W3C MiniApp field names, strict (unknown fields refused), located errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareVersions, isPlatformCompatible, manifestRoutes, parseManifest, PLATFORM_VERSION, subpackageOf, type Manifest } from '../../sdk/src/index.ts';

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

  describe('subpackages', () => {
    const sub = (name: string, root: string, pages: string[]) => ({ name, root, pages });

    it('accepts sub-packages and lists every route, main first', () => {
      const manifest = { ...valid, subpackages: [sub('stats', 'stats', ['pages/index', 'pages/week']), sub('help_2', 'more/help', ['pages/faq'])] };
      const parsed = parseManifest(manifest);
      assert.equal(parsed.ok, true, JSON.stringify(parsed));
      assert.deepEqual(manifestRoutes(manifest), ['pages/index', 'pages/detail', 'pages/settings', 'stats/pages/index', 'stats/pages/week', 'more/help/pages/faq']);
      assert.equal(subpackageOf(manifest, '/stats/pages/week')?.name, 'stats');
      assert.equal(subpackageOf(manifest, 'pages/index'), undefined);
    });

    it('locates bad names, repeated names and roots, nested roots and pages repeated across packages', () => {
      assert.deepEqual(errors({ ...valid, subpackages: [sub('Stats', 'stats', ['pages/index'])] }), ['subpackages[0].name: lowercase letters, digits, _ and - only, e.g. stats']);
      assert.deepEqual(errors({ ...valid, subpackages: [sub('a', 'stats', ['pages/index']), sub('a', 'other', ['pages/index'])] }), ['subpackages[1].name: "a" is already the name of subpackages[0]']);
      assert.deepEqual(errors({ ...valid, subpackages: [sub('a', 'stats', ['pages/index']), sub('b', 'stats', ['pages/other'])] }), ['subpackages[1].root: "stats" is already the root of subpackages[0]']);
      assert.deepEqual(errors({ ...valid, subpackages: [sub('a', 'stats', ['pages/index']), sub('b', 'stats/deep', ['pages/other'])] }), ['subpackages[1].root: "stats/deep" and the root of subpackages[0] ("stats") nest; roots must be distinct folders']);
      assert.deepEqual(errors({ ...valid, subpackages: [sub('a', 'pages', ['settings'])] }), [
        'pages[0]: "pages/index" lies under the root of subpackages[0] ("pages"); move it into that sub-package or rename the root',
        'pages[1]: "pages/detail" lies under the root of subpackages[0] ("pages"); move it into that sub-package or rename the root',
        'pages[2]: "pages/settings" lies under the root of subpackages[0] ("pages"); move it into that sub-package or rename the root',
        'subpackages[0].pages[0]: "pages/settings" is already a page (pages[2]); pages must be unique across the main package and sub-packages',
      ]);
      assert.deepEqual(errors({ ...valid, subpackages: [sub('a', 'stats', ['pages/index', 'pages/index'])] }), [
        'subpackages[0].pages: pages must be unique',
        'subpackages[0].pages[1]: "stats/pages/index" is already a page (subpackages[0].pages[0]); pages must be unique across the main package and sub-packages',
      ]);
      assert.deepEqual(errors({ ...valid, subpackages: [sub('a', 'stats', [])] }), ['subpackages[0].pages: Too small: expected array to have >=1 items']);
      assert.deepEqual(errors({ ...valid, subpackages: [{ ...sub('a', 'stats', ['pages/index']), independent: true }] }), ['subpackages[0].independent: unknown field']);
    });

    it('keeps tab bar pages in the main package', () => {
      const manifest = { ...valid, subpackages: [sub('stats', 'stats', ['pages/index'])], tab_bar: { items: [{ page: 'pages/index', text: 'List' }, { page: 'stats/pages/index', text: 'Stats' }] } };
      assert.deepEqual(errors(manifest), ['tab_bar.items[1].page: "stats/pages/index" is not in pages (tab bar pages must be in the main package)']);
    });

    it('caps the pages of the whole app', () => {
      const many = Array.from({ length: 100 }, (_, i) => `pages/p${i}`);
      const manifest = { ...valid, tab_bar: undefined, pages: many, subpackages: [sub('a', 'a', many), sub('b', 'b', ['pages/x'])] };
      assert.deepEqual(errors(manifest), ['subpackages: 201 pages in all; an app has at most 200']);
    });
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
