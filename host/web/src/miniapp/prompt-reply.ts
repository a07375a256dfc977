/**
 * @module The answers to the host's prompts (`app.prompt` → `app.prompt.reply`): consent, modal, action sheet,
 * scan, share and pay, each shaped and clamped to what the host's schema accepts, so a reply is never refused.
 */
import type { AppPrompt } from '../../../src/sessions/protocol.ts';
import type { PromptReplyMessage, PromptResult } from './outgoing.ts';

/** The largest scanned text a reply carries; longer codes are answered as "nothing scanned". */
export const MAX_SCAN_TEXT = 4096;
/** The longest text an editable modal returns. */
export const MAX_MODAL_CONTENT = 1000;
/** How many items an action sheet shows (WeChat's limit, and the schema's `tapIndex` range). */
export const MAX_SHEET_ITEMS = 6;

/** The person's answer, before it is shaped for the wire. */
export type PromptAnswer =
  | { kind: 'consent'; allow: boolean }
  | { kind: 'modal'; confirm: boolean; content?: string }
  /** `tapIndex` -1 is "cancel". */
  | { kind: 'actionSheet'; tapIndex: number }
  | { kind: 'scan'; text: string | null }
  /** The chat the person picked for an app's card (`atrium.shareToChat()`); null: cancelled. */
  | { kind: 'share'; conversationId: string | null; clientId?: string }
  /** The pay sheet closed; `paid` once the shell paid the order (the host checks the order itself). */
  | { kind: 'pay'; paid: boolean };

/** The result part for `answer`, clamped to the schema's limits. */
export function promptResult(prompt: AppPrompt, answer: PromptAnswer): PromptResult {
  switch (answer.kind) {
    case 'consent':
      return { kind: 'consent', allow: answer.allow };
    case 'modal': {
      const editable = prompt.kind === 'modal' && prompt.editable;
      const result: PromptResult = { kind: 'modal', confirm: answer.confirm };
      return editable && answer.confirm && answer.content !== undefined ? { ...result, content: answer.content.slice(0, MAX_MODAL_CONTENT) } : result;
    }
    case 'actionSheet': {
      const count = prompt.kind === 'actionSheet' ? Math.min(prompt.items.length, MAX_SHEET_ITEMS) : 0;
      const valid = Number.isInteger(answer.tapIndex) && answer.tapIndex >= 0 && answer.tapIndex < count;
      return { kind: 'actionSheet', tapIndex: valid ? answer.tapIndex : -1 };
    }
    case 'scan':
      return { kind: 'scan', text: answer.text !== null && answer.text.length <= MAX_SCAN_TEXT ? answer.text : null };
    case 'share':
      // The client id makes the card's send idempotent if this reply is retried.
      return { kind: 'share', conversationId: answer.conversationId, clientId: answer.clientId ?? crypto.randomUUID() };
    case 'pay':
      return { kind: 'pay', paid: answer.paid };
  }
}

/** What a prompt's sheet answers when it is dismissed (Escape, backdrop, the app closing): a refusal. */
export function dismissAnswer(prompt: AppPrompt): PromptAnswer {
  switch (prompt.kind) {
    case 'consent':
      return { kind: 'consent', allow: false };
    case 'modal':
      return { kind: 'modal', confirm: false };
    case 'actionSheet':
      return { kind: 'actionSheet', tapIndex: -1 };
    case 'scan':
      return { kind: 'scan', text: null };
    case 'share':
      return { kind: 'share', conversationId: null };
    case 'pay':
      return { kind: 'pay', paid: false };
  }
}

/**
 * The reply message for `prompt`; an answer of another kind than the prompt's is treated as a dismissal.
 * @example promptReply(consentPrompt, { kind: 'consent', allow: true }) // { t: 'app.prompt.reply', session, promptId, result: { kind: 'consent', allow: true } }
 */
export function promptReply(prompt: AppPrompt, answer: PromptAnswer): PromptReplyMessage {
  const fitting = answer.kind === prompt.kind ? answer : dismissAnswer(prompt);
  return { t: 'app.prompt.reply', session: prompt.session, promptId: prompt.promptId, result: promptResult(prompt, fitting) };
}
