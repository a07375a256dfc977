/**
 * Sync properties under random schedules (fast-check): several people with several devices each; random
 * sends (some concurrent, some retries of earlier sends), reads, and syncs with random page sizes whose answers
 * are sometimes lost (a dropped connection). Whatever happens, every device ends with every update of its
 * person exactly once, in log order, with consecutive per-conversation and personal counts (so no gap), messages
 * in per-conversation order, and no duplicate message.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import type { UpdateView } from '../../../host/src/messaging/views.ts';
import { startTestHost, type TestSession } from '../../helpers/host.ts';
import { befriend, direct, group } from './helpers.ts';

type Action =
  | { kind: 'send'; who: number; conv: number; retry: number | null }
  | { kind: 'burst'; senders: Array<{ who: number; conv: number }> }
  | { kind: 'read'; who: number; conv: number }
  | { kind: 'sync'; device: number; limit: number; lose: boolean };

const who = fc.integer({ min: 0, max: 2 });
const conv = fc.integer({ min: 0, max: 2 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), who, conv, retry: fc.option(fc.nat(50), { nil: null }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('burst' as const), senders: fc.array(fc.record({ who, conv }), { minLength: 2, maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), who, conv }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('sync' as const), device: fc.integer({ min: 0, max: 4 }), limit: fc.integer({ min: 1, max: 8 }), lose: fc.boolean() }) },
);

interface Device {
  person: number;
  cursor: number;
  applied: UpdateView[];
}

describe('messaging: sync properties', () => {
  it('no gap, no duplicate, per-conversation order, on every device, under random sends, retries and lost answers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 5, maxLength: 40 }), async (actions) => {
        await using t = await startTestHost();
        const people: TestSession[] = [await t.signUp('ada'), await t.signUp('bob'), await t.signUp('cyd')];
        const [ada, bob, cyd] = people as [TestSession, TestSession, TestSession];
        await befriend(t, ada, bob);
        await befriend(t, ada, cyd);
        const conversations = [await group(t, ada, [bob, cyd]), await direct(t, ada, bob), await direct(t, ada, cyd)];
        const members: number[][] = [[0, 1, 2], [0, 1], [0, 2]];
        const { messages, sync } = t.host.services.messaging;
        const devices: Device[] = [0, 0, 1, 1, 2].map((person) => ({ person, cursor: 0, applied: [] }));
        const sent: Array<{ who: number; conv: number; clientId: string; text: string; id: string }> = [];
        let n = 0;

        const sendOne = async (w: number, c: number, retryOf?: (typeof sent)[number]): Promise<void> => {
          const clientId = retryOf?.clientId ?? `client-${n++}-${w}`;
          const text = retryOf?.text ?? `text ${clientId}`;
          const conversationId = conversations[c] as string;
          try {
            const result = await messages.send((people[w] as TestSession).userId, conversationId, { clientId, text });
            assert.ok(members[c]?.includes(w), 'a non-member never sends');
            if (retryOf) assert.deepEqual([result.created, result.message.id], [false, retryOf.id], 'a retry returns the first message');
            else sent.push({ who: w, conv: c, clientId, text, id: result.message.id });
          } catch (error) {
            assert.ok(isAtriumError(error, 'CONVERSATION_NOT_FOUND') && !members[c]?.includes(w), String(error));
          }
        };

        const syncDevice = async (d: Device, limit: number, lose: boolean): Promise<boolean> => {
          const result = await sync.sync((people[d.person] as TestSession).userId, d.cursor, limit);
          assert.equal(result.kind, 'delta');
          if (result.kind !== 'delta' || lose) return true;
          for (const u of result.updates) {
            assert.ok(u.seq > d.cursor, `out of order or duplicate: cursor ${d.cursor}, got ${u.seq}`);
            d.applied.push(u);
            d.cursor = u.seq;
          }
          return result.more;
        };

        for (const a of actions) {
          if (a.kind === 'send') {
            const candidates = sent.filter((s) => s.who === a.who);
            const retryOf = a.retry !== null && candidates.length > 0 ? candidates[a.retry % candidates.length] : undefined;
            await sendOne(retryOf?.who ?? a.who, retryOf?.conv ?? a.conv, retryOf);
          } else if (a.kind === 'burst') {
            await Promise.all(a.senders.map((s) => sendOne(s.who, s.conv)));
          } else if (a.kind === 'read') {
            if (members[a.conv]?.includes(a.who)) await messages.markRead((people[a.who] as TestSession).userId, conversations[a.conv] as string, 1_000_000);
          } else {
            await syncDevice(devices[a.device] as Device, a.limit, a.lose);
          }
        }
        for (const d of devices) while (await syncDevice(d, 7, false));

        for (const d of devices) {
          // exactly the person's log: what a fresh device reads in one go
          const whole = await sync.sync((people[d.person] as TestSession).userId, 0, 100_000);
          assert.ok(whole.kind === 'delta' && !whole.more);
          assert.deepEqual(d.applied, whole.updates);
          // counts without gaps: per conversation, and of personal updates
          const counts = new Map<string, number>();
          for (const u of d.applied) {
            const key = u.cseq === undefined ? 'personal' : u.conversationId;
            const value = u.cseq ?? u.pseq ?? 0;
            assert.equal(value, (counts.get(key) ?? 0) + 1, `a gap in ${key}`);
            counts.set(key, value);
          }
          // per-conversation order
          const lastOrder = new Map<string, number>();
          for (const u of d.applied.filter((x) => x.type === 'message')) {
            const order = u.message?.order ?? 0;
            assert.ok(order > (lastOrder.get(u.conversationId) ?? 0), `order went back in ${u.conversationId}`);
            lastOrder.set(u.conversationId, order);
          }
          // every text message of the person's conversations, once
          const got = d.applied.filter((u) => u.type === 'message' && u.message?.kind === 'text').map((u) => u.message?.id);
          const expected = sent.filter((s) => members[s.conv]?.includes(d.person)).map((s) => s.id);
          assert.equal(new Set(got).size, got.length, 'no duplicate message');
          assert.deepEqual(new Set(got), new Set(expected));
        }
        // two devices of one person see the same log
        assert.deepEqual(devices[0]?.applied, devices[1]?.applied);
        assert.deepEqual(devices[2]?.applied, devices[3]?.applied);
        // per conversation: orders 1..last without gaps, one message per client id
        for (const [c, id] of conversations.entries()) {
          const page = await messages.history(ada.userId, id, { limit: 1000 });
          assert.deepEqual(page.messages.map((m) => m.order), page.messages.map((_, i) => i + 1));
          const texts = page.messages.filter((m) => m.kind === 'text');
          assert.equal(texts.length, sent.filter((s) => s.conv === c).length);
        }
      }),
      { numRuns: 25 },
    );
  });
});
