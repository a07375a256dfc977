/**
 * Another person's device, contact, contact request, block, login ticket, app grant or app access log can
 * never be read or changed.
 * One row per (route, attempt); every route of `/openapi.json` with a path parameter must have a row, so a new
 * route without an ownership test fails here.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PLATFORM } from '../../../host/src/developer/index.ts';
import sharp from 'sharp';
import { expectProblem, startTestHost, type TestHost, type TestResponse, type TestSession } from '../../helpers/host.ts';

/**
 * ada's world: bob is her contact, she asked cyd (pending), dan asked her (pending), she blocks mal, and she
 * scanned a login ticket from her laptop. eve is the attacker; she has nothing to do with any of it.
 */
interface World {
  t: TestHost;
  ada: TestSession;
  bob: TestSession;
  cyd: TestSession;
  dan: TestSession;
  mal: TestSession;
  eve: TestSession;
  /** ada → cyd, pending. */
  outgoingId: string;
  /** dan → ada, pending. */
  incomingId: string;
  ticket: { ticketId: string; secret: string };
  adaCard: string;
  /** ada paid bob 250 fen. */
  adaTransferId: string;
  /** ada's merchant, its API key and an unpaid order `T-0001`; eve has a merchant (and key) of her own. */
  adaMerchantId: string;
  adaKeyId: string;
  adaMerchantSecret: string;
  adaOrderId: string;
  eveMerchantId: string;
  eveMerchantSecret: string;
  /** A pending webhook delivery of ada's merchant (order T-0002 was closed). */
  adaDeliveryId: string;
  /** ada's developer API token. */
  adaTokenId: string;
  /** ada and bob chat 1:1 and in ada's group; ada also keeps a group of her own ("notes"); ada made an invite and revoked another. */
  chat: {
    directId: string;
    directMessageId: string;
    groupId: string;
    groupMessageId: string;
    notesId: string;
    notesMessageId: string;
    inviteId: string;
    inviteToken: string;
    revokedToken: string;
    /** An image ada uploaded to her own group. */
    notesImageId: string;
    /** ada's pending transfer to bob in their 1:1 chat; red packets ada sent to the shared group and to her own. */
    transferId: string;
    groupPacketId: string;
    notesPacketId: string;
  };
}

/** ada's own mini-app on the developer platform: version 1 released, version 2 submitted, bob is a tester. */
const SHOP = 'dev.ada.shop';
const notMember = { status: 404, code: 'APP_NOT_FOUND' } as const;
const shop = (extra: Record<string, string> = {}) => () => ({ appId: SHOP, ...extra });

/** A mini-app ada uses: she allowed it `userInfo`, and its access log has an entry. */
const APP = 'dev.atrium.todo';
/** ada's openid in APP, per world. */
const adaOpenid = new WeakMap<World, string>();

type Actor = 'eve' | 'ada' | 'bob' | 'cyd' | 'dan';

interface Row {
  /** `METHOD /path/{param}` exactly as in `/openapi.json`. */
  route: string;
  /** Who tries, and on what. */
  attempt: string;
  as: Actor;
  params: (w: World) => Record<string, string>;
  /** The body, or a function of the world for bodies that name its ids. */
  json?: unknown;
  /** A query string to append (`?currency=THB`). */
  query?: string;
  /** The bearer credential to send instead of the actor's access token (a merchant API key). */
  auth?: (w: World) => string;
  headers?: Record<string, string>;
  /** A refusal (status and code), or a custom check for routes that act only on the caller's own data. */
  expect: { status: number; code: string } | { status: number; check: (res: TestResponse, w: World) => void };
}

const TABLE: Row[] = [
  // devices
  { route: 'PATCH /v1/devices/{deviceId}', attempt: "eve renames ada's device", as: 'eve', params: (w) => ({ deviceId: w.ada.deviceId }), json: { name: 'pwned' }, expect: { status: 404, code: 'DEVICE_NOT_FOUND' } },
  { route: 'DELETE /v1/devices/{deviceId}', attempt: "eve signs ada's device out", as: 'eve', params: (w) => ({ deviceId: w.ada.deviceId }), expect: { status: 404, code: 'DEVICE_NOT_FOUND' } },

  // contacts
  { route: 'DELETE /v1/contacts/{userId}', attempt: "eve removes bob from ada's contacts", as: 'eve', params: (w) => ({ userId: w.bob.userId }), expect: { status: 404, code: 'CONTACT_NOT_FOUND' } },
  { route: 'DELETE /v1/contacts/{userId}', attempt: "eve removes ada from bob's contacts", as: 'eve', params: (w) => ({ userId: w.ada.userId }), expect: { status: 404, code: 'CONTACT_NOT_FOUND' } },
  { route: 'DELETE /v1/contacts/{userId}', attempt: 'cyd (only asked) removes ada', as: 'cyd', params: (w) => ({ userId: w.ada.userId }), expect: { status: 404, code: 'CONTACT_NOT_FOUND' } },

  // contact requests: accept
  { route: 'POST /v1/contacts/requests/{requestId}/accept', attempt: "eve accepts ada's request to cyd", as: 'eve', params: (w) => ({ requestId: w.outgoingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'POST /v1/contacts/requests/{requestId}/accept', attempt: "eve accepts dan's request to ada", as: 'eve', params: (w) => ({ requestId: w.incomingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'POST /v1/contacts/requests/{requestId}/accept', attempt: 'ada accepts her own request (addressed to cyd)', as: 'ada', params: (w) => ({ requestId: w.outgoingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'POST /v1/contacts/requests/{requestId}/accept', attempt: 'dan accepts his own request (addressed to ada)', as: 'dan', params: (w) => ({ requestId: w.incomingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },

  // contact requests: decline
  { route: 'POST /v1/contacts/requests/{requestId}/decline', attempt: "eve declines ada's request to cyd", as: 'eve', params: (w) => ({ requestId: w.outgoingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'POST /v1/contacts/requests/{requestId}/decline', attempt: "eve declines dan's request to ada", as: 'eve', params: (w) => ({ requestId: w.incomingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'POST /v1/contacts/requests/{requestId}/decline', attempt: 'ada declines her own request (addressed to cyd)', as: 'ada', params: (w) => ({ requestId: w.outgoingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'POST /v1/contacts/requests/{requestId}/decline', attempt: 'dan declines his own request (addressed to ada)', as: 'dan', params: (w) => ({ requestId: w.incomingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },

  // contact requests: withdraw
  { route: 'DELETE /v1/contacts/requests/{requestId}', attempt: "eve withdraws ada's request to cyd", as: 'eve', params: (w) => ({ requestId: w.outgoingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'DELETE /v1/contacts/requests/{requestId}', attempt: "eve withdraws dan's request to ada", as: 'eve', params: (w) => ({ requestId: w.incomingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'DELETE /v1/contacts/requests/{requestId}', attempt: "cyd (the recipient) withdraws ada's request", as: 'cyd', params: (w) => ({ requestId: w.outgoingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },
  { route: 'DELETE /v1/contacts/requests/{requestId}', attempt: "ada (the recipient) withdraws dan's request", as: 'ada', params: (w) => ({ requestId: w.incomingId }), expect: { status: 404, code: 'CONTACT_REQUEST_NOT_FOUND' } },

  // blocks
  { route: 'DELETE /v1/contacts/blocks/{userId}', attempt: "eve lifts ada's block of mal", as: 'eve', params: (w) => ({ userId: w.mal.userId }), expect: { status: 404, code: 'CONTACT_NOT_FOUND' } },
  {
    route: 'PUT /v1/contacts/blocks/{userId}',
    attempt: "eve blocks bob: only eve's own block list changes, never ada's contact with bob",
    as: 'eve',
    params: (w) => ({ userId: w.bob.userId }),
    expect: { status: 204, check: () => {} },
  },
  {
    route: 'PUT /v1/contacts/blocks/{userId}',
    attempt: "eve blocks mal, whom ada blocks: ada's block stays ada's",
    as: 'eve',
    params: (w) => ({ userId: w.mal.userId }),
    expect: { status: 204, check: () => {} },
  },

  // login tickets (ada's phone scanned the ticket her laptop shows)
  { route: 'GET /v1/auth/login-tickets/{ticketId}', attempt: "eve views the ticket ada scanned", as: 'eve', params: (w) => ({ ticketId: w.ticket.ticketId }), expect: { status: 409, code: 'TICKET_USED' } },
  { route: 'POST /v1/auth/login-tickets/{ticketId}/confirm', attempt: "eve confirms the ticket ada scanned (signing ada's laptop into eve's account)", as: 'eve', params: (w) => ({ ticketId: w.ticket.ticketId }), expect: { status: 409, code: 'TICKET_USED' } },
  { route: 'POST /v1/auth/login-tickets/{ticketId}/cancel', attempt: 'eve cancels the ticket ada scanned', as: 'eve', params: (w) => ({ ticketId: w.ticket.ticketId }), expect: { status: 409, code: 'TICKET_USED' } },
  {
    route: 'POST /v1/auth/login-tickets/{ticketId}/wait',
    attempt: "eve, without the secret, waits on the ticket to collect ada's session",
    as: 'eve',
    params: (w) => ({ ticketId: w.ticket.ticketId }),
    json: { secret: 'lts_guessed' },
    expect: { status: 403, code: 'TICKET_SECRET_INVALID' },
  },

  // mini-apps: grants and access logs are per person; eve only ever sees or changes her own
  {
    route: 'GET /v1/apps/{appId}/permissions',
    attempt: "eve reads the app's grants: only hers (none), never ada's",
    as: 'eve',
    params: () => ({ appId: APP }),
    expect: { status: 200, check: (res) => assert.deepEqual(res.body, { grants: [] }) },
  },
  { route: 'DELETE /v1/apps/{appId}/permissions/{scope}', attempt: "eve revokes ada's userInfo grant", as: 'eve', params: () => ({ appId: APP, scope: 'userInfo' }), expect: { status: 404, code: 'NOT_FOUND' } },
  {
    route: 'GET /v1/apps/{appId}/access-log',
    attempt: "eve reads the app's access log: only hers (empty), never ada's",
    as: 'eve',
    params: () => ({ appId: APP }),
    expect: { status: 200, check: (res) => assert.deepEqual(res.body, { entries: [], nextCursor: null }) },
  },

  {
    route: 'POST /v1/apps/{appId}/launch-context',
    attempt: "eve signs a launch context: it names eve's openid, never ada's",
    as: 'eve',
    params: () => ({ appId: APP }),
    json: { path: 'pages/index', query: {} },
    expect: {
      status: 200,
      check: (res, w) => {
        const claims = JSON.parse(Buffer.from(String(res.body.token).split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
        assert.notEqual(claims.sub, adaOpenid.get(w));
        assert.ok(!res.text.includes(w.ada.userId));
      },
    },
  },

  // wallet: a transaction is visible to its two parties only
  { route: 'GET /v1/wallet/transactions/{transactionId}', attempt: "eve reads ada's payment to bob", as: 'eve', params: (w) => ({ transactionId: w.adaTransferId }), expect: { status: 404, code: 'WALLET_TRANSFER_NOT_FOUND' } },
  { route: 'GET /v1/wallet/transactions/{transactionId}', attempt: "cyd (ada's pending contact) reads ada's payment to bob", as: 'cyd', params: (w) => ({ transactionId: w.adaTransferId }), expect: { status: 404, code: 'WALLET_TRANSFER_NOT_FOUND' } },

  // merchants: accounts and keys are their owner's only
  { route: 'GET /v1/merchants/{merchantId}', attempt: "eve reads ada's merchant and its balances", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'GET /v1/merchants/{merchantId}/keys', attempt: "eve lists ada's merchant API keys", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'POST /v1/merchants/{merchantId}/keys', attempt: "eve makes herself a key for ada's merchant", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), json: { name: 'pwned', scopes: ['orders:read'] }, expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'DELETE /v1/merchants/{merchantId}/keys/{keyId}', attempt: "eve revokes ada's key through ada's merchant", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId, keyId: w.adaKeyId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'DELETE /v1/merchants/{merchantId}/keys/{keyId}', attempt: "eve revokes ada's key through her own merchant", as: 'eve', params: (w) => ({ merchantId: w.eveMerchantId, keyId: w.adaKeyId }), expect: { status: 404, code: 'MERCHANT_KEY_NOT_FOUND' } },
  {
    route: 'GET /v1/orders/{orderId}',
    attempt: "eve opens ada's order to pay it (as anyone scanning its QR code): only what the pay sheet shows",
    as: 'eve',
    params: (w) => ({ orderId: w.adaOrderId }),
    expect: {
      status: 200,
      check: (res) => {
        assert.deepEqual([res.body.merchantName, res.body.amount, res.body.status], ['Ada Noodles', 1200, 'NOTPAY']);
        assert.ok(!('metadata' in res.body) && !res.text.includes('table'), 'no merchant metadata');
      },
    },
  },
  {
    route: 'GET /v1/orders/{orderId}/quote',
    attempt: "eve asks what ada's order costs her in THB: a quote, nothing of ada's",
    as: 'eve',
    params: (w) => ({ orderId: w.adaOrderId }),
    query: '?currency=THB',
    expect: { status: 409, code: 'WALLET_FX_UNAVAILABLE' },
  },
  { route: 'POST /v1/wallet/payment-code/pending/{orderId}/confirm', attempt: "eve confirms a payment waiting for someone else (ada's unpaid order)", as: 'eve', params: (w) => ({ orderId: w.adaOrderId }), json: { pin: '480915' }, expect: { status: 409, code: 'ORDER_NOT_CONFIRMABLE' } },
  { route: 'POST /v1/orders/{orderId}/pay', attempt: "eve pays ada's order: only from her own wallet (she has no PIN yet)", as: 'eve', params: (w) => ({ orderId: w.adaOrderId }), json: { pin: '480915' }, headers: { 'idempotency-key': 'eve-pays' }, expect: { status: 409, code: 'WALLET_PIN_NOT_SET' } },
  { route: 'GET /v1/merchants/{merchantId}/qr', attempt: "eve renders ada's static merchant QR code", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'GET /v1/merchant-api/orders/{outTradeNo}/qr', attempt: "eve's merchant key renders ada's order QR code", as: 'eve', auth: (w) => w.eveMerchantSecret, params: () => ({ outTradeNo: 'T-0001' }), expect: { status: 404, code: 'ORDER_NOT_FOUND' } },
  { route: 'PUT /v1/merchants/{merchantId}/webhook', attempt: "eve points ada's webhooks at her own server", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), json: { url: 'https://eve.example/steal' }, expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'GET /v1/merchants/{merchantId}/webhook-deliveries', attempt: "eve reads ada's webhook log", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'POST /v1/merchants/{merchantId}/webhook-deliveries/{deliveryId}/redeliver', attempt: "eve redelivers ada's event through ada's merchant", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId, deliveryId: w.adaDeliveryId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'POST /v1/merchants/{merchantId}/webhook-deliveries/{deliveryId}/redeliver', attempt: "eve redelivers ada's event through her own merchant", as: 'eve', params: (w) => ({ merchantId: w.eveMerchantId, deliveryId: w.adaDeliveryId }), expect: { status: 404, code: 'WEBHOOK_DELIVERY_NOT_FOUND' } },
  { route: 'GET /v1/merchants/{merchantId}/orders', attempt: "eve lists ada's merchant's orders", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'GET /v1/merchants/{merchantId}/orders/{orderId}', attempt: "eve reads ada's order through ada's merchant", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId, orderId: w.adaOrderId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'GET /v1/merchants/{merchantId}/orders/{orderId}', attempt: "eve reads ada's order through her own merchant", as: 'eve', params: (w) => ({ merchantId: w.eveMerchantId, orderId: w.adaOrderId }), expect: { status: 404, code: 'ORDER_NOT_FOUND' } },
  { route: 'POST /v1/merchants/{merchantId}/orders/{orderId}/refunds', attempt: "eve refunds ada's order through ada's merchant", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId, orderId: w.adaOrderId }), json: { outRefundNo: 'E-1', amount: 1 }, expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'POST /v1/merchants/{merchantId}/orders/{orderId}/refunds', attempt: "eve refunds ada's order through her own merchant", as: 'eve', params: (w) => ({ merchantId: w.eveMerchantId, orderId: w.adaOrderId }), json: { outRefundNo: 'E-1', amount: 1 }, expect: { status: 404, code: 'ORDER_NOT_FOUND' } },
  { route: 'GET /v1/merchants/{merchantId}/statement', attempt: "eve downloads ada's merchant's statement", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), query: '?date=2026-11-23', expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'GET /v1/merchant-api/orders/{outTradeNo}', attempt: "eve's merchant key reads ada's order", as: 'eve', auth: (w) => w.eveMerchantSecret, params: () => ({ outTradeNo: 'T-0001' }), expect: { status: 404, code: 'ORDER_NOT_FOUND' } },
  { route: 'POST /v1/merchant-api/orders/{outTradeNo}/close', attempt: "eve's merchant key closes ada's order", as: 'eve', auth: (w) => w.eveMerchantSecret, params: () => ({ outTradeNo: 'T-0001' }), expect: { status: 404, code: 'ORDER_NOT_FOUND' } },
  { route: 'GET /v1/merchant-api/orders/{outTradeNo}/refunds', attempt: "eve's merchant key lists ada's refunds", as: 'eve', auth: (w) => w.eveMerchantSecret, params: () => ({ outTradeNo: 'T-0001' }), expect: { status: 404, code: 'ORDER_NOT_FOUND' } },
  { route: 'POST /v1/merchant-api/orders/{outTradeNo}/refunds', attempt: "eve's merchant key refunds ada's order", as: 'eve', auth: (w) => w.eveMerchantSecret, params: () => ({ outTradeNo: 'T-0001' }), json: { outRefundNo: 'R-1', amount: 1 }, expect: { status: 404, code: 'ORDER_NOT_FOUND' } },
  // in-app payments: a merchant's bound apps are its owner's to change, and only for apps they manage
  { route: 'GET /v1/merchants/{merchantId}/apps', attempt: "eve lists the apps bound to ada's merchant", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'PUT /v1/merchants/{merchantId}/apps/{appId}', attempt: "eve binds ada's app to her own merchant (to take its payments)", as: 'eve', params: (w) => ({ merchantId: w.eveMerchantId, appId: SHOP }), expect: notMember },
  { route: 'PUT /v1/merchants/{merchantId}/apps/{appId}', attempt: "eve binds ada's merchant to ada's app", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId, appId: SHOP }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'DELETE /v1/merchants/{merchantId}/apps/{appId}', attempt: "eve unbinds ada's app from ada's merchant", as: 'eve', params: (w) => ({ merchantId: w.adaMerchantId, appId: SHOP }), expect: { status: 404, code: 'MERCHANT_NOT_FOUND' } },
  { route: 'POST /v1/merchant-api/orders/{outTradeNo}/prepay', attempt: "eve's merchant key hands ada's order to ada's app", as: 'eve', auth: (w) => w.eveMerchantSecret, params: () => ({ outTradeNo: 'T-0001' }), json: { appId: SHOP }, expect: { status: 403, code: 'MERCHANT_APP_NOT_LINKED' } },
  { route: 'GET /v1/merchant-api/orders/{outTradeNo}', attempt: "ada's own access token (not a merchant key) reads her order", as: 'ada', params: () => ({ outTradeNo: 'T-0001' }), expect: { status: 401, code: 'UNAUTHENTICATED' } },
  // messaging: a non-member can never read, send to or learn of a conversation (same answer as for none)
  { route: 'GET /v1/conversations/{conversationId}', attempt: "eve reads ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}', attempt: "eve reads ada's 1:1 chat with bob", as: 'eve', params: (w) => ({ conversationId: w.chat.directId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}', attempt: "bob reads ada's own group he is not in", as: 'bob', params: (w) => ({ conversationId: w.chat.notesId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'PATCH /v1/conversations/{conversationId}', attempt: "eve renames ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), json: { name: 'pwned' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'PATCH /v1/conversations/{conversationId}', attempt: "bob (a member) sets the announcement of ada's group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId }), json: { announcement: 'pwned' }, expect: { status: 403, code: 'CONVERSATION_FORBIDDEN' } },
  { route: 'PUT /v1/conversations/{conversationId}/settings', attempt: "eve mutes ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), json: { muted: true }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/members', attempt: "eve lists the members of ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/members', attempt: "eve adds herself to ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), json: { userIds: ['usr_00000000000000000000'] }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'PATCH /v1/conversations/{conversationId}/members/{userId}', attempt: "eve makes bob owner of ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId, userId: w.bob.userId }), json: { role: 'owner' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'PATCH /v1/conversations/{conversationId}/members/{userId}', attempt: 'bob (a member) makes himself owner', as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, userId: w.bob.userId }), json: { role: 'owner' }, expect: { status: 403, code: 'CONVERSATION_FORBIDDEN' } },
  { route: 'DELETE /v1/conversations/{conversationId}/members/{userId}', attempt: "eve removes bob from ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId, userId: w.bob.userId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'DELETE /v1/conversations/{conversationId}/members/{userId}', attempt: 'bob (a member) removes ada, the owner', as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, userId: w.ada.userId }), expect: { status: 403, code: 'CONVERSATION_FORBIDDEN' } },
  { route: 'POST /v1/conversations/{conversationId}/invites', attempt: "eve makes an invite to ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), json: {}, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/invites', attempt: "eve lists the invites of ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/invites', attempt: "bob (a member) lists invites: only his own (none), not ada's", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId }), expect: { status: 200, check: (res) => assert.deepEqual(res.body, { invites: [] }) } },
  { route: 'DELETE /v1/conversations/{conversationId}/invites/{inviteId}', attempt: "eve revokes ada's invite", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId, inviteId: w.chat.inviteId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'DELETE /v1/conversations/{conversationId}/invites/{inviteId}', attempt: "bob (a member) revokes ada's invite", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, inviteId: w.chat.inviteId }), expect: { status: 404, code: 'INVITE_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/messages', attempt: "eve reads the history of ada's chat with bob", as: 'eve', params: (w) => ({ conversationId: w.chat.directId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/messages', attempt: "eve sends to ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), json: { clientId: 'eve-intrudes-1', text: 'hi' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/messages', attempt: "eve retries bob's client id in ada's group (to read his message back)", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), json: { clientId: 'bob-in-group-1', text: 'hello' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/messages', attempt: "bob replies in the group to a message of ada's own group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId }), json: (w: World) => ({ clientId: 'bob-quotes-1', text: 'quote', replyToId: w.chat.notesMessageId }), expect: { status: 404, code: 'MESSAGE_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/messages/{messageId}/recall', attempt: "eve recalls ada's message", as: 'eve', params: (w) => ({ conversationId: w.chat.directId, messageId: w.chat.directMessageId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/messages/{messageId}/recall', attempt: "bob recalls ada's message in their chat", as: 'bob', params: (w) => ({ conversationId: w.chat.directId, messageId: w.chat.directMessageId }), expect: { status: 403, code: 'MESSAGE_NOT_SENDER' } },
  { route: 'POST /v1/conversations/{conversationId}/messages/{messageId}/recall', attempt: "bob reaches a message of ada's own group through the shared group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, messageId: w.chat.notesMessageId }), expect: { status: 404, code: 'MESSAGE_NOT_FOUND' } },
  { route: 'DELETE /v1/conversations/{conversationId}/messages/{messageId}', attempt: "eve deletes ada's message", as: 'eve', params: (w) => ({ conversationId: w.chat.directId, messageId: w.chat.directMessageId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'DELETE /v1/conversations/{conversationId}/messages/{messageId}', attempt: "bob deletes a message of ada's own group through the shared group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, messageId: w.chat.notesMessageId }), expect: { status: 404, code: 'MESSAGE_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/messages/{messageId}/receipts', attempt: "eve reads the receipts of ada's message", as: 'eve', params: (w) => ({ conversationId: w.chat.directId, messageId: w.chat.directMessageId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/messages/{messageId}/receipts', attempt: "bob reads the receipts of ada's message", as: 'bob', params: (w) => ({ conversationId: w.chat.directId, messageId: w.chat.directMessageId }), expect: { status: 403, code: 'MESSAGE_NOT_SENDER' } },
  { route: 'POST /v1/conversations/{conversationId}/read', attempt: "eve marks ada's chat read", as: 'eve', params: (w) => ({ conversationId: w.chat.directId }), json: { order: 99 }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/images', attempt: "eve uploads an image to ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/images/{imageId}', attempt: "eve fetches the image in ada's own group", as: 'eve', params: (w) => ({ conversationId: w.chat.notesId, imageId: w.chat.notesImageId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/images/{imageId}', attempt: "bob fetches the image of ada's own group through the shared group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, imageId: w.chat.notesImageId }), expect: { status: 404, code: 'IMAGE_NOT_FOUND' } },
  // money in chat (every money route carries an Idempotency-Key, so the refusal is about who, not the key)
  { route: 'POST /v1/conversations/{conversationId}/transfers', attempt: "eve sends money into ada's 1:1 chat with bob", as: 'eve', params: (w) => ({ conversationId: w.chat.directId }), json: { amount: 100, currency: 'CNY', note: '', pin: '480915' }, headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/transfers/{transferId}/accept', attempt: "eve accepts ada's transfer to bob", as: 'eve', params: (w) => ({ conversationId: w.chat.directId, transferId: w.chat.transferId }), headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/transfers/{transferId}/accept', attempt: 'ada accepts her own transfer to bob', as: 'ada', params: (w) => ({ conversationId: w.chat.directId, transferId: w.chat.transferId }), headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 403, code: 'CHAT_TRANSFER_NOT_RECIPIENT' } },
  { route: 'POST /v1/conversations/{conversationId}/transfers/{transferId}/accept', attempt: "bob accepts it through the shared group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, transferId: w.chat.transferId }), headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 404, code: 'CHAT_TRANSFER_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/transfers/{transferId}/decline', attempt: "eve declines ada's transfer to bob", as: 'eve', params: (w) => ({ conversationId: w.chat.directId, transferId: w.chat.transferId }), headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/transfers/{transferId}/decline', attempt: 'ada declines her own transfer (only bob may)', as: 'ada', params: (w) => ({ conversationId: w.chat.directId, transferId: w.chat.transferId }), headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 403, code: 'CHAT_TRANSFER_NOT_RECIPIENT' } },
  { route: 'POST /v1/conversations/{conversationId}/red-packets', attempt: "eve sends a red packet into ada's group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId }), json: { mode: 'random', total: 100, shares: 1, currency: 'CNY', pin: '480915' }, headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/red-packets/{packetId}/open', attempt: "eve opens ada's red packet in the group", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId, packetId: w.chat.groupPacketId }), headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/red-packets/{packetId}/open', attempt: "bob opens the red packet of ada's own group through the shared group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, packetId: w.chat.notesPacketId }), headers: { 'idempotency-key': 'ownership-money' }, expect: { status: 404, code: 'REDPACKET_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/red-packets/{packetId}', attempt: "eve reads who got what from ada's red packet", as: 'eve', params: (w) => ({ conversationId: w.chat.groupId, packetId: w.chat.groupPacketId }), expect: { status: 404, code: 'CONVERSATION_NOT_FOUND' } },
  { route: 'GET /v1/conversations/{conversationId}/red-packets/{packetId}', attempt: "bob reads the red packet of ada's own group through the shared group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId, packetId: w.chat.notesPacketId }), expect: { status: 404, code: 'REDPACKET_NOT_FOUND' } },
  { route: 'POST /v1/conversations/{conversationId}/messages', attempt: "bob sends the image of ada's own group in the shared group", as: 'bob', params: (w) => ({ conversationId: w.chat.groupId }), json: (w: World) => ({ clientId: 'bob-steals-img', imageId: w.chat.notesImageId }), expect: { status: 404, code: 'IMAGE_NOT_FOUND' } },
  { route: 'GET /v1/invites/{token}', attempt: 'eve guesses an invite token', as: 'eve', params: () => ({ token: 'inv_guessedguessedguessed' }), expect: { status: 404, code: 'INVITE_NOT_FOUND' } },
  {
    route: 'GET /v1/invites/{token}',
    attempt: "eve holds ada's invite link: she sees the group's name and size, never who is in it",
    as: 'eve',
    params: (w) => ({ token: w.chat.inviteToken }),
    expect: {
      status: 200,
      check: (res, w) => {
        assert.deepEqual(Object.keys(res.body).sort(), ['avatarUrl', 'expiresAt', 'member', 'memberCount', 'name']);
        for (const secret of [w.ada.userId, w.bob.userId, w.chat.groupId]) assert.ok(!res.text.includes(secret));
      },
    },
  },
  { route: 'POST /v1/invites/{token}/join', attempt: 'eve joins with a revoked invite', as: 'eve', params: (w) => ({ token: w.chat.revokedToken }), expect: { status: 404, code: 'INVITE_NOT_FOUND' } },

  // card lookup: public by design (that is what a QR card is for), but only the public profile
  {
    route: 'GET /v1/people/by-card/{cardCode}',
    attempt: "eve scans ada's card: sees only id, handle and display name, never the phone",
    as: 'eve',
    params: (w) => ({ cardCode: w.adaCard }),
    expect: {
      status: 200,
      check: (res, w) => {
        assert.deepEqual(res.body, { id: w.ada.userId, handle: 'ada', displayName: 'Ada' });
        assert.ok(!res.text.includes('6982'), 'no trace of the phone number');
      },
    },
  },
  // the developer platform: eve is no member of ada's app, bob only a tester, cyd no reviewer
  { route: 'GET /v1/developer/apps/{appId}', attempt: "eve reads ada's app", as: 'eve', params: shop(), expect: notMember },
  { route: 'PATCH /v1/developer/apps/{appId}', attempt: "eve renames ada's app", as: 'eve', params: shop(), json: { name: 'pwned' }, expect: notMember },
  { route: 'PATCH /v1/developer/apps/{appId}', attempt: "bob (tester) points ada's webhook elsewhere", as: 'bob', params: shop(), json: { webhookUrl: 'https://evil.example/hook' }, expect: { status: 403, code: 'APP_ROLE_REQUIRED' } },
  { route: 'POST /v1/developer/apps/{appId}/secret', attempt: "eve rotates ada's app secret", as: 'eve', params: shop(), expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/secret', attempt: "bob (tester) rotates ada's app secret", as: 'bob', params: shop(), expect: { status: 403, code: 'APP_ROLE_REQUIRED' } },
  { route: 'GET /v1/developer/apps/{appId}/members', attempt: "eve lists ada's team", as: 'eve', params: shop(), expect: notMember },
  { route: 'PUT /v1/developer/apps/{appId}/members/{handle}', attempt: "eve makes herself admin of ada's app", as: 'eve', params: shop({ handle: 'eve' }), json: { role: 'admin' }, expect: notMember },
  { route: 'PUT /v1/developer/apps/{appId}/members/{handle}', attempt: 'bob (tester) makes himself admin', as: 'bob', params: shop({ handle: 'bob' }), json: { role: 'admin' }, expect: { status: 403, code: 'APP_ROLE_REQUIRED' } },
  { route: 'DELETE /v1/developer/apps/{appId}/members/{handle}', attempt: "eve removes bob from ada's app", as: 'eve', params: shop({ handle: 'bob' }), expect: notMember },
  { route: 'GET /v1/developer/apps/{appId}/audit', attempt: "eve reads ada's audit trail", as: 'eve', params: shop(), expect: notMember },
  { route: 'GET /v1/developer/apps/{appId}/versions', attempt: "eve lists ada's versions", as: 'eve', params: shop(), expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/versions', attempt: "eve uploads a version of ada's app", as: 'eve', params: shop(), json: {}, expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/versions', attempt: "bob (tester) uploads a version of ada's app", as: 'bob', params: shop(), json: {}, expect: { status: 403, code: 'APP_ROLE_REQUIRED' } },
  { route: 'POST /v1/developer/apps/{appId}/versions/{versionCode}/submit', attempt: "eve submits ada's version", as: 'eve', params: shop({ versionCode: '2' }), expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/versions/{versionCode}/approve', attempt: "eve approves ada's version", as: 'eve', params: shop({ versionCode: '2' }), json: {}, expect: { status: 403, code: 'REVIEWER_REQUIRED' } },
  { route: 'POST /v1/developer/apps/{appId}/versions/{versionCode}/reject', attempt: "eve rejects ada's version", as: 'eve', params: shop({ versionCode: '2' }), json: { reason: 'no' }, expect: { status: 403, code: 'REVIEWER_REQUIRED' } },
  { route: 'POST /v1/developer/apps/{appId}/versions/{versionCode}/preview', attempt: "eve makes a preview of ada's version", as: 'eve', params: shop({ versionCode: '2' }), expect: notMember },
  { route: 'GET /v1/developer/apps/{appId}/release', attempt: "eve reads ada's release", as: 'eve', params: shop(), expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/release', attempt: "eve releases ada's version", as: 'eve', params: shop(), json: { versionCode: 1, percent: 100 }, expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/release', attempt: "bob (tester) releases ada's version", as: 'bob', params: shop(), json: { versionCode: 1, percent: 100 }, expect: { status: 403, code: 'APP_ROLE_REQUIRED' } },
  { route: 'PATCH /v1/developer/apps/{appId}/release', attempt: "eve pauses ada's rollout", as: 'eve', params: shop(), json: { paused: true }, expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/release/complete', attempt: "eve completes ada's rollout", as: 'eve', params: shop(), expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/rollback', attempt: "eve rolls ada's app back", as: 'eve', params: shop(), json: { versionCode: 1 }, expect: notMember },
  { route: 'POST /v1/developer/apps/{appId}/scenes', attempt: "eve makes a launch code for ada's app", as: 'eve', params: shop(), json: { page: 'pages/index' }, expect: notMember },
  { route: 'DELETE /v1/developer/tokens/{tokenId}', attempt: "eve revokes ada's API token", as: 'eve', params: (w) => ({ tokenId: w.adaTokenId }), expect: { status: 404, code: 'NOT_FOUND' } },
  { route: 'GET /v1/developer/device-authorizations/{userCode}', attempt: 'eve guesses a sign-in code', as: 'eve', params: () => ({ userCode: 'BCDF-GHJK' }), expect: { status: 404, code: 'USER_CODE_INVALID' } },
  { route: 'POST /v1/developer/device-authorizations/{userCode}/decision', attempt: 'eve confirms a guessed sign-in code', as: 'eve', params: () => ({ userCode: 'BCDF-GHJK' }), json: { allow: true }, expect: { status: 404, code: 'USER_CODE_INVALID' } },
];

async function buildWorld(): Promise<World> {
  const t = await startTestHost({ longPollMs: 1 });
  const ada = await t.signUp('ada', { displayName: 'Ada', phone: '+39 06 6982 1234' });
  const [bob, cyd, dan, mal, eve] = [await t.signUp('bob'), await t.signUp('cyd'), await t.signUp('dan'), await t.signUp('mal'), await t.signUp('eve')];
  const ok = (res: TestResponse, status: number): TestResponse => {
    assert.equal(res.status, status, res.text);
    return res;
  };
  const toBob = ok(await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { handle: 'bob' } }), 201);
  ok(await t.call('POST', `/v1/contacts/requests/${toBob.body.id}/accept`, { token: bob.accessToken }), 200);
  const outgoing = ok(await t.call('POST', '/v1/contacts/requests', { token: ada.accessToken, json: { handle: 'cyd', message: 'hi cyd' } }), 201);
  const incoming = ok(await t.call('POST', '/v1/contacts/requests', { token: dan.accessToken, json: { handle: 'ada', message: 'hi ada' } }), 201);
  ok(await t.call('PUT', `/v1/contacts/blocks/${mal.userId}`, { token: ada.accessToken }), 204);
  const ticket = ok(await t.call('POST', '/v1/auth/login-tickets'), 201).body;
  ok(await t.call('GET', `/v1/auth/login-tickets/${ticket.ticketId}`, { token: ada.accessToken }), 200);
  const adaCard = ok(await t.call('GET', '/v1/me/card', { token: ada.accessToken }), 200).body.cardCode;
  const apps = t.host.services.apps;
  await apps.registry.ensureDeveloper('dev_samples', 'Samples');
  await apps.registry.ensureApp({ id: APP, name: 'Todo', developerId: 'dev_samples' });
  const openid = await apps.identities.openid(APP, ada.userId);
  await apps.consent.record(ada.userId, APP, 'userInfo', 'allow');
  await apps.accessLog.record({ userId: ada.userId, appId: APP, api: 'getUserProfile', outcome: 'allowed', detail: 'profile' });
  ok(await t.call('PUT', '/v1/wallet/pin', { token: ada.accessToken, json: { pin: '480915' } }), 204);
  const card = { number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' };
  ok(await t.call('POST', '/v1/wallet/topups', { token: ada.accessToken, json: { amount: 1000, currency: 'CNY', card }, headers: { 'idempotency-key': 'world-topup' } }), 201);
  const paid = ok(await t.call('POST', '/v1/wallet/transfers', { token: ada.accessToken, json: { to: bob.userId, amount: 250, currency: 'CNY', note: 'tea', pin: '480915' }, headers: { 'idempotency-key': 'world-p2p' } }), 201);
  const merchant = ok(await t.call('POST', '/v1/merchants', { token: ada.accessToken, json: { name: 'Ada Noodles', city: 'Beijing', countryCode: 'CN' } }), 201).body;
  const key = ok(await t.call('POST', `/v1/merchants/${merchant.id}/keys`, { token: ada.accessToken, json: { name: 'server', scopes: ['orders:read', 'orders:write', 'refunds:write'] } }), 201).body;
  const orderRes = ok(await t.call('POST', '/v1/merchant-api/orders', { headers: { authorization: `Bearer ${key.secret}` }, json: { outTradeNo: 'T-0001', amount: 1200, currency: 'CNY', description: 'Noodles', metadata: { table: '7' } } }), 201).body;
  ok(await t.call('PUT', `/v1/merchants/${merchant.id}/webhook`, { token: ada.accessToken, json: { url: 'https://noodles.example/hooks' } }), 200);
  ok(await t.call('POST', '/v1/merchant-api/orders', { headers: { authorization: `Bearer ${key.secret}` }, json: { outTradeNo: 'T-0002', amount: 300, currency: 'CNY', description: 'Tea' } }), 201);
  ok(await t.call('POST', '/v1/merchant-api/orders/T-0002/close', { headers: { authorization: `Bearer ${key.secret}` } }), 200);
  const deliveries = ok(await t.call('GET', `/v1/merchants/${merchant.id}/webhook-deliveries`, { token: ada.accessToken }), 200).body.deliveries;
  const eveMerchant = ok(await t.call('POST', '/v1/merchants', { token: eve.accessToken, json: { name: 'Eve Shop', city: 'Beijing', countryCode: 'CN' } }), 201).body;
  const eveKey = ok(await t.call('POST', `/v1/merchants/${eveMerchant.id}/keys`, { token: eve.accessToken, json: { name: 'k', scopes: ['orders:read', 'orders:write', 'refunds:write'] } }), 201).body;
  const d = t.host.services.developer;
  await d.apps.enable(ada.userId, 'Ada Labs');
  await d.apps.create({ userId: ada.userId }, { appId: SHOP, name: 'Shop' });
  await d.members.set({ userId: ada.userId }, SHOP, 'bob', 'tester');
  const version = (code: number) => ({ manifest: { app_id: SHOP, name: 'Shop', version: { name: `${code}.0.0`, code }, pages: ['pages/index'] }, bundle: '(function(){})();', bytes: Buffer.from(`zip ${code}`) });
  await d.versions.upload(PLATFORM, SHOP, version(1));
  await d.versions.submit(PLATFORM, SHOP, 1);
  await d.versions.approve(PLATFORM, SHOP, 1);
  await d.releases.release(PLATFORM, SHOP, 1, 100);
  await d.versions.upload(PLATFORM, SHOP, version(2));
  await d.versions.submit(PLATFORM, SHOP, 2);
  await t.host.services.wallet.appPayments.link({ userId: ada.userId }, merchant.id, SHOP);
  const adaTokenId = (await d.tokens.issue(ada.userId, { name: 'CI' })).info.id;
  const directId = ok(await t.call('POST', '/v1/conversations/direct', { token: ada.accessToken, json: { userId: bob.userId } }), 200).body.id;
  const directMessageId = ok(await t.call('POST', `/v1/conversations/${directId}/messages`, { token: ada.accessToken, json: { clientId: 'ada-to-bob-1', text: 'hi bob' } }), 201).body.message.id;
  const groupId = ok(await t.call('POST', '/v1/conversations', { token: ada.accessToken, json: { name: 'Ada and Bob', memberIds: [bob.userId] } }), 201).body.id;
  const groupMessageId = ok(await t.call('POST', `/v1/conversations/${groupId}/messages`, { token: bob.accessToken, json: { clientId: 'bob-in-group-1', text: 'hello' } }), 201).body.message.id;
  const notesId = ok(await t.call('POST', '/v1/conversations', { token: ada.accessToken, json: { name: 'Notes', memberIds: [] } }), 201).body.id;
  const notesMessageId = ok(await t.call('POST', `/v1/conversations/${notesId}/messages`, { token: ada.accessToken, json: { clientId: 'ada-note-0001', text: 'secret note' } }), 201).body.message.id;
  const invite = ok(await t.call('POST', `/v1/conversations/${groupId}/invites`, { token: ada.accessToken, json: {} }), 201).body;
  const revoked = ok(await t.call('POST', `/v1/conversations/${groupId}/invites`, { token: ada.accessToken, json: {} }), 201).body;
  ok(await t.call('DELETE', `/v1/conversations/${groupId}/invites/${revoked.id}`, { token: ada.accessToken }), 204);
  const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#f80' } }).png().toBuffer();
  const uploaded = await t.host.request(`/v1/conversations/${notesId}/images`, { method: 'POST', headers: { authorization: `Bearer ${ada.accessToken}`, 'content-type': 'image/png' }, body: png });
  assert.equal(uploaded.status, 201);
  const notesImageId = ((await uploaded.json()) as { id: string }).id;
  const money = (path: string, json: unknown, key: string) => t.call('POST', path, { token: ada.accessToken, json, headers: { 'idempotency-key': key } });
  const transferId = ok(await money(`/v1/conversations/${directId}/transfers`, { amount: 100, currency: 'CNY', note: 'tea', pin: '480915' }, 'world-chat-transfer'), 201).body.message.transfer.id;
  const packet = { mode: 'random', total: 100, shares: 1, currency: 'CNY', pin: '480915' };
  const groupPacketId = ok(await money(`/v1/conversations/${groupId}/red-packets`, packet, 'world-group-packet'), 201).body.message.redPacket.id;
  const notesPacketId = ok(await money(`/v1/conversations/${notesId}/red-packets`, packet, 'world-notes-packet'), 201).body.message.redPacket.id;
  const chat = { directId, directMessageId, groupId, groupMessageId, notesId, notesMessageId, inviteId: invite.id, inviteToken: invite.token, revokedToken: revoked.token, notesImageId, transferId, groupPacketId, notesPacketId };
  const world = {
    t, ada, bob, cyd, dan, mal, eve, outgoingId: outgoing.body.id, incomingId: incoming.body.id, ticket, adaCard, adaTokenId, chat, adaTransferId: paid.body.id as string,
    adaMerchantId: merchant.id as string, adaKeyId: key.id as string, adaMerchantSecret: key.secret as string, adaOrderId: orderRes.id as string,
    eveMerchantId: eveMerchant.id as string, eveMerchantSecret: eveKey.secret as string, adaDeliveryId: deliveries[0].id as string,
  };
  adaOpenid.set(world, openid);
  return world;
}

/** Everything ada (and the people on the other side of her data) can see, through their own GETs. */
async function adasView(w: World): Promise<Record<string, unknown>> {
  const get = async (path: string, who: TestSession): Promise<unknown> => {
    const res = await w.t.call('GET', path, { token: who.accessToken });
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    return res.body;
  };
  const waitRes = await w.t.call('POST', `/v1/auth/login-tickets/${w.ticket.ticketId}/wait`, { json: { secret: w.ticket.secret } });
  assert.equal(waitRes.status, 200, waitRes.text);
  return {
    me: await get('/v1/me', w.ada),
    devices: await get('/v1/devices', w.ada),
    card: await get('/v1/me/card', w.ada),
    contacts: await get('/v1/contacts', w.ada),
    requests: await get('/v1/contacts/requests', w.ada),
    blocks: await get('/v1/contacts/blocks', w.ada),
    wallet: await get('/v1/wallet', w.ada),
    bills: await get('/v1/wallet/transactions', w.ada),
    merchant: await get(`/v1/merchants/${w.adaMerchantId}`, w.ada),
    merchantKeys: await get(`/v1/merchants/${w.adaMerchantId}/keys`, w.ada),
    webhookLog: await get(`/v1/merchants/${w.adaMerchantId}/webhook-deliveries`, w.ada),
    merchantApps: await get(`/v1/merchants/${w.adaMerchantId}/apps`, w.ada),
    order: (await w.t.call('GET', '/v1/merchant-api/orders/T-0001', { headers: { authorization: `Bearer ${w.adaMerchantSecret}` } })).body,
    ticket: await get(`/v1/auth/login-tickets/${w.ticket.ticketId}`, w.ada),
    ticketAsTheLaptopSeesIt: waitRes.body,
    bobsContacts: await get('/v1/contacts', w.bob),
    cydsRequests: await get('/v1/contacts/requests', w.cyd),
    dansRequests: await get('/v1/contacts/requests', w.dan),
    malsBlocks: await get('/v1/contacts/blocks', w.mal),
    apps: await get('/v1/apps', w.ada),
    appGrants: await get(`/v1/apps/${APP}/permissions`, w.ada),
    appLog: await get(`/v1/apps/${APP}/access-log`, w.ada),
    shop: await get(`/v1/developer/apps/${SHOP}`, w.ada),
    shopMembers: await get(`/v1/developer/apps/${SHOP}/members`, w.ada),
    shopVersions: await get(`/v1/developer/apps/${SHOP}/versions`, w.ada),
    shopRelease: await get(`/v1/developer/apps/${SHOP}/release`, w.ada),
    shopAudit: await get(`/v1/developer/apps/${SHOP}/audit`, w.ada),
    tokens: await get('/v1/developer/tokens', w.ada),
    conversations: await get('/v1/conversations', w.ada),
    bobsConversations: await get('/v1/conversations', w.bob),
    groupMembers: await get(`/v1/conversations/${w.chat.groupId}/members`, w.ada),
    groupHistory: await get(`/v1/conversations/${w.chat.groupId}/messages`, w.ada),
    directHistory: await get(`/v1/conversations/${w.chat.directId}/messages`, w.bob),
    notesHistory: await get(`/v1/conversations/${w.chat.notesId}/messages`, w.ada),
    invites: await get(`/v1/conversations/${w.chat.groupId}/invites`, w.ada),
    adaInbox: await get('/v1/sync?cursor=0', w.ada),
    bobInbox: await get('/v1/sync?cursor=0', w.bob),
  };
}

function fillPath(route: string, params: Record<string, string>): { method: string; path: string } {
  const [method = '', template = ''] = route.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${route}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return { method, path };
}

describe("security: another person's resources can never be read or changed", () => {
  let document: { paths: Record<string, Record<string, { responses?: Record<string, unknown> }>> };
  before(async () => {
    await using t = await startTestHost();
    document = (await t.call('GET', '/openapi.json')).body;
  });

  it('has a row for every route with a path parameter, and no row for a route that does not exist', () => {
    const routes = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths)) {
      if (!path.includes('{')) continue;
      for (const method of Object.keys(operations)) routes.add(`${method.toUpperCase()} ${path}`);
    }
    assert.ok(routes.size >= 13, `only ${routes.size} routes with parameters found: is /openapi.json complete?`);
    const covered = new Set(TABLE.map((row) => row.route));
    const missing = [...routes].filter((route) => !covered.has(route));
    assert.deepEqual(missing, [], 'routes without an ownership row: add one to TABLE in tests/host/security/ownership.test.ts');
    const stale = [...covered].filter((route) => !routes.has(route));
    assert.deepEqual(stale, [], 'rows for routes that /openapi.json does not list');
  });

  it('expects only statuses each route documents', () => {
    for (const row of TABLE) {
      const [method = '', path = ''] = row.route.split(' ');
      const operation = document.paths[path]?.[method.toLowerCase()];
      assert.ok(operation, row.route);
      assert.ok(operation.responses?.[String(row.expect.status)], `${row.route} does not document ${row.expect.status} (${row.attempt})`);
    }
  });

  it("eve's own lists (contacts, requests, blocks, devices, me, chats, sync, search) show nothing of ada's", async () => {
    const w = await buildWorld();
    await using _ = w.t;
    const secrets = [w.ada.userId, w.ada.deviceId, w.bob.userId, w.cyd.userId, w.dan.userId, w.mal.userId, w.outgoingId, w.incomingId, w.ticket.ticketId, w.adaCard, '6982', ...Object.values(w.chat), 'hi bob', 'secret note'];
    const chatPaths = ['/v1/conversations', '/v1/sync?cursor=0', '/v1/messages/search?q=hello', '/v1/messages/search?q=secret', '/v1/messages/search?q=hi'];
    for (const path of ['/v1/contacts', '/v1/contacts/requests', '/v1/contacts/blocks', '/v1/devices', '/v1/me', '/v1/me/card', '/v1/apps', `/v1/apps/${APP}/permissions`, `/v1/apps/${APP}/access-log`, ...chatPaths]) {
      const res = await w.t.call('GET', path, { token: w.eve.accessToken });
      assert.equal(res.status, 200, res.text);
      for (const secret of secrets) assert.ok(!res.text.includes(secret), `${path} shows ${secret}: ${res.text}`);
    }
  });

  for (const row of TABLE) {
    it(`${row.route}: ${row.attempt}`, async () => {
      const w = await buildWorld();
      await using _ = w.t;
      const before = await adasView(w);
      assert.equal((before.contacts as { contacts: unknown[] }).contacts.length, 1, 'the world is set up');
      assert.equal((before.requests as { incoming: unknown[] }).incoming.length, 1);
      assert.equal((before.requests as { outgoing: unknown[] }).outgoing.length, 1);
      assert.equal((before.blocks as { blocks: unknown[] }).blocks.length, 1);
      assert.equal((before.ticket as { status: string }).status, 'scanned');
      assert.equal((before.appGrants as { grants: unknown[] }).grants.length, 1);
      assert.equal((before.appLog as { entries: unknown[] }).entries.length, 1);

      const { method, path } = fillPath(row.route, row.params(w));
      const json = typeof row.json === 'function' ? (row.json as (w: World) => unknown)(w) : row.json;
      const res = await w.t.call(method, path + (row.query ?? ''), { token: row.auth ? row.auth(w) : w[row.as].accessToken, ...(row.headers ? { headers: row.headers } : {}), ...(json === undefined ? {} : { json }) });
      if ('code' in row.expect) {
        const problem = expectProblem(res, row.expect.status, row.expect.code);
        for (const secret of [w.ada.userId, w.ada.deviceId, w.ticket.secret, 'Ada']) {
          assert.ok(!JSON.stringify(problem).includes(secret) || path.includes(secret), `the refusal leaks ${secret}: ${res.text}`);
        }
      } else {
        assert.equal(res.status, row.expect.status, res.text);
        row.expect.check(res, w);
      }

      assert.deepEqual(await adasView(w), before, "ada's data is unchanged");
    });
  }
});
