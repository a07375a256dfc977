/**
 * @module The guest framework driven as the runtime drives it: a fake prelude registers the dispatcher, then
 * `GuestInbound` JSON strings go in and `GuestOutbound` JSON strings come out.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { GuestOutbound, Json, ViewNode } from '../../../sdk/src/index.ts';
import { GUEST_GLOBALS } from '../../../sdk/src/index.ts';

type Ok = Extract<GuestOutbound, { ok: true }>;
let dispatch: (msg: string) => string;
let fixture: typeof import('../fixtures/todo-app.ts');

/** Sends one message and parses the answer. */
function send(msg: Json | Record<string, unknown>): GuestOutbound {
  return JSON.parse(dispatch(JSON.stringify(msg))) as GuestOutbound;
}
function ok(out: GuestOutbound): Ok {
  assert.equal(out.ok, true, out.ok ? '' : `${out.code}: ${out.message}`);
  return out as Ok;
}
/** Lets microtasks (await continuations) run, as isolated-vm's checkpoint does after an entry. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const texts = (node: ViewNode): string => (typeof node === 'string' ? node : node.children.map(texts).join(''));

before(async () => {
  (globalThis as Record<string, unknown>)[GUEST_GLOBALS.REGISTER] = (fn: (msg: string) => string) => {
    dispatch = fn;
  };
  fixture = await import('../fixtures/todo-app.ts');
  delete (globalThis as Record<string, unknown>)[GUEST_GLOBALS.REGISTER];
});

describe('guest dispatcher', () => {
  it('registers one dispatcher when the bundle entry calls startApp', () => {
    assert.equal(typeof dispatch, 'function');
  });

  it('runs app hooks with launch options', () => {
    const options = { path: 'pages/index', query: {}, scene: 1001 };
    ok(send({ t: 'app', hook: 'launch', options }));
    ok(send({ t: 'app', hook: 'show', options }));
    assert.deepEqual(fixture.lifecycle.slice(0, 2), ['launch pages/index', 'show']);
  });

  it('loads a page, renders it once and returns the bridge calls of onLoad', () => {
    const out = ok(send({ t: 'page', hook: 'load', pageId: 1, route: 'pages/index', query: { from: 'test' } }));
    assert.equal(out.renders.length, 1);
    assert.equal(out.renders[0]?.pageId, 1);
    assert.deepEqual(out.calls, [{ id: 1, api: 'storage.get', args: { key: 'todos' } }]);
  });

  it('delivers what an await continuation did with the next flush', async () => {
    const reply = ok(send({ t: 'reply', id: 1, ok: true, result: { value: [{ id: 1, title: 'milk', done: false }] } }));
    assert.equal(reply.renders.length, 0, 'the continuation runs after the entry returned');
    await settle();
    const flushed = ok(send({ t: 'flush' }));
    assert.equal(flushed.renders.length, 1);
    assert.match(texts(flushed.renders[0]!.tree), /○ milk/);
    assert.deepEqual(ok(send({ t: 'flush' })), { ok: true, renders: [], calls: [] });
  });

  it('dispatches events to handlers by name and coalesces setData into one render', () => {
    const out = ok(send({ t: 'event', pageId: 1, handler: 'typed', detail: { value: 'eggs', dataset: {} } }));
    assert.equal(out.renders.length, 1);
    const added = ok(send({ t: 'event', pageId: 1, handler: 'add', detail: { dataset: {} } }));
    assert.equal(added.renders.length, 1, 'two setData calls, one render');
    assert.match(texts(added.renders[0]!.tree), /○ milk○ eggs/);
    assert.deepEqual(added.calls.map((c) => c.api), ['storage.set']);
  });

  it('applies path keys and runs setData callbacks after the render', () => {
    const out = ok(send({ t: 'event', pageId: 1, handler: 'toggle', detail: { dataset: { index: 1 } } }));
    assert.match(texts(out.renders[0]!.tree), /○ milk✓ eggs/);
    assert.equal(fixture.lifecycle.at(-1), 'rendered toggle 1');
    ok(send({ t: 'event', pageId: 1, handler: 'rename', detail: { value: 'Ada' } }));
    const snap = ok(send({ t: 'snapshot' }));
    const data = snap.snapshots?.[0]?.data as { user: { name: string }; todos: Array<{ done: boolean }> };
    assert.equal(data.user.name, 'Ada');
    assert.deepEqual(data.todos.map((t) => t.done), [false, true]);
  });

  it('refuses an unknown handler, page or message without running app code', () => {
    assert.deepEqual(send({ t: 'event', pageId: 1, handler: 'nope', detail: null }), {
      ok: false,
      code: 'EVENT_HANDLER_UNKNOWN',
      message: 'pages/index has no handler "nope"',
    });
    assert.equal((send({ t: 'event', pageId: 99, handler: 'add', detail: null }) as { code: string }).code, 'PAGE_NOT_FOUND');
    assert.equal((send({ t: 'page', hook: 'load', pageId: 5, route: 'pages/missing', query: {} }) as { code: string }).code, 'PAGE_NOT_FOUND');
    assert.equal((send({ t: 'wat' }) as { code: string }).code, 'BAD_MESSAGE');
    assert.equal(JSON.parse(dispatch('not json')).code, 'BAD_MESSAGE');
    assert.equal((send({ t: 'event', pageId: 1, handler: 'toString', detail: null }) as { code: string }).code, 'EVENT_HANDLER_UNKNOWN');
  });

  it('reports a throwing handler as APP_ERROR with its message only and keeps its effects', () => {
    const reported = fixture.reportedErrors.length;
    const out = send({ t: 'event', pageId: 1, handler: 'fail', detail: null });
    assert.deepEqual(out, { ok: false, code: 'APP_ERROR', message: 'pages/index fail: TypeError: boom' });
    assert.doesNotMatch(JSON.stringify(out), /\/work|\.ts:|at /);
    assert.equal(fixture.reportedErrors.length, reported, 'onError hears of it from the runtime, not twice');
    const next = ok(send({ t: 'flush' }));
    assert.equal(next.renders.length, 1, 'the setData before the throw is rendered with the next entry');
  });

  it('passes the runtime\'s error hook to onError', () => {
    ok(send({ t: 'app', hook: 'error', error: 'APP_ERROR: pages/index fail: TypeError: boom' }));
    assert.equal(fixture.reportedErrors.at(-1), 'APP_ERROR: pages/index fail: TypeError: boom');
  });

  it('sends an async rejection to onError without failing a later entry', async () => {
    const out = ok(send({ t: 'event', pageId: 1, handler: 'failLater', detail: null }));
    const call = out.calls[0]!;
    assert.equal(call.api, 'showToast');
    ok(send({ t: 'reply', id: call.id, ok: true, result: null }));
    await settle();
    assert.equal(fixture.reportedErrors.at(-1), 'pages/index failLater: Error: async boom');
    ok(send({ t: 'flush' }));
  });

  it('rejects a bridge promise with { code, message } on a failed reply', async () => {
    const out = ok(send({ t: 'event', pageId: 1, handler: 'profile', detail: null }));
    const call = out.calls[0]!;
    assert.deepEqual(call.args, {});
    ok(send({ t: 'reply', id: call.id, ok: false, error: { code: 'PERMISSION_DENIED', message: 'The person said no' } }));
    await settle();
    const flushed = ok(send({ t: 'flush' }));
    assert.match(texts(flushed.renders[0]!.tree), /denied: PERMISSION_DENIED/);
  });

  it('arms host timers with timer.set and runs the callback when it fires', () => {
    const out = ok(send({ t: 'event', pageId: 1, handler: 'tick', detail: null }));
    const call = out.calls[0]!;
    assert.equal(call.api, 'timer.set');
    const { id } = call.args as { id: number };
    assert.deepEqual(call.args, { id, ms: 100, repeat: false });
    const fired = ok(send({ t: 'timer', id }));
    assert.equal(fired.renders.length, 1);
    assert.deepEqual(ok(send({ t: 'timer', id })).renders, [], 'a one-shot timer fires once');
  });

  it('restores a page from saved data without onLoad and unloads pages', () => {
    const loads = fixture.lifecycle.filter((l) => l.startsWith('load')).length;
    const out = ok(send({ t: 'page', hook: 'restore', pageId: 7, route: 'pages/index', query: {}, data: { todos: [{ id: 1, title: 'saved', done: true }], draft: '', loaded: true, user: { name: 'Bo' } } }));
    assert.match(texts(out.renders[0]!.tree), /Bo✓ saved/);
    assert.equal(fixture.lifecycle.filter((l) => l.startsWith('load')).length, loads);
    ok(send({ t: 'page', hook: 'unload', pageId: 7 }));
    assert.equal(fixture.lifecycle.at(-1), 'page unload');
    assert.equal((send({ t: 'page', hook: 'show', pageId: 7 }) as { code: string }).code, 'PAGE_NOT_FOUND');
  });

  it('opens a second page with its query and shares globalData through getApp', () => {
    const out = ok(send({ t: 'page', hook: 'load', pageId: 2, route: '/pages/detail', query: { id: '42' } }));
    assert.equal(texts(out.renders[0]!.tree), 'Item 42');
    const counted = ok(send({ t: 'event', pageId: 1, handler: 'countLaunches', detail: null }));
    assert.equal(counted.renders.length, 1);
    const snap = ok(send({ t: 'snapshot' }));
    assert.deepEqual(snap.snapshots?.map((s) => s.pageId), [1, 2]);
    assert.equal((snap.snapshots?.[0]?.data as { draft: string }).draft, '1');
  });
});
