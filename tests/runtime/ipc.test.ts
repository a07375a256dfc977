/** @module The IPC parsers' hand-checked fast paths agree with the schemas they stand in for. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchMessages, fromChildSchema, parseFromChild, parseToChild, toChildSchema } from '../../runtime/src/process/ipc.ts';

const event = { type: 'request', rid: 7, request: { op: 'event', sessionId: 's1', pageId: 2, handler: 'inc', detail: { n: 1 } } };
const patches = { type: 'output', output: { type: 'patches', sessionId: 's1', pageId: 2, patches: [['text', 4, 'Count: 1']], bytes: 20 } };

describe('runtime IPC parsers', () => {
  it('take the messages of a tap as the schemas would, dropping unknown keys', () => {
    assert.deepEqual(parseToChild({ ...event, extra: 1, request: { ...event.request, sneaky: true } }), toChildSchema.parse(event));
    assert.deepEqual(parseFromChild({ ...patches, forged: 1, output: { ...patches.output, deviceId: 'other' } }), fromChildSchema.parse(patches));
    assert.deepEqual(parseFromChild({ type: 'response', rid: 3, outcome: { ok: true, pageId: 1 } }), { type: 'response', rid: 3, outcome: { ok: true, pageId: 1 } });
  });

  it('refuse what the schemas refuse, whichever path decides', () => {
    const badEvents = [
      { ...event, rid: 1.5 },
      { ...event, request: { ...event.request, sessionId: '' } },
      { ...event, request: { ...event.request, sessionId: 'x'.repeat(201) } },
      { ...event, request: { ...event.request, pageId: '2' } },
      { ...event, request: { ...event.request, handler: 'h'.repeat(129) } },
      { ...event, request: { ...event.request, detail: undefined } },
      { ...event, request: { ...event.request, op: 'evnt' } },
      { type: 'request', rid: 1 },
      null,
      [event],
    ];
    for (const raw of badEvents) {
      assert.equal(parseToChild(raw), undefined, JSON.stringify(raw));
      assert.equal(toChildSchema.safeParse(raw).success, false, JSON.stringify(raw));
    }
    const badOutputs = [
      { ...patches, output: { ...patches.output, patches: [{ op: 'text' }] } },
      { ...patches, output: { ...patches.output, patches: 'all' } },
      { ...patches, output: { ...patches.output, pageId: 1.5 } },
      { ...patches, output: { ...patches.output, bytes: '20' } },
      { ...patches, output: { ...patches.output, sessionId: 'x'.repeat(201) } },
      { type: 'response', rid: 1, outcome: { ok: false, code: 'X'.repeat(65), message: 'm' } },
      { type: 'response', rid: 1, outcome: 'ok' },
      { type: 'heartbeat', stats: {} },
    ];
    for (const raw of badOutputs) {
      assert.equal(parseFromChild(raw), undefined, JSON.stringify(raw));
      assert.equal(fromChildSchema.safeParse(raw).success, false, JSON.stringify(raw));
    }
  });

  it('leave every other message to the schemas', () => {
    const bridge = { type: 'bridge', callId: 1, sessionId: 's1', api: 'storage.get', args: { key: 'k' } };
    assert.deepEqual(parseFromChild(bridge), fromChildSchema.parse(bridge));
    const failure = { type: 'response', rid: 1, outcome: { ok: false, code: 'APP_ERROR', message: 'boom' } };
    assert.deepEqual(parseFromChild(failure), failure);
    const close = { type: 'request', rid: 2, request: { op: 'close', sessionId: 's1' } };
    assert.deepEqual(parseToChild(close), close);
  });

  it('accept batches of 2 to 10,000 messages only', () => {
    assert.deepEqual(batchMessages({ type: 'batch', messages: [1, 2] }), [1, 2]);
    assert.equal(batchMessages({ type: 'batch', messages: [1] }), undefined);
    assert.equal(batchMessages({ type: 'batch', messages: Array.from({ length: 10_001 }, () => 0) }), undefined);
    assert.equal(batchMessages({ type: 'batch', messages: 'many' }), undefined);
  });
});
