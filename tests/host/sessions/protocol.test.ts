/** @module The socket's quick check for `app.event` accepts nothing its schema refuses. */

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppEventMessage, isPlainAppEvent } from '../../../host/src/sessions/protocol.ts';

const valid = { t: 'app.event', id: 3, session: 'ses_0a1b2c', pageId: 1, handler: 'inc', detail: { value: 'x' } };

describe('isPlainAppEvent', () => {
  it('passes the messages a shell sends, as the schema does', () => {
    for (const m of [valid, { ...valid, id: undefined }, { ...valid, id: 'req-7' }, { t: 'app.event', session: 'ses_z9', pageId: 12, handler: 'h', detail: null }]) {
      assert.equal(isPlainAppEvent(m), true, JSON.stringify(m));
      assert.equal(AppEventMessage.safeParse(m).success, true, JSON.stringify(m));
    }
  });

  it('never passes what the schema refuses, over every field changed to awkward values', () => {
    const awkward: unknown[] = [undefined, null, 0, -1, 1.5, 2 ** 53, '', 'x'.repeat(64), 'x'.repeat(65), 'ses_', 'ses_ABC', 'ses_abc\n', 'app.event', [], {}, true, 'inc'];
    let checked = 0;
    for (const key of ['t', 'id', 'session', 'pageId', 'handler', 'detail', 'extra', '__proto__']) {
      for (const value of awkward) {
        const m: Record<string, unknown> = { ...valid };
        if (value === undefined) delete m[key];
        else Object.defineProperty(m, key, { value, enumerable: true, configurable: true, writable: true });
        const schema = AppEventMessage.safeParse(m).success;
        if (isPlainAppEvent(m)) assert.equal(schema, true, `passed what the schema refuses: ${key} = ${JSON.stringify(value)}`);
        checked++;
      }
    }
    assert.equal(checked, 8 * 17);
  });
});
