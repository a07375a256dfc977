/** @module The runtime-owned page stack: navigation APIs, the 10-page limit, page lifecycle and the owner's page list. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startInProcess } from './helpers/in-process.ts';

/** Pages whose `nav` handler performs the navigation named in the detail and shows the reply. */
const NAV_PAGES = ['pages/index', 'pages/detail', 'pages/tab']
  .map(
    (route) => `pages['${route}'] = {
  data: { out: '' },
  onLoad(q) { log.push('load ' + this.pageId + ' ' + JSON.stringify(q)); },
  onShow() { log.push('show ' + this.pageId); },
  onHide() { log.push('hide ' + this.pageId); },
  onUnload() { log.push('unload ' + this.pageId); },
  render(d) { return h('view', {}, [h('text', {}, ['${route} ' + d.out]), h('button', { onTap: 'nav' }, ['nav']), h('button', { onTap: 'log' }, ['log'])]); },
  handlers: {
    nav(detail) { this.call(detail.api, detail.args, (r) => this.setData({ out: r.ok ? 'ok' : r.error.code })); },
    log() { this.setData({ out: log.join(';') }); log.length = 0; },
  },
};`,
  )
  .join('\n')
  .replace(/^/, 'const log = [];\n');

function lastPages(outputs: Array<{ type: string }>, sessionId: string): Array<{ pageId: number; route: string }> {
  const found = outputs.filter((o): o is { type: 'pages'; sessionId: string; pages: Array<{ pageId: number; route: string }> } => o.type === 'pages' && (o as { sessionId?: string }).sessionId === sessionId);
  return found.at(-1)?.pages ?? [];
}

describe('page stack', () => {
  it('opens at most 10 pages and refuses the 11th with NAVIGATION_STACK_FULL', async () => {
    await using rt = await startInProcess();
    assert.equal((await rt.launch('s', NAV_PAGES)).ok, true);
    for (let pageId = 1; pageId <= 9; pageId++) {
      assert.deepEqual(await rt.manager.event('s', pageId, 'nav', { api: 'navigateTo', args: { url: `pages/detail?n=${pageId}` } }), { ok: true });
      await rt.settle();
    }
    assert.equal(lastPages(rt.outputs, 's').length, 10);
    await rt.manager.event('s', 10, 'nav', { api: 'navigateTo', args: { url: 'pages/detail' } });
    await rt.settle();
    assert.match(rt.text('s', 10), /NAVIGATION_STACK_FULL/);
    assert.equal(lastPages(rt.outputs, 's').length, 10);
  });

  it('runs hide/load/show on navigateTo and unload/show on navigateBack; the owner sees each stack', async () => {
    await using rt = await startInProcess();
    await rt.launch('s', NAV_PAGES, { path: 'pages/index?from=link', query: { scene: 'qr' } });
    await rt.manager.event('s', 1, 'log', {});
    assert.match(rt.text('s', 1), /load 1 \{"from":"link","scene":"qr"\};show 1/);
    await rt.manager.event('s', 1, 'nav', { api: 'navigateTo', args: { url: '/pages/detail?id=7' } });
    await rt.settle();
    assert.deepEqual(lastPages(rt.outputs, 's'), [
      { pageId: 1, route: 'pages/index' },
      { pageId: 2, route: 'pages/detail' },
    ]);
    await rt.manager.event('s', 2, 'nav', { api: 'navigateBack', args: {} });
    await rt.settle();
    assert.deepEqual(lastPages(rt.outputs, 's'), [{ pageId: 1, route: 'pages/index' }]);
    await rt.manager.event('s', 1, 'log', {});
    assert.match(rt.text('s', 1), /hide 1;load 2 \{"id":"7"\};show 2;unload 2;show 1/);
    assert.deepEqual((await rt.manager.event('s', 2, 'log', {})).ok ? 'ok' : 'refused', 'refused');
  });

  it('redirectTo replaces the top page; switchTab and reLaunch close every other page', async () => {
    await using rt = await startInProcess();
    await rt.launch('s', NAV_PAGES, { tabBar: ['pages/tab', 'pages/index'] });
    await rt.manager.event('s', 1, 'nav', { api: 'navigateTo', args: { url: 'pages/detail' } });
    await rt.settle();
    await rt.manager.event('s', 2, 'nav', { api: 'redirectTo', args: { url: 'pages/detail?again=1' } });
    await rt.settle();
    assert.deepEqual(lastPages(rt.outputs, 's').map((p) => p.pageId), [1, 3]);
    await rt.manager.event('s', 3, 'nav', { api: 'navigateTo', args: { url: 'pages/tab' } });
    await rt.settle();
    assert.match(rt.text('s', 3), /INVALID_ARGUMENT/);
    await rt.manager.event('s', 3, 'nav', { api: 'switchTab', args: { url: 'pages/tab' } });
    await rt.settle();
    assert.deepEqual(lastPages(rt.outputs, 's'), [{ pageId: 4, route: 'pages/tab' }]);
    await rt.manager.event('s', 4, 'nav', { api: 'reLaunch', args: { url: 'pages/detail?fresh=1' } });
    await rt.settle();
    assert.deepEqual(lastPages(rt.outputs, 's'), [{ pageId: 5, route: 'pages/detail' }]);
    await rt.manager.event('s', 5, 'nav', { api: 'navigateTo', args: { url: 'pages/missing' } });
    await rt.settle();
    assert.match(rt.text('s', 5), /PAGE_NOT_FOUND/);
  });

  it('refuses a launch path that is not one of the manifest pages', async () => {
    await using rt = await startInProcess();
    const launched = await rt.launch('s', NAV_PAGES, { path: 'pages/secret' });
    assert.equal(launched.ok ? 'ok' : launched.code, 'PAGE_NOT_FOUND');
  });
});

describe('navigation asked for by the shell', () => {
  it('goes back on the back button, opens navigator targets, and keeps the same rules', async () => {
    await using rt = await startInProcess();
    await rt.launch('s', NAV_PAGES, { tabBar: ['pages/tab'] });
    for (let i = 0; i < 9; i++) assert.deepEqual(await rt.manager.navigate('s', 'navigateTo', { url: `pages/detail?i=${i}` }), { ok: true });
    const full = await rt.manager.navigate('s', 'navigateTo', { url: 'pages/detail' });
    assert.equal(full.ok ? 'ok' : full.code, 'NAVIGATION_STACK_FULL');
    assert.deepEqual(await rt.manager.navigate('s', 'navigateBack', { delta: 3 }), { ok: true });
    assert.equal(lastPages(rt.outputs, 's').length, 7);
    const missing = await rt.manager.navigate('s', 'redirectTo', { url: 'pages/nowhere' });
    assert.equal(missing.ok ? 'ok' : missing.code, 'PAGE_NOT_FOUND');
    const notNav = await rt.manager.navigate('s', 'storage.set', { key: 'k', value: 1 });
    assert.equal(notNav.ok ? 'ok' : notNav.code, 'INVALID_ARGUMENT');
    assert.deepEqual(await rt.manager.navigate('s', 'switchTab', { url: '/pages/tab' }), { ok: true });
    assert.deepEqual(lastPages(rt.outputs, 's'), [{ pageId: 11, route: 'pages/tab' }]);
    assert.deepEqual(await rt.manager.navigate('s', 'navigateBack', {}), { ok: true });
    assert.equal(lastPages(rt.outputs, 's').length, 1);
  });
});
