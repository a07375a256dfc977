/**
 * @module GuestRuntime used directly (as app authors test their pages) and the guards of defineApp,
 * definePage and startApp: broken renders, endless setData callbacks, reserved names, a second start.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { atrium, defineApp, definePage, GuestRuntime, GUEST_GLOBALS, jsx, startApp, type GuestOutbound } from '../../../sdk/src/index.ts';

const view = (text: string) => jsx('text', { children: text });

function harness(pages: ConstructorParameters<typeof GuestRuntime>[0]['pages'], errors: string[] = []) {
  const guest = new GuestRuntime({ app: defineApp({ onError: (m) => void errors.push(m) }), pages });
  return (msg: object): GuestOutbound => JSON.parse(guest.dispatch(JSON.stringify(msg))) as GuestOutbound;
}

describe('GuestRuntime', () => {
  it('reports a throwing render as APP_ERROR and renders again once the data is fixed', () => {
    const errors: string[] = [];
    const send = harness(
      {
        'pages/index': definePage({
          data: { broken: true },
          handlers: { fix() { this.setData({ broken: false }); } },
          render: (data) => {
            if (data.broken) throw new RangeError('no view yet');
            return view('fixed');
          },
        }),
      },
      errors,
    );
    assert.deepEqual(send({ t: 'page', hook: 'load', pageId: 1, route: 'pages/index', query: {} }), { ok: false, code: 'APP_ERROR', message: 'pages/index render: RangeError: no view yet' });
    assert.deepEqual(errors, [], 'the runtime forwards failed entries to onError');
    const fixed = send({ t: 'event', pageId: 1, handler: 'fix', detail: null });
    assert.equal(fixed.ok && fixed.renders[0]?.tree && JSON.stringify(fixed.renders[0].tree).includes('fixed'), true);
  });

  it('refuses a render that is not JSON without losing the bridge calls made in the entry', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const send = harness({
      'pages/index': definePage({
        data: { bad: false },
        handlers: {
          go() {
            void atrium.showToast({ title: 'saving' });
            this.setData({ bad: true });
          },
        },
        render: (data) => (data.bad ? ({ type: 'view', props: { cyclic }, children: [] } as never) : view('ok')),
      }),
    });
    assert.equal(send({ t: 'page', hook: 'load', pageId: 1, route: 'pages/index', query: {} }).ok, true);
    const out = send({ t: 'event', pageId: 1, handler: 'go', detail: null });
    assert.equal(out.ok, false);
    assert.match((out as { message: string }).message, /^render: TypeError: /);
    const next = send({ t: 'flush' });
    assert.deepEqual(next.ok && next.calls.map((c) => c.api), ['showToast']);
  });

  it('bounds setData callbacks that keep setting data', () => {
    let calls = 0;
    const send = harness({
      'pages/index': definePage({
        data: { n: 0 },
        handlers: {
          loop() {
            const again = (): void => {
              calls++;
              this.setData({ n: this.data.n + 1 }, again);
            };
            this.setData({ n: 1 }, again);
          },
        },
        render: (data) => view(String(data.n)),
      }),
    });
    send({ t: 'page', hook: 'load', pageId: 1, route: 'pages/index', query: {} });
    const out = send({ t: 'event', pageId: 1, handler: 'loop', detail: null });
    assert.equal(out.ok, true);
    assert.ok(calls <= 4, `${calls} rounds`);
  });

  it('answers snapshot with every open page and keeps handlers off the data', () => {
    const send = harness({ 'pages/index': definePage({ data: { a: 1 }, render: (d) => view(String(d.a)) }) });
    send({ t: 'page', hook: 'load', pageId: 3, route: 'pages/index', query: { q: '1' } });
    const out = send({ t: 'snapshot' });
    assert.deepEqual(out.ok && out.snapshots, [{ pageId: 3, data: { a: 1 } }]);
  });

  it('wraps a multi-element fragment root in a view', () => {
    const send = harness({ 'pages/index': definePage({ render: () => jsx('#fragment', { children: [view('a'), view('b')] }) }) });
    const out = send({ t: 'page', hook: 'load', pageId: 1, route: 'pages/index', query: {} });
    assert.equal(out.ok && typeof out.renders[0]?.tree === 'object' && out.renders[0].tree.type, 'view');
  });
});

describe('definitions and start', () => {
  it('definePage refuses reserved handler names, non-function hooks and non-object data', () => {
    assert.throws(() => definePage({ render: () => view('x'), handlers: { setData() {} } } as never), /"setData" is reserved/);
    assert.throws(() => definePage({ render: () => view('x'), onLoad: 'x' } as never), /onLoad must be a function/);
    assert.throws(() => definePage({ render: () => view('x'), data: [1] } as never), /data must be an object/);
    assert.throws(() => definePage({} as never), /render\(data\) is required/);
    assert.throws(() => defineApp({ onLaunch: 3 } as never), /onLaunch must be a function/);
  });

  it('startApp refuses to run outside the runtime and refuses pages that are not definePage', () => {
    assert.throws(() => startApp({ pages: {} }), /__atriumRegister is missing/);
    (globalThis as Record<string, unknown>)[GUEST_GLOBALS.REGISTER] = () => undefined;
    try {
      assert.throws(() => startApp({ pages: { 'pages/index': { render: () => view('x') } as never } }), /is not a definePage/);
    } finally {
      delete (globalThis as Record<string, unknown>)[GUEST_GLOBALS.REGISTER];
    }
  });
});
