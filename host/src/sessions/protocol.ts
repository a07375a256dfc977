/**
 * @module The mini-app messages on the device's WebSocket (`/v1/ws`), between the shell's mini-app container
 * and the host's session manager. Client → host messages are zod-validated here; host → client ones are typed.
 * View content travels only as patch records of whitelisted components (see sdk/src/protocol.ts).
 */
import { z } from 'zod';
import type { Json, PatchRecord } from '../../../sdk/src/protocol.ts';

const SESSION_ID = /^ses_[0-9a-z]+$/;
const SessionId = z.string().min(1).max(64).regex(SESSION_ID);
const AppId = z.string().min(3).max(64).regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/);
const PagePath = z.string().min(1).max(256).regex(/^[A-Za-z0-9_\-/]+$/);
const Query = z.record(z.string().max(64), z.string().max(1024));
const Id = z.union([z.number().int(), z.string().max(64)]);

/** Open an app (from a link, a QR code, a chat card): acked with {@link LaunchResult}. */
export const AppLaunchMessage = z.strictObject({
  t: z.literal('app.launch'),
  id: Id,
  appId: AppId,
  path: PagePath.optional(),
  query: Query.optional(),
  /** A preview link's token: open that version (members and testers only). */
  preview: z.string().regex(/^pv[0-9a-z]{24}$/).optional(),
});

/** An event from a rendered component: `handler` is the name the view tree gave (e.g. `onTap: 'add'`). */
export const AppEventMessage = z.strictObject({
  t: z.literal('app.event'),
  id: Id.optional(),
  session: SessionId,
  pageId: z.number().int().min(1),
  handler: z.string().min(1).max(64),
  detail: z.unknown(),
});

const EVENT_KEYS: ReadonlySet<string> = new Set(['t', 'id', 'session', 'pageId', 'handler', 'detail']);

/**
 * A hand check that accepts only what {@link AppEventMessage} accepts (tests hold it to that), for the socket's
 * commonest message: a schema walk costs ~60 µs of a tap's round trip when the caches are cold between taps,
 * ten times its warm cost. What it does not accept, the schema judges (and words the error).
 */
export function isPlainAppEvent(m: Record<string, unknown>): boolean {
  for (const key in m) if (!EVENT_KEYS.has(key)) return false;
  const { t, id, session, pageId, handler } = m;
  return (
    t === 'app.event' &&
    (id === undefined || Number.isSafeInteger(id) || (typeof id === 'string' && id.length <= 64)) &&
    typeof session === 'string' && session.length >= 1 && session.length <= 64 && SESSION_ID.test(session) &&
    Number.isSafeInteger(pageId) && (pageId as number) >= 1 &&
    typeof handler === 'string' && handler.length >= 1 && handler.length <= 64 &&
    Object.hasOwn(m, 'detail') // the schema wants the key, whatever its value
  );
}

/** The shell's back button / gesture on the app's page stack. */
export const AppBackMessage = z.strictObject({ t: z.literal('app.back'), id: Id.optional(), session: SessionId });

/** A `navigator` component was tapped: open `url` (an app page path with query) the way `openType` says. */
export const AppNavigateMessage = z.strictObject({
  t: z.literal('app.navigate'),
  id: Id.optional(),
  session: SessionId,
  url: z.string().min(1).max(1024),
  openType: z.enum(['navigate', 'redirect', 'switchTab', 'reLaunch', 'navigateBack']).default('navigate'),
});

/** The person closed the app (or the shell navigated away). */
export const AppCloseMessage = z.strictObject({ t: z.literal('app.close'), id: Id.optional(), session: SessionId });

/** Re-attach after a reload or reconnect: the host re-sends the page stack and full trees (`MOUNT`). */
export const AppResumeMessage = z.strictObject({ t: z.literal('app.resume'), id: Id, session: SessionId });

/** The person's answer to an {@link AppPrompt}. */
export const AppPromptReplyMessage = z.strictObject({
  t: z.literal('app.prompt.reply'),
  id: Id.optional(),
  session: SessionId,
  promptId: z.number().int().min(1),
  result: z.union([
    z.strictObject({ kind: z.literal('consent'), allow: z.boolean() }),
    z.strictObject({ kind: z.literal('modal'), confirm: z.boolean(), content: z.string().max(1000).optional() }),
    z.strictObject({ kind: z.literal('actionSheet'), tapIndex: z.number().int().min(-1).max(5) }),
    z.strictObject({ kind: z.literal('scan'), text: z.string().max(4096).nullable() }),
    /** The chat the person picked for a card (null: cancelled), and the idempotency key of the message to send. */
    z.strictObject({ kind: z.literal('share'), conversationId: z.string().min(1).max(64).nullable(), clientId: z.string().min(1).max(64) }),
    /**
     * The pay sheet closed: `paid` after the shell paid the order over `/v1/orders/{id}/pay` with the person's PIN.
     * Only a hint: the host reads the outcome from the order itself.
     */
    z.strictObject({ kind: z.literal('pay'), paid: z.boolean() }),
  ]),
});

/** The ack result of `app.launch`. */
export interface LaunchResult {
  session: string;
  /** `versionCode` also names the version's assets: `/v1/apps/<id>/versions/<code>/assets/<path>`. */
  app: { id: string; name: string; version: string; versionCode: number };
  window: { title: string; backgroundColor?: string; navigationBarBackgroundColor?: string; navigationBarTextStyle?: 'black' | 'white' };
  tabBar?: Array<{ path: string; text: string }>;
}

/** Host → shell: a page was pushed, replaced, popped or the stack reset (`stack` is the whole stack after). */
export interface AppPageMessage {
  t: 'app.page';
  session: string;
  stack: Array<{ pageId: number; route: string; title: string }>;
}

/** Host → shell: patches for one page's view. */
export interface AppPatchMessage {
  t: 'app.patch';
  session: string;
  pageId: number;
  patches: PatchRecord[];
}

/** Host → shell: fire-and-forget UI from the bridge (`showToast`, `setNavigationBarTitle`). */
export type AppUiMessage =
  | { t: 'app.ui'; session: string; kind: 'toast'; title: string; icon: 'success' | 'error' | 'loading' | 'none'; durationMs: number }
  | { t: 'app.ui'; session: string; kind: 'title'; pageId: number; title: string };

/** Host → shell: something the person must answer; reply with `app.prompt.reply`. */
export type AppPrompt =
  | { t: 'app.prompt'; session: string; promptId: number; kind: 'consent'; scope: string; reason: string; app: { id: string; name: string } }
  | { t: 'app.prompt'; session: string; promptId: number; kind: 'modal'; title: string; content: string; showCancel: boolean; editable: boolean; confirmText: string; cancelText: string }
  | { t: 'app.prompt'; session: string; promptId: number; kind: 'actionSheet'; items: string[] }
  | { t: 'app.prompt'; session: string; promptId: number; kind: 'scan' }
  | { t: 'app.prompt'; session: string; promptId: number; kind: 'share'; app: { id: string; name: string }; card: { title: string; imageUrl: string | null } }
  /** `atrium.requestPayment()`: the pay sheet for an order the host checked (the amount is the order's). */
  | { t: 'app.prompt'; session: string; promptId: number; kind: 'pay'; app: { id: string; name: string }; order: PayPromptOrder };

/** What the pay sheet shows of the order; the shell pays it by `id` with the person's own token and PIN. */
export interface PayPromptOrder {
  id: string;
  merchantName: string;
  amount: number;
  currency: string;
  description: string;
  expiresAt: number;
}

/** Host → shell: the app's logic crashed or was stopped; offer "reload" (a new `app.launch`). */
export interface AppCrashedMessage {
  t: 'app.crashed';
  session: string;
  code: string;
  message: string;
}

/** Everything the host may push about mini-apps. */
/** Host → shell (development hosts, `atrium dev`): a new version of the app is out; close and launch again. */
export type AppReloadMessage = { t: 'app.reload'; session: string; appId: string };

/** Host → shell (development hosts): the app's new source does not build; the session keeps the last good version. */
export type AppBuildErrorMessage = { t: 'app.build_error'; session: string; appId: string; lines: string[] };

export type AppServerMessage = AppPageMessage | AppPatchMessage | AppUiMessage | AppPrompt | AppCrashedMessage | AppReloadMessage | AppBuildErrorMessage;

export type { Json };
