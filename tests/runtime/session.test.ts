/** @module Sessions: the event-handler check, snapshot and restore, idle eviction, flush coalescing, timers and rates. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuestIsolate } from '../../runtime/src/isolate/guest-isolate.ts';
import { COUNTER_PAGE } from './helpers/guest.ts';
import { startInProcess } from './helpers/in-process.ts';

const GATED_PAGE = `pages['pages/index'] = {
  data: { open: false, n: 0 },
  render(d) { return h('view', {}, [h('text', {}, ['n=' + d.n]), h('button', { onTap: 'open' }, ['open']), ...(d.open ? [h('button', { onTap: 'secret' }, ['secret'])] : [])]); },
  handlers: {
    open() { this.setData({ open: true }); },
    secret(detail) { this.setData({ n: this.data.n + (detail.by || 1) }); },
  },
};`;

describe('launch', () => {
  it('runs the four hooks back to back and collects once, with what their continuations did in the first view', async () => {
    await using rt = await startInProcess();
    const page = `pages['pages/index'] = {
      data: { loaded: 'no', shown: 'no' },
      onLoad() { Promise.resolve().then(() => this.setData({ loaded: 'yes' })); },
      onShow() { Promise.resolve().then(() => this.setData({ shown: 'yes' })); },
      render(d) { return h('view', {}, [h('text', {}, ['loaded=' + d.loaded + ' shown=' + d.shown])]); },
    };`;
    const entries: string[] = [];
    const enter = GuestIsolate.prototype.enter;
    GuestIsolate.prototype.enter = function (this: GuestIsolate, envelope: string, timeoutMs: number) {
      const { msg } = JSON.parse(envelope) as { msg: { t: string; hook?: string } };
      entries.push(msg.hook ? `${msg.t}.${msg.hook}` : msg.t);
      return enter.call(this, envelope, timeoutMs);
    };
    try {
      assert.deepEqual(await rt.launch('s', page), { ok: true, pages: [{ pageId: 1, route: 'pages/index' }] });
    } finally {
      GuestIsolate.prototype.enter = enter;
    }
    // onLoad's continuation ran in the checkpoint after its entry and came back with onShow's output; onShow's
    // own continuation with the one flush after it.
    assert.deepEqual(entries, ['app.launch', 'app.show', 'page.load', 'page.show', 'flush']);
    await rt.settle();
    assert.match(rt.text('s', 1), /loaded=yes shown=yes/);
    const patches = rt.outputs.filter((o) => o.type === 'patches' && o.sessionId === 's');
    assert.equal(patches.length, 1, 'the first view is sent once, complete');
  });
});

describe('events from the shell', () => {
  it('sends what a handler rendered at once before collecting its continuations, which follow as their own patch', async () => {
    await using rt = await startInProcess();
    const page = `pages['pages/index'] = {
      data: { step: 'idle' },
      render(d) { return h('view', {}, [h('text', {}, ['step=' + d.step]), h('button', { onTap: 'go' }, ['go']), h('button', { onTap: 'now' }, ['now'])]); },
      handlers: {
        go() { this.setData({ step: 'tapped' }); Promise.resolve().then(() => this.setData({ step: 'done' })); },
        now() { this.setData({ step: 'now' }); },
      },
    };`;
    await rt.launch('s', page);
    await rt.settle();
    const patchTexts = (): string[] =>
      rt.outputs.filter((o) => o.type === 'patches' && o.sessionId === 's').map((o) => JSON.stringify((o as { patches: unknown }).patches));
    const before = patchTexts().length;
    assert.deepEqual(await rt.manager.event('s', 1, 'go', {}), { ok: true });
    await rt.settle();
    const after = patchTexts().slice(before);
    assert.equal(after.length, 2, 'the synchronous render, then the continuation’s');
    assert.match(after[0]!, /step=tapped/);
    assert.match(after[1]!, /step=done/);
    assert.match(rt.text('s', 1), /step=done/);
    assert.deepEqual(await rt.manager.event('s', 1, 'now', {}), { ok: true });
    await rt.settle();
    assert.equal(patchTexts().length, before + 3, 'a handler without continuations sends one patch');
  });

  it('runs events one at a time, each with its collecting flush, in the order they came', async () => {
    await using rt = await startInProcess();
    await rt.launch('s', COUNTER_PAGE);
    await rt.settle();
    const entries: string[] = [];
    const enter = GuestIsolate.prototype.enter;
    GuestIsolate.prototype.enter = async function (this: GuestIsolate, envelope: string, timeoutMs: number) {
      const { msg } = JSON.parse(envelope) as { msg: { t: string } };
      entries.push(`${msg.t}>`);
      try {
        return await enter.call(this, envelope, timeoutMs);
      } finally {
        entries.push(`<${msg.t}`);
      }
    };
    try {
      // The first starts at once (the queue is idle); the next two wait their turn.
      const outcomes = await Promise.all([rt.manager.event('s', 1, 'inc', {}), rt.manager.event('s', 1, 'inc', {}), rt.manager.event('s', 1, 'inc', {})]);
      assert.deepEqual(outcomes, [{ ok: true }, { ok: true }, { ok: true }]);
    } finally {
      GuestIsolate.prototype.enter = enter;
    }
    assert.deepEqual(entries, Array.from({ length: 3 }, () => ['event>', '<event', 'flush>', '<flush']).flat());
    await rt.settle();
    assert.match(rt.text('s', 1), /3/);
  });

  it('accepts only handlers named by an event prop of the tree the shell shows', async () => {
    await using rt = await startInProcess();
    await rt.launch('s', GATED_PAGE);
    const refused = await rt.manager.event('s', 1, 'secret', {});
    assert.equal(refused.ok ? 'ok' : refused.code, 'EVENT_HANDLER_UNKNOWN');
    const unknown = await rt.manager.event('s', 1, 'constructor', {});
    assert.equal(unknown.ok ? 'ok' : unknown.code, 'EVENT_HANDLER_UNKNOWN');
    assert.deepEqual(await rt.manager.event('s', 1, 'open', {}), { ok: true });
    assert.deepEqual(await rt.manager.event('s', 1, 'secret', { by: 5 }), { ok: true });
    assert.match(rt.text('s', 1), /n=5/);
  });

  it('refuses events for pages that are not open, oversized details and unknown sessions', async () => {
    await using rt = await startInProcess({ maxEventDetailBytes: 1024 });
    await rt.launch('s', GATED_PAGE);
    const page = await rt.manager.event('s', 7, 'open', {});
    assert.equal(page.ok ? 'ok' : page.code, 'PAGE_NOT_FOUND');
    const big = await rt.manager.event('s', 1, 'open', { text: 'x'.repeat(2000) });
    assert.equal(big.ok ? 'ok' : big.code, 'PAYLOAD_TOO_LARGE');
    const nobody = await rt.manager.event('nobody', 1, 'open', {});
    assert.equal(nobody.ok ? 'ok' : nobody.code, 'SESSION_NOT_FOUND');
  });

  it('limits shell events per session with RATE_LIMITED', async () => {
    await using rt = await startInProcess({ eventsPerSecond: 5 });
    await rt.launch('s', COUNTER_PAGE);
    const outcomes = [];
    for (let i = 0; i < 8; i++) outcomes.push(await rt.manager.event('s', 1, 'inc', {}));
    assert.equal(outcomes.filter((o) => o.ok).length, 5);
    assert.ok(outcomes.slice(5).every((o) => !o.ok && o.code === 'RATE_LIMITED'));
    await rt.clock.advance(1000);
    assert.deepEqual(await rt.manager.event('s', 1, 'inc', {}), { ok: true });
  });
});

describe('launching', () => {
  it('fails a bundle that never registers a dispatcher with APP_NOT_REGISTERED', async () => {
    await using rt = await startInProcess();
    const launched = await rt.manager.launch('s', { code: 'globalThis.x = 1;', cacheKey: 'silent@1' }, { pages: ['pages/index'] });
    assert.equal(launched.ok ? 'ok' : launched.code, 'APP_NOT_REGISTERED');
    assert.equal(rt.manager.stats().sessions, 0);
  });

  it('refuses a second launch of a live session id, and a bundle that does not parse', async () => {
    await using rt = await startInProcess();
    assert.equal((await rt.launch('s', COUNTER_PAGE)).ok, true);
    const again = await rt.launch('s', COUNTER_PAGE);
    assert.equal(again.ok ? 'ok' : again.code, 'SESSION_EXISTS');
    const broken = await rt.manager.launch('t', { code: 'function (', cacheKey: 'broken@1' }, { pages: ['pages/index'] });
    assert.deepEqual(broken.ok ? 'ok' : [broken.code, /failed to start/.test(broken.message)], ['APP_ERROR', true]);
  });
});

describe('snapshot, restore and idle eviction', () => {
  it('re-creates a session from its snapshot with the same pages, ids and data', async () => {
    await using rt = await startInProcess();
    await rt.launch('s', COUNTER_PAGE);
    for (let i = 0; i < 3; i++) await rt.manager.event('s', 1, 'inc', {});
    await rt.manager.event('s', 1, 'go', {});
    await rt.settle();
    const saved = await rt.manager.snapshot('s');
    assert.ok(saved.ok);
    assert.deepEqual(
      saved.snapshot.pages.map((p) => [p.pageId, p.route, p.data]),
      [
        [1, 'pages/index', { n: 3 }],
        [2, 'pages/detail', { from: 'index' }],
      ],
    );
    assert.deepEqual(await rt.manager.close('s'), { ok: true });
    const restored = await rt.launch('s', COUNTER_PAGE, { restore: saved.snapshot });
    assert.deepEqual(restored, { ok: true, pages: [{ pageId: 1, route: 'pages/index' }, { pageId: 2, route: 'pages/detail' }] });
    assert.match(rt.text('s', 1), /n=3/);
    assert.match(rt.text('s', 2), /from index/);
    assert.deepEqual(await rt.manager.event('s', 1, 'inc', {}), { ok: true });
    assert.match(rt.text('s', 1), /n=4/);
    await rt.manager.event('s', 2, 'go', {});
    await rt.settle();
    assert.match(rt.text('s', 3), /from detail/);
  });

  it('evicts a session idle for 3 minutes after snapshotting it, and revives it on the next event', async () => {
    await using rt = await startInProcess({ idleEvictMs: 180_000, idleSweepMs: 15_000 });
    await rt.launch('idle', COUNTER_PAGE);
    await rt.launch('busy', COUNTER_PAGE);
    await rt.manager.event('idle', 1, 'inc', {});
    for (let t = 0; t < 12; t++) {
      await rt.clock.advance(15_000);
      await rt.manager.event('busy', 1, 'inc', {});
    }
    await rt.manager.sweep();
    await rt.settle();
    const evicted = rt.outputs.find((o) => o.type === 'session-evicted');
    assert.ok(evicted && evicted.type === 'session-evicted');
    assert.equal(evicted.sessionId, 'idle');
    assert.deepEqual(evicted.snapshot.pages[0]?.data, { n: 1 });
    assert.deepEqual(rt.manager.stats().sessions, 1);
    assert.deepEqual(rt.manager.stats().evicted, 1);
    assert.deepEqual(await rt.manager.event('idle', 1, 'inc', {}), { ok: true });
    assert.match(rt.text('idle', 1), /n=2/);
    assert.equal(rt.manager.stats().evicted, 0);
  });
});

describe('flushes and patches', () => {
  it('coalesces renders to at most 20 flushes per second and then sends the latest tree', async () => {
    await using rt = await startInProcess({ eventsPerSecond: 1000 });
    await rt.launch('s', COUNTER_PAGE);
    const patchCount = (): number => rt.outputs.filter((o) => o.type === 'patches').length;
    const before = patchCount();
    for (let i = 0; i < 50; i++) await rt.manager.event('s', 1, 'inc', {});
    assert.ok(patchCount() - before <= 19, `${patchCount() - before} flushes within one (fake) second`);
    assert.doesNotMatch(rt.text('s', 1), /n=50/);
    await rt.clock.advance(1000);
    await rt.settle();
    assert.match(rt.text('s', 1), /n=50/);
  });

  it('refuses a tree over the node limit whole, before any patch', async () => {
    await using rt = await startInProcess({ maxTreeNodes: 50 });
    await rt.launch('s', `pages['pages/index'] = { data: { n: 3 }, render(d) { return h('view', {}, Array.from({ length: d.n }, (_, i) => h('text', {}, [String(i)])).concat([h('button', { onTap: 'more' }, [])])); }, handlers: { more() { this.setData({ n: 100 }); } } };`);
    const before = rt.outputs.filter((o) => o.type === 'patches').length;
    assert.deepEqual(await rt.manager.event('s', 1, 'more', {}), { ok: true });
    const refused = rt.outputs.find((o) => o.type === 'render-refused');
    assert.ok(refused?.type === 'render-refused' && refused.code === 'VIEW_INVALID' && /more than 50 nodes/.test(refused.message));
    assert.equal(rt.outputs.filter((o) => o.type === 'patches').length, before);
  });
});

describe('guest timers', () => {
  const TIMER_PAGE = `app.onTimer = (id) => { const p = live.get(1); p.setData({ ticks: p.data.ticks + 1, last: id }); };
pages['pages/index'] = {
  data: { ticks: 0, last: 0, out: '' },
  render(d) { return h('view', {}, [h('text', {}, ['ticks=' + d.ticks + ' last=' + d.last + ' ' + d.out]), h('button', { onTap: 'start' }, []), h('button', { onTap: 'stop' }, []), h('button', { onTap: 'many' }, [])]); },
  handlers: {
    start() { this.call('timer.set', { id: 7, ms: 1, repeat: true }); },
    stop() { this.call('timer.clear', { id: 7 }); },
    many() { const codes = []; for (let i = 100; i < 140; i++) this.call('timer.set', { id: i, ms: 60000 }, (r) => { codes.push(r.ok ? 'ok' : r.error.code); this.setData({ out: codes.filter((c) => c !== 'ok').join(',') }); }); },
  },
};`;

  it('fires granted timers as timed entries, no faster than the minimum delay, until cleared', async () => {
    await using rt = await startInProcess({ minTimerMs: 100 });
    await rt.launch('s', TIMER_PAGE);
    await rt.manager.event('s', 1, 'start', {});
    await rt.settle();
    await rt.clock.advance(99);
    await rt.settle();
    assert.match(rt.text('s', 1), /ticks=0/);
    for (let i = 0; i < 3; i++) {
      await rt.clock.advance(100);
      await rt.settle();
    }
    assert.match(rt.text('s', 1), /ticks=3 last=7/);
    await rt.manager.event('s', 1, 'stop', {});
    await rt.settle();
    await rt.clock.advance(1000);
    await rt.settle();
    assert.match(rt.text('s', 1), /ticks=3/);
  });

  it('refuses timers beyond the per-session maximum', async () => {
    await using rt = await startInProcess({ maxTimers: 32 });
    await rt.launch('s', TIMER_PAGE);
    await rt.manager.event('s', 1, 'many', {});
    await rt.settle();
    await rt.clock.advance(1000);
    await rt.settle();
    assert.match(rt.text('s', 1), new RegExp(`ticks=0 last=0 ${Array(8).fill('RATE_LIMITED').join(',')}`));
  });
});
