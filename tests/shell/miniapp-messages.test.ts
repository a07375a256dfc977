/**
 * @module What the container sends: each event's `detail` (the SDK's contract), navigator messages, and the
 * replies to the host's prompts, clamped to what the host's schemas accept.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppEventMessage, AppNavigateMessage, AppPromptReplyMessage } from '../../host/src/sessions/protocol.ts';
import type { AppPrompt } from '../../host/src/sessions/protocol.ts';
import { datasetOf, formDetail, imageDetail, inputDetail, MAX_EVENT_TEXT, pickerDetail, reachDetail, sliderDetail, swiperDetail, tapDetail, toggleDetail } from '../../host/web/src/miniapp/event-detail.ts';
import { eventMessage, navigatorMessage } from '../../host/web/src/miniapp/outgoing.ts';
import { dismissAnswer, promptReply } from '../../host/web/src/miniapp/prompt-reply.ts';

const SESSION = 'ses_7k2m';

describe('event details', () => {
  it('always carries the dataset, scalars only', () => {
    assert.deepEqual(tapDetail({}), { dataset: {} });
    assert.deepEqual(tapDetail({ dataset: { id: 3, done: true, name: 'milk', nested: { x: 1 }, list: [1] } }), { dataset: { id: 3, done: true, name: 'milk' } });
    assert.deepEqual(datasetOf({ dataset: 'not an object' }), {});
  });

  it('shapes each event as the SDK documents', () => {
    const props = { dataset: { row: 1 } };
    assert.deepEqual(inputDetail(props, 'milk'), { value: 'milk', dataset: { row: 1 } });
    assert.equal(inputDetail({}, 'x'.repeat(MAX_EVENT_TEXT + 5)).value.length, MAX_EVENT_TEXT);
    assert.deepEqual(toggleDetail({ value: 'a' }, true), { checked: true, value: 'a', dataset: {} });
    assert.deepEqual(toggleDetail({}, false), { checked: false, value: '', dataset: {} }, 'a switch has no value');
    assert.deepEqual(sliderDetail({}, Number.NaN), { value: 0, dataset: {} });
    assert.deepEqual(pickerDetail({}, 2), { value: 2, dataset: {} });
    assert.deepEqual(swiperDetail({}, 1, 'touch'), { current: 1, source: 'touch', dataset: {} });
    assert.deepEqual(reachDetail({}, true, false), { direction: 'bottom', dataset: {} });
    assert.deepEqual(reachDetail({}, false, true), { direction: 'left', dataset: {} });
    assert.deepEqual(imageDetail({}, { width: 10, height: 20 }), { width: 10, height: 20, dataset: {} });
  });

  it('collects a form: text, switches, checkbox groups as arrays, the checked radio', () => {
    const detail = formDetail({}, [
      { name: 'title', kind: 'text', value: 'Milk' },
      { name: 'urgent', kind: 'switch', value: true },
      { name: 'tags', kind: 'checkbox', value: 'home', checked: true },
      { name: 'tags', kind: 'checkbox', value: 'work', checked: false },
      { name: 'tags', kind: 'checkbox', value: 'shop', checked: true },
      { name: 'none', kind: 'checkbox', value: 'x', checked: false },
      { name: 'size', kind: 'radio', value: 's', checked: false },
      { name: 'size', kind: 'radio', value: 'm', checked: true },
      { name: 'when', kind: 'picker', value: '2026-11-23' },
      { name: '__proto__', kind: 'text', value: 'polluted' },
    ]);
    assert.deepEqual(detail, { value: { title: 'Milk', urgent: true, tags: ['home', 'shop'], none: [], size: 'm', when: '2026-11-23' }, dataset: {} });
  });

  it('builds events the host accepts', () => {
    const message = eventMessage(SESSION, 2, 'onAdd', tapDetail({}));
    assert.equal(AppEventMessage.safeParse(message).success, true);
  });
});

describe('navigator', () => {
  it('sends app.navigate with the open type, or app.back', () => {
    const message = navigatorMessage(SESSION, '/pages/item?id=3', 'redirect');
    assert.deepEqual(message, { t: 'app.navigate', session: SESSION, url: '/pages/item?id=3', openType: 'redirect' });
    assert.equal(AppNavigateMessage.safeParse(message).success, true);
    assert.equal(navigatorMessage(SESSION, '/pages/item', 'bogus')?.t, 'app.navigate');
    assert.deepEqual(navigatorMessage(SESSION, undefined, 'navigateBack'), { t: 'app.back', session: SESSION });
    assert.equal(navigatorMessage(SESSION, undefined, 'navigate'), undefined);
    assert.equal(navigatorMessage(SESSION, 'x'.repeat(1025), 'navigate'), undefined);
  });
});

describe('prompt replies', () => {
  const consent: AppPrompt = { t: 'app.prompt', session: SESSION, promptId: 1, kind: 'consent', scope: 'userInfo', reason: 'To greet you', app: { id: 'dev.atrium.profile', name: 'Profile' } };
  const modal: AppPrompt = { t: 'app.prompt', session: SESSION, promptId: 2, kind: 'modal', title: 'Name?', content: 'Ada', showCancel: true, editable: true, confirmText: 'OK', cancelText: 'No' };
  const plainModal: AppPrompt = { ...modal, promptId: 3, editable: false } as AppPrompt;
  const sheet: AppPrompt = { t: 'app.prompt', session: SESSION, promptId: 4, kind: 'actionSheet', items: ['a', 'b', 'c'] };
  const scan: AppPrompt = { t: 'app.prompt', session: SESSION, promptId: 5, kind: 'scan' };
  const valid = (reply: unknown): boolean => AppPromptReplyMessage.safeParse(reply).success;

  it('answers consent', () => {
    const reply = promptReply(consent, { kind: 'consent', allow: true });
    assert.deepEqual(reply, { t: 'app.prompt.reply', session: SESSION, promptId: 1, result: { kind: 'consent', allow: true } });
    assert.ok(valid(reply));
  });

  it('answers modals, with the text only when editable and confirmed, cut to 1000 characters', () => {
    assert.deepEqual(promptReply(modal, { kind: 'modal', confirm: true, content: 'Grace' }).result, { kind: 'modal', confirm: true, content: 'Grace' });
    assert.deepEqual(promptReply(modal, { kind: 'modal', confirm: false, content: 'Grace' }).result, { kind: 'modal', confirm: false });
    assert.deepEqual(promptReply(plainModal, { kind: 'modal', confirm: true, content: 'x' }).result, { kind: 'modal', confirm: true });
    const long = promptReply(modal, { kind: 'modal', confirm: true, content: 'y'.repeat(5000) });
    assert.ok(valid(long));
  });

  it('answers action sheets with a valid index or -1', () => {
    assert.deepEqual(promptReply(sheet, { kind: 'actionSheet', tapIndex: 2 }).result, { kind: 'actionSheet', tapIndex: 2 });
    assert.deepEqual(promptReply(sheet, { kind: 'actionSheet', tapIndex: 3 }).result, { kind: 'actionSheet', tapIndex: -1 });
    assert.deepEqual(promptReply(sheet, { kind: 'actionSheet', tapIndex: 1.5 }).result, { kind: 'actionSheet', tapIndex: -1 });
    assert.ok(valid(promptReply(sheet, { kind: 'actionSheet', tapIndex: 0 })));
  });

  it('answers scans with the text, or null when cancelled or too long', () => {
    assert.deepEqual(promptReply(scan, { kind: 'scan', text: 'hello' }).result, { kind: 'scan', text: 'hello' });
    assert.deepEqual(promptReply(scan, { kind: 'scan', text: 'z'.repeat(4097) }).result, { kind: 'scan', text: null });
    assert.ok(valid(promptReply(scan, { kind: 'scan', text: null })));
  });

  it('treats a dismissal or a mismatched answer as a refusal', () => {
    assert.deepEqual(promptReply(consent, dismissAnswer(consent)).result, { kind: 'consent', allow: false });
    assert.deepEqual(promptReply(consent, { kind: 'scan', text: 'x' }).result, { kind: 'consent', allow: false });
    assert.deepEqual(promptReply(sheet, dismissAnswer(sheet)).result, { kind: 'actionSheet', tapIndex: -1 });
    for (const prompt of [consent, modal, sheet, scan]) assert.ok(valid(promptReply(prompt, dismissAnswer(prompt))));
  });
});
