/**
 * @module `createHost`: builds the whole host as one hono app from its parts, so tests run it in-process.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import pino, { type Logger } from 'pino';
import { AccessLog } from './apps/access-log.ts';
import { ConsentService } from './apps/consent.ts';
import { AppIdentities } from './apps/identities.ts';
import { LaunchContexts } from './apps/launch-context.ts';
import { AppRegistry } from './apps/registry.ts';
import { appsRoutes, miniappBackendRoutes } from './apps/routes.ts';
import { assetRoutes } from './apps/assets.ts';
import { AppStorage } from './apps/storage.ts';
import { createMemoryBus, type Bus } from './bus/bus.ts';
import { defaultConfig, type HostConfig } from './config.ts';
import { ContactsService } from './contacts/service.ts';
import { contactsRoutes } from './contacts/routes.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { AtriumError } from './core/errors.ts';
import { systemRandom, type Random } from './core/random.ts';
import type { Database } from './db/database.ts';
import { notFound, onError } from './http/error-handler.ts';
import { limitBodyTo } from './http/middleware/body-limit.ts';
import { requireAuth } from './http/middleware/auth.ts';
import { requestContext } from './http/middleware/request-context.ts';
import { createMemoryRateLimiter, type RateLimiter } from './http/rate-limiter.ts';
import { LoginTicketService } from './identity/login-tickets.ts';
import { createPasswordHasher } from './identity/passwords.ts';
import { authRoutes, deviceRoutes, meRoutes, peopleRoutes } from './identity/routes.ts';
import { DEVICE_REVOKED, IdentityService } from './identity/service.ts';
import { createTokenService, type TokenService } from './identity/tokens.ts';
import { shellRoutes } from './shell/routes.ts';
import { docsRoutes } from './system/docs.ts';
import { systemRoutes } from './system/routes.ts';
import { SocketHub } from './realtime/hub.ts';
import { ConversationService } from './messaging/conversations.ts';
import { createFileBlobStore, type BlobStore } from './messaging/blobs.ts';
import { ImageService } from './messaging/images.ts';
import { InviteService } from './messaging/invites.ts';
import { MessageService } from './messaging/messages.ts';
import { conversationRoutes, inviteRoutes, searchRoutes, syncRoutes } from './messaging/routes.ts';
import { registerChatSocket } from './messaging/socket.ts';
import { ChatMoneyService } from './messaging/money.ts';
import { moneyRoutes } from './messaging/money-routes.ts';
import { SyncService } from './messaging/sync.ts';
import { AppNetwork } from './apps/network.ts';
import { createBridgeHandlers } from './sessions/bridge-handlers.ts';
import { createDeveloperPlatform, type DeveloperPlatform } from './developer/index.ts';
import { developerRoutes } from './developer/routes.ts';
import { PACKAGE_LIMITS, PackageError, readPackage } from '../../devtools/src/build/package.ts';
import { Prompter } from './sessions/prompter.ts';
import { AppBackMessage, AppCloseMessage, AppEventMessage, AppLaunchMessage, AppNavigateMessage, AppPromptReplyMessage, AppResumeMessage, isPlainAppEvent } from './sessions/protocol.ts';
import { MiniAppSessions, type MiniAppSessionsOptions } from './sessions/service.ts';
import { createRuntimeSupervisor } from '../../runtime/src/process/supervisor.ts';
import { upgradeWebSocket } from '@hono/node-server';
import { createTestFundingSource, type FundingSource } from './wallet/funding.ts';
import { IdempotencyService } from './wallet/idempotency.ts';
import { Ledger } from './wallet/ledger.ts';
import { PinService } from './wallet/pin.ts';
import { walletAdminRoutes, walletRoutes } from './wallet/routes.ts';
import { WalletService } from './wallet/service.ts';
import { merchantApiRoutes, merchantRoutes, orderPaymentRoutes, paymentCodeRoutes, webhookKeyRoutes } from './merchants/routes.ts';
import { WebhookService } from './merchants/webhooks.ts';
import { PaymentCodeService } from './merchants/payment-codes.ts';
import { parseFxRates } from './wallet/fx.ts';
import { MerchantService } from './merchants/service.ts';
import { AppPayments } from './merchants/app-payments.ts';
import { merchantAppRoutes, prepayRoutes } from './merchants/app-payment-routes.ts';
import { dirname, join } from 'node:path';
import './http/context.ts';
import { CachedRouter } from './http/cached-router.ts';

/** What `createHost` is made of. Only `db` is required. */
export interface HostOptions {
  db: Database;
  /** @default the wall clock */
  clock?: Clock;
  /** @default the operating system's CSPRNG */
  random?: Random;
  /** @default {@link defaultConfig} */
  config?: HostConfig;
  /** @default an in-process bus */
  bus?: Bus;
  /** @default pino at `info` to stdout */
  logger?: Logger;
  /** @default in-memory counters */
  limiter?: RateLimiter;
  /** Where uploaded images go. @default a `blobs` folder next to the database file */
  blobs?: BlobStore;
  /** Starts the sandbox runtime on the first mini-app launch. @default the runtime child process with default limits */
  createRuntime?: MiniAppSessionsOptions['createRuntime'];
  /** Where top-ups come from and withdrawals go. @default the built-in TEST provider (test cards only) */
  funding?: FundingSource;
}

/** The services behind the routes, for seeding, tests and later domains. */
export interface HostServices {
  identity: IdentityService;
  tickets: LoginTicketService;
  contacts: ContactsService;
  tokens: TokenService;
  apps: { registry: AppRegistry; identities: AppIdentities; launchContexts: LaunchContexts; consent: ConsentService; accessLog: AccessLog; storage: AppStorage; network: AppNetwork };
  bus: Bus;
  clock: Clock;
  config: HostConfig;
  logger: Logger;
  /** The developer platform: developer mode, apps, versions, review, release, tokens, previews. */
  developer: DeveloperPlatform;
  /** Chats and groups, messages, invites and sync. */
  messaging: { conversations: ConversationService; messages: MessageService; invites: InviteService; sync: SyncService; images: ImageService; money: ChatMoneyService };
  /** The WebSocket hub (`/v1/ws`): one socket per device. */
  hub: SocketHub;
  /** The wallet: ledger (group commit), idempotency keys, PINs, people's wallet. */
  wallet: { ledger: Ledger; idempotency: IdempotencyService; pins: PinService; service: WalletService; merchants: MerchantService; webhooks: WebhookService; appPayments: AppPayments };
  /** Live mini-app sessions (the runtime child starts on the first launch). */
  sessions: MiniAppSessions;
  /** Aborted by {@link HostServices.stop}: long polls answer at once with their current state. */
  stopping: AbortSignal;
  /** Begins shutdown: held requests (long polls) finish now instead of at their timeout. */
  stop(): void;
}

/** The host: a hono app (`fetch`, `request`) plus its services. */
export type Host = OpenAPIHono & { readonly services: HostServices };

/** Pushed to a person's sockets when their wallet moved (a payment, a refund, a hold): the shell refetches. */
const WALLET_UPDATE = Object.freeze({ t: 'wallet.update' });

/**
 * Builds the host.
 * @example const host = createHost({ db: tempDatabase() }); await host.request('/healthz');
 */
export function createHost(options: HostOptions): Host {
  const database = options.db;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const config = options.config ?? defaultConfig();
  const bus = options.bus ?? createMemoryBus();
  const logger = options.logger ?? pino({ level: 'info' });
  const limiter = options.limiter ?? createMemoryRateLimiter(clock);

  const tokens = createTokenService({ database, clock, random, config });
  const passwords = createPasswordHasher(config.passwordHashing);
  const identity = new IdentityService({ database, clock, random, config, bus, tokens, passwords, limiter });
  const tickets = new LoginTicketService({ database, clock, random, config, bus, identity, limiter });
  const contacts = new ContactsService({ database, clock, random, config, identity, limiter });
  const registry = new AppRegistry({ database, clock, random });
  const identities = new AppIdentities({ database, clock, random });
  const network = new AppNetwork({ allowLocalForDevelopment: config.development.allowLocalNetwork });
  const apps = {
    network,
    registry,
    identities,
    launchContexts: new LaunchContexts({ tokens, identities, registry }),
    consent: new ConsentService({ database, clock }),
    accessLog: new AccessLog({ database, clock, random }),
    storage: new AppStorage({ database, clock }),
  };
  const developer = createDeveloperPlatform({
    database,
    clock,
    random,
    publicUrl: config.publicUrl,
    sign: async (sha256) => (await tokens.signClaims({ sha256 }, { typ: 'atrium-package+jwt', audience: 'atrium-packages', subject: sha256, ttlMs: 365 * 24 * 3600_000 })).token,
  });
  // Each person whose wallet a committed batch moved gets `wallet.update` on their sockets (the shell refetches).
  const ledger = new Ledger({ database, clock, random, onSettled: (userIds) => hub.sendToUsers(userIds, WALLET_UPDATE) });
  const idempotency = new IdempotencyService({ database, clock });
  const pins = new PinService({ database, clock, random, hasher: passwords, maxAttempts: config.wallet.pinMaxAttempts, lockMs: config.wallet.pinLockMs });
  const funding = options.funding ?? createTestFundingSource({ now: () => clock.now() });
  const walletService = new WalletService({ database, clock, ledger, pins, idempotency, funding, identity, contacts, adminUserIds: config.wallet.adminUserIds, random });
  const webhooks = new WebhookService({ database, clock, random, allowLocalForDevelopment: config.development.allowLocalNetwork, developmentBackend: (hostname) => network.developmentBackend(hostname) });
  const codes = new PaymentCodeService({
    database,
    clock,
    random,
    // A payment code works only while its device is signed in; a signed-out device's secret is revoked too.
    deviceActive: async (userId, deviceId) => (await identity.listDevices({ userId, deviceId, expiresAt: 0 })).some((d) => d.id === deviceId),
  });
  bus.subscribe(DEVICE_REVOKED, (event) => void codes.revokeDevice((event as { deviceId: string }).deviceId).catch((error: unknown) => logger.error({ err: error }, 'payment-code revocation failed')));
  const merchants = new MerchantService({ database, clock, random, ledger, pins, idempotency, webhooks, codes, fxRates: parseFxRates(config.wallet.fxRates), micropayConfirmAbove: config.wallet.micropayConfirmAbove });
  const appPayments = new AppPayments({ database, clock, random, merchants, members: developer.members, audit: developer.audit });
  const wallet = { ledger, idempotency, pins, service: walletService, merchants, webhooks, appPayments };
  const auth = requireAuth((token) => identity.authenticate(token), (token) => identity.authenticatedNow(token));
  const stopping = new AbortController();
  const hub = new SocketHub({ bus, logger, authenticate: (token) => identity.authenticate(token) });
  stopping.signal.addEventListener('abort', () => hub.close());
  const prompter = new Prompter({ hub, bus });
  const sessions: MiniAppSessions = new MiniAppSessions({
    registry,
    pickVersion: async (appId, userId, preview) => (preview ? developer.previews.resolve(preview, appId, userId) : developer.releases.pick(appId, userId)),
    hub,
    prompter,
    random,
    logger,
    createRuntime: options.createRuntime ?? ((hooks) => createRuntimeSupervisor(hooks)),
    handlers: () => handlers,
  });
  const chatMessages = new MessageService({ database, clock, random, config, bus, contacts, limiter });
  const handlers = createBridgeHandlers({ context: (id) => sessions.context(id), identity, ...apps, prompter, hub, messages: chatMessages, payments: appPayments });
  hub.on('app.launch', AppLaunchMessage, (m, caller) => sessions.launch(caller, m));
  hub.on('app.event', AppEventMessage, (m, caller) => sessions.event(caller, m), isPlainAppEvent);
  hub.on('app.resume', AppResumeMessage, (m, caller) => sessions.resume(caller, m));
  hub.on('app.close', AppCloseMessage, (m, caller) => sessions.close(caller, m));
  hub.on('app.back', AppBackMessage, (m, caller) => sessions.back(caller, m));
  hub.on('app.navigate', AppNavigateMessage, (m, caller) => sessions.navigate(caller, m));
  hub.on('app.prompt.reply', AppPromptReplyMessage, (m, caller) => sessions.promptReply(caller, m));
  // Releases expired holds and prunes idempotency keys older than 24 h.
  const maintenance = setInterval(() => void walletService.maintain().catch((error: unknown) => logger.error({ err: error }, 'wallet maintenance failed')), 60_000);
  // Payment-code payments nobody confirmed within 45 s are reversed.
  const reversals = setInterval(() => void merchants.reverseUnconfirmed().catch((error: unknown) => logger.error({ err: error }, 'micropay reversal failed')), 5_000);
  reversals.unref();
  maintenance.unref();
  const conversations = new ConversationService({ database, clock, random, config, bus, identity, contacts, limiter });
  const messaging = {
    conversations,
    messages: chatMessages,
    invites: new InviteService({ database, clock, random, config, bus, conversations, limiter }),
    sync: new SyncService({ database, config, bus, hub, conversations, messages: chatMessages }),
    images: new ImageService({ database, clock, random, config, blobs: options.blobs ?? createFileBlobStore(join(dirname(database.path), 'blobs')) }),
    money: new ChatMoneyService({ database, clock, random, bus, ledger, pins, idempotency, contacts, identity }),
  };
  // Transfers nobody accepted and red packets' unopened rest return to their senders after 24 h.
  const moneyExpiry = setInterval(() => void messaging.money.expireDue().catch((error: unknown) => logger.error({ err: error }, 'chat money expiry failed')), 30_000);
  moneyExpiry.unref();
  registerChatSocket(hub, messaging);
  stopping.signal.addEventListener('abort', () => {
    clearInterval(maintenance);
    clearInterval(reversals);
    clearInterval(moneyExpiry);
    webhooks.stop();
    messaging.sync.close();
    void sessions.stop();
    void network.close();
  });

  const app = new OpenAPIHono({ router: new CachedRouter() });
  app.onError(onError);
  app.notFound(notFound);
  app.use(requestContext({ logger, config, random, noStore: '/v1/' }));
  if (config.corsOrigins.length > 0) {
    app.use('/v1/*', cors({ origin: config.corsOrigins, credentials: true, allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-atrium-session', 'x-request-id'], exposeHeaders: ['x-request-id', 'retry-after'] }));
  }
  const limitBody = limitBodyTo(config.bodyLimitBytes, () => {
    throw new AtriumError({ code: 'PAYLOAD_TOO_LARGE', detail: `Bodies are limited to ${config.bodyLimitBytes} bytes.` });
  });
  const limitPackage = limitBodyTo(PACKAGE_LIMITS.archiveBytes, () => {
    throw new AtriumError({ code: 'PACKAGE_TOO_LARGE', detail: `Packages are limited to ${PACKAGE_LIMITS.archiveBytes} bytes.` });
  });
  const PACKAGE_UPLOAD = /^\/v1\/developer\/apps\/[^/]+\/versions$/;
  const imageUpload = /^\/v1\/conversations\/[^/]+\/images$/;
  // Only methods with a body: reading `req.raw.body` on a GET would build a full undici Request. Package
  // uploads (application/zip) get the package limit; image uploads have their own, larger limit
  // (`messaging.maxImageBytes`), set on their route.
  app.on(['POST', 'PUT', 'PATCH', 'DELETE'], '*', (c, next) => {
    if (c.req.method === 'POST' && PACKAGE_UPLOAD.test(c.req.path)) return limitPackage(c, next);
    if (c.req.method === 'POST' && imageUpload.test(c.req.path)) return next();
    return limitBody(c, next);
  });

  app.route('/', systemRoutes({ database, tokens }));
  app.route('/v1/auth', authRoutes({ identity, tickets, auth, stopping: stopping.signal }));
  app.route('/v1/me', meRoutes({ identity, auth }));
  app.route('/v1/devices', deviceRoutes({ identity, auth }));
  app.route('/v1/people', peopleRoutes({ identity, auth }));
  app.route('/v1/contacts', contactsRoutes({ contacts, auth }));
  const messagingRoutes = { ...messaging, auth, stopping: stopping.signal };
  app.route('/v1/conversations', conversationRoutes(messagingRoutes));
  app.route('/v1/conversations', moneyRoutes({ money: messaging.money, idempotency, auth }));
  app.route('/v1/invites', inviteRoutes(messagingRoutes));
  app.route('/v1/messages', searchRoutes({ ...messagingRoutes, database }));
  app.route('/v1/sync', syncRoutes(messagingRoutes));
  app.route('/v1/apps', assetRoutes({ registry }));
  app.route('/v1/apps', appsRoutes({ ...apps, auth, limiter, clock }));
  app.route('/v1/wallet/payment-code', paymentCodeRoutes({ merchants, codes, auth }));
  app.route('/v1/wallet', walletRoutes({ wallet: walletService, idempotency, auth }));
  app.route('/v1/admin/wallet', walletAdminRoutes({ wallet: walletService, auth }));
  app.route('/v1/merchants', merchantRoutes({ merchants, webhooks, auth }));
  app.route('/v1/merchants', merchantAppRoutes({ payments: appPayments, auth }));
  app.route('/v1/webhook-keys', webhookKeyRoutes({ webhooks }));
  app.route('/v1/orders', orderPaymentRoutes({ merchants, idempotency, auth }));
  app.route('/v1/merchant-api', merchantApiRoutes({ merchants }));
  app.route('/v1/merchant-api', prepayRoutes({ payments: appPayments, merchants }));
  app.openAPIRegistry.registerComponent('securitySchemes', 'merchantKey', { type: 'http', scheme: 'bearer', description: 'A merchant API key (mk_…)' });
  app.route(
    '/v1/developer',
    developerRoutes({
      developer,
      authenticatePerson: (token) => identity.authenticate(token),
      limiter,
      clock,
      readPackage: (bytes) => {
        try {
          const pkg = readPackage(bytes);
          return { manifest: pkg.manifest, bundle: pkg.appJs };
        } catch (cause) {
          if (!(cause instanceof PackageError)) throw cause;
          const errors = cause.problems.map((problem) => ({ path: problem.split(':', 1)[0] ?? 'package', message: problem }));
          throw new AtriumError({ code: cause.code, detail: cause.problems.slice(0, 5).join('; '), errors, cause });
        }
      },
    }),
  );
  app.route('/v1/miniapp', miniappBackendRoutes({ identities: apps.identities, limiter, clock }));
  // One WebSocket per device; it authenticates with its first message (see realtime/hub.ts).
  app.get('/v1/ws', upgradeWebSocket(() => hub.events()));
  // A launch QR's short scene token opens the app's page with the query (mini-program codes, ≤ 32 characters).
  app.get('/s/:scene{[0-9a-z]{1,32}}', async (c) => {
    const { appId, page, query } = await developer.previews.scene(c.req.param('scene'));
    const search = new URLSearchParams(query).toString();
    return c.redirect(`/a/${appId}/${page}${search ? `?${search}` : ''}`, 302);
  });
  app.route('/', docsRoutes(app));
  app.route('/', shellRoutes({ publicUrl: config.publicUrl }));

  const services: HostServices = { identity, tickets, contacts, tokens, apps, developer, messaging, bus, clock, config, logger, hub, sessions, wallet, stopping: stopping.signal, stop: () => stopping.abort() };
  return Object.assign(app, { services });
}
