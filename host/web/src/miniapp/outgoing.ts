/**
 * @module What the container sends on the socket, typed from the host's own zod schemas (type-only imports:
 * nothing of the server is bundled), and the builders for the messages that carry no logic of their own.
 */
import type { z } from 'zod';
import type {
  AppBackMessage,
  AppCloseMessage,
  AppEventMessage,
  AppLaunchMessage,
  AppNavigateMessage,
  AppPromptReplyMessage,
  AppResumeMessage,
} from '../../../src/sessions/protocol.ts';

/** Messages without their `id` (the socket adds one to requests). */
type Unnumbered<T> = Omit<T, 'id'>;

export type LaunchRequest = Unnumbered<z.input<typeof AppLaunchMessage>>;
export type ResumeRequest = Unnumbered<z.input<typeof AppResumeMessage>>;
export type EventMessage = Unnumbered<z.input<typeof AppEventMessage>>;
export type BackMessage = Unnumbered<z.input<typeof AppBackMessage>>;
export type NavigateMessage = Unnumbered<z.input<typeof AppNavigateMessage>>;
export type CloseMessage = Unnumbered<z.input<typeof AppCloseMessage>>;
export type PromptReplyMessage = Unnumbered<z.input<typeof AppPromptReplyMessage>>;
/** The answer part of a prompt reply. */
export type PromptResult = PromptReplyMessage['result'];
/** How a `navigator` opens its `url`. */
export type OpenType = NonNullable<NavigateMessage['openType']>;

const OPEN_TYPES: readonly OpenType[] = ['navigate', 'redirect', 'switchTab', 'reLaunch', 'navigateBack'];

/** An event for `handler` on page `pageId`. */
export function eventMessage(session: string, pageId: number, handler: string, detail: unknown): EventMessage {
  return { t: 'app.event', session, pageId, handler, detail };
}

/**
 * A navigator tap: `app.navigate` with its `url` (an unknown `openType` counts as `navigate`), or `app.back` for
 * `navigateBack`; nothing when the `url` is missing or too long.
 * @example navigatorMessage('ses_1', 'pages/item?id=3', 'redirect') // { t: 'app.navigate', session: 'ses_1', url: 'pages/item?id=3', openType: 'redirect' }
 */
export function navigatorMessage(session: string, url: unknown, openType: unknown): NavigateMessage | BackMessage | undefined {
  const type = OPEN_TYPES.find((candidate) => candidate === openType) ?? 'navigate';
  if (type === 'navigateBack') return { t: 'app.back', session };
  if (typeof url !== 'string' || url.length === 0 || url.length > 1024) return undefined;
  return { t: 'app.navigate', session, url, openType: type };
}
