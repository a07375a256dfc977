/**
 * @module The host's answers to mini-app bridge calls (the runtime validates the args against the registry
 * first and answers navigation and timers itself). Each handler acts only for the session's person and app,
 * asks for consent where a scope needs it, and writes the person's access log for audited calls.
 */
import type { BridgeResult, HostBridgeHandlers } from '../../../runtime/src/bridge/registry.ts';
import { BRIDGE_APIS } from '../../../runtime/src/bridge/registry.ts';
import { PLATFORM_VERSION } from '../../../sdk/src/index.ts';
import type { AccessLog } from '../apps/access-log.ts';
import type { ConsentService } from '../apps/consent.ts';
import type { AppIdentities } from '../apps/identities.ts';
import type { AppNetwork } from '../apps/network.ts';
import type { AppStorage } from '../apps/storage.ts';
import type { AppPayments, PaymentRef } from '../merchants/app-payments.ts';
import { AtriumError, isAtriumError } from '../core/errors.ts';
import type { IdentityService } from '../identity/service.ts';
import type { MessageService } from '../messaging/messages.ts';
import type { SocketHub } from '../realtime/hub.ts';
import type { Prompter } from './prompter.ts';

/** What the handlers know about a running session. */
export interface SessionContext {
  session: string;
  userId: string;
  /** The device that shows the app (prompts and UI go there). */
  deviceId: string;
  appId: string;
  appName: string;
  /** `req_permissions` of the running version's manifest. */
  permissions: ReadonlyArray<{ name: string; reason: string }>;
  /** `network_domains` of the running version's manifest. */
  networkDomains: readonly string[];
  /** `pages` of the running version's manifest. */
  pages: readonly string[];
  /** The page on top of the app's stack, if any. */
  topPageId(): number | undefined;
  /** Remembers a page's title (re-sent when the shell reloads). */
  rememberTitle(pageId: number, title: string): void;
}

/** What the handlers need. */
export interface BridgeHandlerDeps {
  context: (sessionId: string) => SessionContext | undefined;
  identity: IdentityService;
  identities: AppIdentities;
  consent: ConsentService;
  accessLog: AccessLog;
  storage: AppStorage;
  network: AppNetwork;
  prompter: Prompter;
  hub: SocketHub;
  /** Sends the cards of `shareToChat` (for the person, to the chat they picked). */
  messages: Pick<MessageService, 'sendCard'>;
  /** In-app payments: merchant bindings, the checks before the pay sheet, the outcome read from the order. */
  payments: Pick<AppPayments, 'payableOrder' | 'paidBy'>;
}

/**
 * How long the pay sheet waits for the person (within the bridge call's 5 minutes): an order is looked at,
 * perhaps paid from another currency after a quote, the PIN typed, maybe twice.
 */
export const PAY_PROMPT_TIMEOUT_MS = 4 * 60_000;

const fail = (code: string, message: string): BridgeResult => ({ ok: false, code, message });

/**
 * Storage writes are audited, but a to-do app writes on every tap: one row per session and minute says the
 * same to the person without burying the rows that matter (profile, network, login, scans: always logged).
 */
const COALESCED_APIS = new Set(['storage.set']);
const COALESCE_MS = 60_000;

/** Builds the table of host bridge handlers, one per host-side API of the registry. */
export function createBridgeHandlers(deps: BridgeHandlerDeps): HostBridgeHandlers {
  const { identities, consent, accessLog, storage, network, prompter, hub } = deps;
  const lastLogged = new Map<string, number>();

  /** Writes an access-log row unless an identical one for this session was written within the minute. */
  async function audit(ctx: SessionContext, api: string, outcome: 'allowed' | 'denied' | 'failed', detail: string | undefined): Promise<void> {
    if (COALESCED_APIS.has(api) && outcome === 'allowed') {
      const key = `${ctx.session}:${api}`;
      const now = Date.now();
      if (now - (lastLogged.get(key) ?? 0) < COALESCE_MS) return;
      if (lastLogged.size > 10_000) lastLogged.clear();
      lastLogged.set(key, now);
    }
    await accessLog.record({ userId: ctx.userId, appId: ctx.appId, api, outcome, detail });
  }

  /** Runs `fn` for a live session; turns AtriumErrors into `{ code, message }` and logs audited calls. */
  function handle<A>(api: keyof typeof BRIDGE_APIS, fn: (ctx: SessionContext, args: A) => Promise<{ result: unknown; detail?: string }>) {
    return async (sessionId: string, args: A): Promise<BridgeResult> => {
      const ctx = deps.context(sessionId);
      if (!ctx) return fail('SESSION_NOT_FOUND', 'This session has ended.');
      const audited = BRIDGE_APIS[api].audited;
      try {
        const { result, detail } = await fn(ctx, args);
        if (audited) await audit(ctx, api, 'allowed', detail);
        return { ok: true, result };
      } catch (error) {
        if (!isAtriumError(error)) throw error;
        if (audited) await audit(ctx, api, error.code === 'PERMISSION_DENIED' ? 'denied' : 'failed', error.code);
        return fail(error.code, error.detail ?? error.title);
      }
    };
  }

  /** Resolves a scope: remembered answer, or a consent sheet on the app's device. */
  async function ensureScope(ctx: SessionContext, scope: string): Promise<void> {
    const declared = ctx.permissions.map((p) => p.name);
    let decision = await consent.decide(ctx.userId, ctx.appId, scope, declared);
    if (decision === 'ask') {
      const reason = ctx.permissions.find((p) => p.name === scope)?.reason ?? '';
      const answer = await prompter.ask(ctx.deviceId, ctx.session, { kind: 'consent', scope, reason, app: { id: ctx.appId, name: ctx.appName } });
      decision = answer.kind === 'consent' && answer.allow ? 'allow' : 'deny';
      await consent.record(ctx.userId, ctx.appId, scope, decision);
    }
    if (decision === 'deny') {
      throw new AtriumError({ code: 'PERMISSION_DENIED', detail: `You did not allow "${scope}". The app may ask again.` });
    }
  }

  return {
    login: handle('login', async (ctx) => {
      const { code } = await identities.issueLoginCode(ctx.appId, ctx.userId);
      return { result: { code }, detail: 'login code issued' };
    }),

    getUserProfile: handle('getUserProfile', async (ctx) => {
      await ensureScope(ctx, 'userInfo');
      const me = await deps.identity.me(ctx.userId);
      const profile = { nickname: me.displayName, avatarUrl: null };
      // rawData + signature (HMAC with the session key of the app's last code exchange) let its backend trust it.
      const rawData = JSON.stringify(profile);
      const signature = await identities.sign(ctx.appId, ctx.userId, rawData);
      return { result: { ...profile, rawData, signature: signature ?? null }, detail: 'public profile' };
    }),

    'storage.get': handle('storage.get', async (ctx, args: { key: string }) => {
      const value = await storage.get(ctx.userId, ctx.appId, args.key);
      return { result: value === undefined ? {} : { value } };
    }),
    'storage.set': handle('storage.set', async (ctx, args: { key: string; value: unknown }) => {
      await storage.set(ctx.userId, ctx.appId, args.key, args.value);
      return { result: null, detail: `key "${args.key}"` };
    }),
    'storage.remove': handle('storage.remove', async (ctx, args: { key: string }) => ({ result: { removed: await storage.remove(ctx.userId, ctx.appId, args.key) } })),
    'storage.keys': handle('storage.keys', async (ctx) => ({ result: { keys: (await storage.info(ctx.userId, ctx.appId)).keys } })),
    'storage.info': handle('storage.info', async (ctx) => ({ result: await storage.info(ctx.userId, ctx.appId) })),

    request: handle('request', async (ctx, args: { url: string; method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS'; header?: Record<string, string>; data?: unknown; responseType?: 'text' | 'json' }) => {
      const body = args.data === undefined || args.method === 'GET' || args.method === 'HEAD' ? undefined : typeof args.data === 'string' ? args.data : JSON.stringify(args.data);
      const headers = { ...(body !== undefined && typeof args.data !== 'string' ? { 'content-type': 'application/json' } : {}), ...args.header };
      const response = await network.request(ctx.session, ctx.networkDomains, { url: args.url, method: args.method ?? 'GET', headers, body });
      let data: unknown = response.body;
      if (args.responseType !== 'text' && /json/.test(response.headers['content-type'] ?? '')) {
        try {
          data = JSON.parse(response.body);
        } catch {
          data = response.body;
        }
      }
      const url = new URL(args.url);
      return { result: { statusCode: response.status, header: response.headers, data }, detail: `${args.method ?? 'GET'} ${url.host}${url.pathname}`.slice(0, 200) };
    }),

    showToast: handle('showToast', async (ctx, args: { title: string; icon?: 'success' | 'error' | 'loading' | 'none'; duration?: number }) => {
      hub.sendToDevice(ctx.deviceId, { t: 'app.ui', session: ctx.session, kind: 'toast', title: args.title, icon: args.icon ?? 'success', durationMs: args.duration ?? 1500 });
      return { result: null };
    }),

    setNavigationBarTitle: handle('setNavigationBarTitle', async (ctx, args: { title: string }) => {
      const pageId = ctx.topPageId();
      if (pageId !== undefined) {
        ctx.rememberTitle(pageId, args.title);
        hub.sendToDevice(ctx.deviceId, { t: 'app.ui', session: ctx.session, kind: 'title', pageId, title: args.title });
      }
      return { result: null };
    }),

    showModal: handle('showModal', async (ctx, args: { title?: string; content?: string; showCancel?: boolean; cancelText?: string; confirmText?: string }) => {
      const answer = await prompter.ask(ctx.deviceId, ctx.session, {
        kind: 'modal',
        title: args.title ?? '',
        content: args.content ?? '',
        showCancel: args.showCancel ?? true,
        editable: false,
        confirmText: args.confirmText ?? '',
        cancelText: args.cancelText ?? '',
      });
      const confirm = answer.kind === 'modal' && answer.confirm;
      return { result: { confirm, cancel: !confirm } };
    }),

    showActionSheet: handle('showActionSheet', async (ctx, args: { itemList: string[] }) => {
      const answer = await prompter.ask(ctx.deviceId, ctx.session, { kind: 'actionSheet', items: args.itemList });
      const tapIndex = answer.kind === 'actionSheet' ? answer.tapIndex : -1;
      if (tapIndex < 0 || tapIndex >= args.itemList.length) {
          throw new AtriumError({ code: 'CANCELLED', detail: 'The person cancelled.' });
      }
      return { result: { tapIndex } };
    }),

    scanCode: handle('scanCode', async (ctx) => {
      const answer = await prompter.ask(ctx.deviceId, ctx.session, { kind: 'scan' });
      const text = answer.kind === 'scan' ? answer.text : null;
      if (text === null) {
          throw new AtriumError({ code: 'CANCELLED', detail: 'The person closed the scanner.' });
      }
      return { result: { result: text, scanType: 'QR_CODE' }, detail: 'scanned a code' };
    }),

    shareToChat: handle('shareToChat', async (ctx, args: { title: string; path: string; query?: Record<string, string> | undefined; imageUrl?: string | undefined }) => {
      const path = args.path.replace(/^\//, '');
      if (!ctx.pages.includes(path)) throw new AtriumError({ code: 'NOT_FOUND', detail: `The app has no page ${path}.` });
      const imageUrl = args.imageUrl ?? null;
      const answer = await prompter.ask(ctx.deviceId, ctx.session, { kind: 'share', app: { id: ctx.appId, name: ctx.appName }, card: { title: args.title, imageUrl } });
      if (answer.kind !== 'share' || answer.conversationId === null) throw new AtriumError({ code: 'CANCELLED', detail: 'The person closed the chat picker.' });
      const card = { appId: ctx.appId, appName: ctx.appName, title: args.title, path, query: args.query ?? {}, imageUrl };
      // The person's own send: members only, idempotent on the shell's client id, rate-limited like any message.
      const { message } = await deps.messages.sendCard(ctx.userId, answer.conversationId, { clientId: answer.clientId, card });
      // The app learns that it was shared, never where: the log names the page, not the chat.
      return { result: null, detail: `shared ${path} to a chat (message ${message.order})`.slice(0, 200) };
    }),

    requestPayment: handle('requestPayment', async (ctx, args: PaymentRef) => {
      // The order (and so the amount) comes from the merchant's server, never from the app's arguments.
      const order = deps.payments.payableOrder(ctx.appId, args);
      const sheet = { id: order.id, merchantName: order.merchantName, amount: order.amount, currency: order.currency, description: order.description, expiresAt: order.expiresAt };
      let timedOut: unknown;
      await prompter.ask(ctx.deviceId, ctx.session, { kind: 'pay', app: { id: ctx.appId, name: ctx.appName }, order: sheet }, PAY_PROMPT_TIMEOUT_MS).catch((error: unknown) => {
        if (!isAtriumError(error) || error.code !== 'PROMPT_TIMEOUT') throw error;
        timedOut = error;
      });
      // The shell paid with the person's PIN over the wallet's own order payment; whatever the sheet said, the
      // order itself tells whether this person paid it.
      const paid = deps.payments.paidBy(order.id, ctx.userId);
      if (!paid) {
        if (timedOut) throw timedOut;
        throw new AtriumError({ code: 'PAYMENT_CANCELLED', detail: 'The person closed the pay sheet without paying.' });
      }
      return { result: paid, detail: `paid ${order.merchantName} for order ${order.outTradeNo}`.slice(0, 200) };
    }),

    getSystemInfo: handle('getSystemInfo', async (ctx) => {
      const me = await deps.identity.me(ctx.userId);
      return { result: { platform: 'web', platformVersion: PLATFORM_VERSION, locale: me.locale ?? 'en', theme: 'light' } };
    }),
  };
}
