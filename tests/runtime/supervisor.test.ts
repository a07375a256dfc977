/** @module The supervisor: IPC round trips, warm-pool launches, restarts on exit and on RSS over budget, lost sessions. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COUNTER_PAGE } from './helpers/guest.ts';
import { startTestRuntime, TEST_PAGES } from './helpers/runtime.ts';

describe('runtime supervisor', () => {
  it('launches, dispatches, snapshots and closes through the child, with stats', async () => {
    await using rt = await startTestRuntime();
    const launched = await rt.launch('s', COUNTER_PAGE, { cacheKey: 'counter@1' });
    assert.deepEqual(launched, { ok: true, pages: [{ pageId: 1, route: 'pages/index' }] });
    assert.deepEqual(await rt.runtime.event('s', 1, 'inc', {}), { ok: true });
    const patches = rt.outputs.filter((o) => o.type === 'patches' && o.sessionId === 's');
    assert.equal(patches.length, 2);
    const snapshot = await rt.runtime.snapshot('s');
    assert.ok(snapshot.ok && snapshot.snapshot.pages[0]?.data !== undefined);
    const again = await rt.launch('s', COUNTER_PAGE, { cacheKey: 'counter@1' });
    assert.equal(again.ok ? 'ok' : again.code, 'SESSION_EXISTS');
    assert.deepEqual(await rt.runtime.close('s'), { ok: true });
    const gone = await rt.runtime.event('s', 1, 'inc', {});
    assert.equal(gone.ok ? 'ok' : gone.code, 'SESSION_NOT_FOUND');
    await new Promise((resolve) => setTimeout(resolve, 600));
    const stats = await rt.runtime.stats();
    assert.ok(stats.ok && stats.stats && stats.stats.poolReady >= 1 && stats.stats.rssBytes > 0);
  });

  it('sends an app version\'s code to the child once, and again after the child is replaced', async () => {
    await using rt = await startTestRuntime();
    assert.equal((await rt.launch('first', COUNTER_PAGE, { cacheKey: 'counter@7' })).ok, true);
    // Same cache key, other code: the child runs the code it already holds for the key, so it was not sent.
    const unsent = await rt.runtime.launch('second', { code: 'this is not JavaScript', cacheKey: 'counter@7' }, { pages: TEST_PAGES });
    assert.deepEqual(unsent, { ok: true, pages: [{ pageId: 1, route: 'pages/index' }] });
    await rt.runtime.restart('test');
    await rt.runtime.ready;
    // A new child holds nothing: the code is sent again (and this one does not compile).
    const sent = await rt.runtime.launch('third', { code: 'this is not JavaScript', cacheKey: 'counter@7' }, { pages: TEST_PAGES });
    assert.equal(sent.ok, false);
    assert.equal((await rt.launch('fourth', COUNTER_PAGE, { cacheKey: 'counter@8' })).ok, true);
  });

  it('bounds event details from the shell before they cross the IPC', async () => {
    await using rt = await startTestRuntime();
    await rt.launch('s', COUNTER_PAGE);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const tooDeep = await rt.runtime.event('s', 1, 'inc', deep as never);
    assert.equal(tooDeep.ok ? 'ok' : tooDeep.code, 'INVALID_ARGUMENT');
    const tooBig = await rt.runtime.event('s', 1, 'inc', { text: 'x'.repeat(100_000) });
    assert.equal(tooBig.ok ? 'ok' : tooBig.code, 'PAYLOAD_TOO_LARGE');
    const proto = await rt.runtime.event('s', 1, 'inc', JSON.parse('{"__proto__":{"polluted":true}}'));
    assert.deepEqual(proto, { ok: true });
    assert.equal(rt.runtime.restarts, 0);
  });

  it('restarts a child that exits and reports its sessions lost', async () => {
    await using rt = await startTestRuntime();
    await rt.launch('a', COUNTER_PAGE);
    await rt.launch('b', COUNTER_PAGE);
    const pid = rt.runtime.pid;
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while ((rt.runtime.pid === pid || rt.runtime.pid === undefined || rt.lost.length === 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await rt.runtime.ready;
    assert.notEqual(rt.runtime.pid, pid);
    assert.deepEqual(rt.lost.flat().sort(), ['a', 'b']);
    assert.equal(rt.runtime.restarts, 1);
    assert.equal((await rt.launch('a', COUNTER_PAGE)).ok, true);
  });

  it('replaces a child whose RSS is over budget', async () => {
    await using rt = await startTestRuntime({ runaway: { maxRssBytes: 1024 * 1024, sampleMs: 100 } });
    await rt.launch('a', COUNTER_PAGE);
    await rt.waitFor((o) => o.type === 'log' && /over budget/.test(o.message), 5000);
    const deadline = Date.now() + 5000;
    while (rt.lost.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(rt.lost[0], ['a']);
  });

  it('answers a request with RUNTIME_UNAVAILABLE once stopped', async () => {
    const rt = await startTestRuntime();
    await rt.runtime.stop();
    const outcome = await rt.launch('late', COUNTER_PAGE);
    assert.equal(outcome.ok ? 'ok' : outcome.code, 'RUNTIME_UNAVAILABLE');
  });
});

describe('runtime supervisor: shell navigation', () => {
  it('navigates for the shell through the child', async () => {
    await using rt = await startTestRuntime();
    await rt.launch('s', COUNTER_PAGE);
    assert.deepEqual(await rt.runtime.navigate('s', 'navigateTo', { url: 'pages/detail?from=shell' }), { ok: true });
    assert.deepEqual(await rt.runtime.navigate('s', 'navigateBack'), { ok: true });
    const pages = rt.outputs.filter((o) => o.type === 'pages' && o.sessionId === 's');
    assert.deepEqual(pages.map((o) => (o.type === 'pages' ? o.pages.length : 0)), [1, 2, 1]);
  });
});

describe('runtime supervisor: launch options', () => {
  it('refuses invalid launch options before they reach the child, naming the field', async () => {
    await using rt = await startTestRuntime();
    const outcome = await rt.runtime.launch('s', { code: '', cacheKey: 'x' }, { pages: [], extra: true } as never);
    assert.equal(outcome.ok ? 'ok' : outcome.code, 'INVALID_ARGUMENT');
    assert.match(outcome.ok ? '' : outcome.message, /launch options/);
  });
});
