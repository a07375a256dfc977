/**
 * @module The container's reducer: the page stack, per-page mirrors patched with the SDK's applyPatches,
 * titles, toasts, prompts, crashes, frames of other sessions, and frames that beat the launch's ack.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppServerMessage, LaunchResult } from '../../host/src/sessions/protocol.ts';
import { currentTitle, initialState, reduce, type ContainerAction, type ContainerState } from '../../host/web/src/miniapp/container-state.ts';
import { PATCH, type WireNode } from '../../sdk/src/protocol.ts';
import { applyPatches } from '../../sdk/src/view/apply.ts';

const SESSION = 'ses_1';
const LAUNCH: LaunchResult = { session: SESSION, app: { id: 'dev.atrium.todo', name: 'Todo', version: '1.0.0', versionCode: 1 }, window: { title: 'Todo' } };
const TREE: WireNode = { id: 1, type: 'view', props: {}, children: [{ id: 2, type: 'text', props: {}, children: [{ id: 3, text: 'Hello' }] }] };

function run(actions: ContainerAction[], from: ContainerState = initialState()): ContainerState {
  return actions.reduce((state, action) => reduce(state, action, applyPatches), from);
}
const frame = (f: AppServerMessage): ContainerAction => ({ type: 'frame', frame: f });
const page = (stack: Array<[number, string, string]>): ContainerAction =>
  frame({ t: 'app.page', session: SESSION, stack: stack.map(([pageId, route, title]) => ({ pageId, route, title })) });

describe('mini-app container state', () => {
  it('launches, mounts the first page and patches it', () => {
    const state = run([
      { type: 'launched', result: LAUNCH },
      page([[1, 'pages/index', '']]),
      frame({ t: 'app.patch', session: SESSION, pageId: 1, patches: [[PATCH.MOUNT, TREE]] }),
      frame({ t: 'app.patch', session: SESSION, pageId: 1, patches: [[PATCH.TEXT, 3, 'Hi']] }),
    ]);
    assert.equal(state.status, 'running');
    assert.equal(currentTitle(state), 'Todo', 'an empty page title falls back to the window title');
    assert.deepEqual(state.trees.get(1), { ...TREE, children: [{ id: 2, type: 'text', props: {}, children: [{ id: 3, text: 'Hi' }] }] });
  });

  it('keeps frames that arrive before the launch ack and replays those of its session', () => {
    const state = run([
      { type: 'launching' },
      page([[1, 'pages/index', 'Home']]),
      frame({ t: 'app.patch', session: SESSION, pageId: 1, patches: [[PATCH.MOUNT, TREE]] }),
      frame({ t: 'app.page', session: 'ses_other', stack: [] }),
      { type: 'launched', result: LAUNCH },
    ]);
    assert.deepEqual(state.stack, [{ pageId: 1, route: 'pages/index', title: 'Home' }]);
    assert.ok(state.trees.get(1));
    assert.deepEqual(state.early, []);
  });

  it('ignores frames of other sessions', () => {
    const before = run([{ type: 'launched', result: LAUNCH }, page([[1, 'pages/index', 'Home']])]);
    const after = run([frame({ t: 'app.page', session: 'ses_other', stack: [] })], before);
    assert.equal(after, before);
  });

  it('keeps mirrors of pages under the top one for back, and drops popped ones', () => {
    const pushed = run([
      { type: 'launched', result: LAUNCH },
      page([[1, 'pages/index', 'Home']]),
      frame({ t: 'app.patch', session: SESSION, pageId: 1, patches: [[PATCH.MOUNT, TREE]] }),
      page([[1, 'pages/index', 'Home'], [2, 'pages/item', 'Item']]),
      frame({ t: 'app.patch', session: SESSION, pageId: 2, patches: [[PATCH.MOUNT, { id: 10, type: 'view', props: {}, children: [] }]] }),
    ]);
    assert.equal(currentTitle(pushed), 'Item');
    assert.deepEqual([...pushed.trees.keys()], [1, 2]);
    const popped = run([page([[1, 'pages/index', 'Home']])], pushed);
    assert.deepEqual([...popped.trees.keys()], [1]);
    assert.equal(popped.trees.get(1), pushed.trees.get(1), 'the page below kept its mirror');
  });

  it('marks the state out of sync when a patch does not fit', () => {
    const state = run([
      { type: 'launched', result: LAUNCH },
      page([[1, 'pages/index', '']]),
      frame({ t: 'app.patch', session: SESSION, pageId: 1, patches: [[PATCH.TEXT, 99, 'nope']] }),
    ]);
    assert.equal(state.outOfSync, true);
    assert.equal(run([{ type: 'resuming', session: SESSION }], state).outOfSync, false);
  });

  it('shows app.ui titles and toasts, queues prompts once, and stops on a crash', () => {
    let state = run([
      { type: 'launched', result: LAUNCH },
      page([[1, 'pages/index', 'Home']]),
      frame({ t: 'app.ui', session: SESSION, kind: 'title', pageId: 1, title: 'My list' }),
      frame({ t: 'app.ui', session: SESSION, kind: 'toast', title: 'Saved', icon: 'success', durationMs: 1500 }),
      frame({ t: 'app.prompt', session: SESSION, promptId: 7, kind: 'scan' }),
      frame({ t: 'app.prompt', session: SESSION, promptId: 7, kind: 'scan' }),
    ]);
    assert.equal(currentTitle(state), 'My list');
    assert.equal(state.toast?.title, 'Saved');
    assert.equal(state.prompts.length, 1);
    state = run([{ type: 'toast-over', id: state.toast?.id ?? 0 }, { type: 'answered', promptId: 7 }], state);
    assert.equal(state.toast, undefined);
    assert.deepEqual(state.prompts, []);
    state = run([frame({ t: 'app.crashed', session: SESSION, code: 'RUNTIME_CRASHED', message: 'boom' })], state);
    assert.equal(state.status, 'crashed');
    assert.deepEqual(state.problem, { code: 'RUNTIME_CRASHED', message: 'boom' });
  });

  it('reports a failed launch', () => {
    const state = run([{ type: 'launching' }, { type: 'failed', code: 'APP_NOT_FOUND', message: 'No such mini-app' }]);
    assert.equal(state.status, 'failed');
    assert.equal(state.problem?.code, 'APP_NOT_FOUND');
  });
});
