/**
 * @module The Corner Shop sample's own backend — what a shop runs on its server. It owns the catalogue and the
 * prices, holds the merchant API key (never the app), creates each order over Atrium's merchant API, and learns
 * of payments from Atrium's signed webhooks, verified with Atrium's published public keys alone.
 */
import { createHmac, createPublicKey, randomBytes, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { Hono } from 'hono';

/** Options of {@link createShopBackend}. */
export interface ShopBackendOptions {
  /** Where Atrium is, e.g. `http://127.0.0.1:8080`. */
  atriumUrl: string;
  appId: string;
  /** The app secret (to exchange `atrium.login()` codes for the buyer's openid). */
  appSecret: string;
  /** The merchant API key (`mk_…`, scopes orders:read + orders:write) of the merchant bound to the app. */
  merchantKey?: string | undefined;
  /** Signs the order tokens the app shows to query its order. @default random per process */
  tokenSecret?: string;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default Date.now */
  now?: () => number;
}

/** What the shop sells; prices in fen (CNY minor units). The app never sends a price. */
export const PRODUCTS = [
  { id: 'noodles', name: 'Beef noodles', icon: 'N', color: '#c2410c', price: 2_500 },
  { id: 'dumplings', name: 'Dumplings (8)', icon: 'D', color: '#0f766e', price: 1_800 },
  { id: 'milktea', name: 'Milk tea', icon: 'M', color: '#7c3aed', price: 1_200 },
  { id: 'tanghulu', name: 'Tanghulu', icon: 'T', color: '#be123c', price: 800 },
] as const;
const CURRENCY = 'CNY';
/** Receivers refuse webhook timestamps further than this from their clock (replay). */
const TOLERANCE_S = 300;

interface ShopOrder {
  outTradeNo: string;
  orderId: string;
  openid: string;
  items: Array<{ id: string; qty: number }>;
  amount: number;
  status: 'unpaid' | 'paid' | 'closed';
  transactionId: string | null;
  paidAt: number | null;
}

/**
 * The backend as a hono app: `GET /products`, `POST /checkout {code, items}`, `GET /orders/:outTradeNo`
 * (Bearer the order's token), `POST /webhooks/atrium` (Atrium's signed events).
 * @example serve({ fetch: createShopBackend({ atriumUrl, appId, appSecret, merchantKey }).fetch, port: 3000 });
 */
export function createShopBackend(options: ShopBackendOptions): Hono {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const tokenSecret = options.tokenSecret ?? randomBytes(32).toString('base64url');
  const orders = new Map<string, ShopOrder>();
  const seenEvents = new Set<string>();
  const keys = new Map<string, KeyObject>();
  const app = new Hono();
  const atrium = (path: string, init?: RequestInit) => doFetch(new URL(path, options.atriumUrl), init);
  const tokenFor = (outTradeNo: string): string => createHmac('sha256', tokenSecret).update(outTradeNo).digest('base64url');

  app.get('/products', (c) => c.json({ currency: CURRENCY, products: PRODUCTS }));

  app.post('/checkout', async (c) => {
    if (!options.merchantKey) return c.json({ error: 'SHOP_NOT_CONFIGURED' }, 503);
    const body = (await c.req.json().catch(() => null)) as { code?: unknown; items?: unknown } | null;
    const items = parseItems(body?.items);
    if (typeof body?.code !== 'string' || body.code.length > 128 || !items) return c.json({ error: 'send {"code", "items": [{"id", "qty" 1–20}]} (up to 10 lines)' }, 400);
    // Who pays: the one-use login code, exchanged with the app secret (the app never holds the openid's key).
    const login = await atrium('/v1/miniapp/code2session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ appId: options.appId, secret: options.appSecret, code: body.code }) });
    if (!login.ok) return c.json({ error: ((await login.json().catch(() => ({}))) as { code?: string }).code ?? 'LOGIN_FAILED' }, 401);
    const { openid } = (await login.json()) as { openid: string };
    // The price is the shop's, from its own catalogue.
    const amount = items.reduce((sum, item) => sum + PRODUCTS.find((p) => p.id === item.id)!.price * item.qty, 0);
    const count = items.reduce((sum, item) => sum + item.qty, 0);
    const outTradeNo = `SHOP-${now().toString(36)}${randomBytes(3).toString('hex')}`.toUpperCase();
    const created = await atrium('/v1/merchant-api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${options.merchantKey}` },
      body: JSON.stringify({ outTradeNo, amount, currency: CURRENCY, description: `Corner Shop: ${count} item${count === 1 ? '' : 's'}`, expiresInSeconds: 15 * 60, metadata: { openid } }),
    });
    if (created.status !== 201) return c.json({ error: ((await created.json().catch(() => ({}))) as { code?: string }).code ?? 'ORDER_FAILED' }, 502);
    const order = (await created.json()) as { id: string };
    orders.set(outTradeNo, { outTradeNo, orderId: order.id, openid, items, amount, status: 'unpaid', transactionId: null, paidAt: null });
    return c.json({ orderId: order.id, outTradeNo, amount, currency: CURRENCY, token: tokenFor(outTradeNo) });
  });

  app.get('/orders/:outTradeNo', (c) => {
    const order = orders.get(c.req.param('outTradeNo'));
    const token = Buffer.from(c.req.header('authorization')?.replace(/^Bearer /, '') ?? '');
    const expected = Buffer.from(order ? tokenFor(order.outTradeNo) : '');
    if (!order || token.length !== expected.length || !timingSafeEqual(token, expected)) return c.json({ error: 'NOT_FOUND' }, 404);
    const { openid: _openid, ...shown } = order;
    return c.json({ ...shown, currency: CURRENCY });
  });

  app.post('/webhooks/atrium', async (c) => {
    const raw = await c.req.text();
    let event: { id: string; type: string; data: Record<string, unknown> };
    try {
      event = await verifyEvent(c.req.header('atrium-signature'), raw);
    } catch (error) {
      return c.json({ error: error instanceof Error ? error.message : 'bad signature' }, 400);
    }
    // Deliveries may repeat: each event is applied once.
    if (seenEvents.has(event.id)) return c.body(null, 204);
    const order = typeof event.data.outTradeNo === 'string' ? orders.get(event.data.outTradeNo) : undefined;
    if (event.type === 'payment.succeeded' && order) {
      // Trust the event only for what it says: the amount and currency must be the order's.
      if (event.data.amount !== order.amount || event.data.currency !== CURRENCY) return c.json({ error: 'amount mismatch' }, 400);
      if (order.status === 'unpaid') Object.assign(order, { status: 'paid', transactionId: String(event.data.transferId), paidAt: Number(event.data.paidAt) });
    } else if (event.type === 'order.closed' && order?.status === 'unpaid') {
      order.status = 'closed';
    }
    seenEvents.add(event.id);
    return c.body(null, 204);
  });

  /** Checks `Atrium-Signature: t=…,kid=…,v1=…` (Ed25519 over "t.body") with Atrium's published keys. */
  async function verifyEvent(header: string | undefined, raw: string): Promise<{ id: string; type: string; data: Record<string, unknown> }> {
    const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=', 2) as [string, string]));
    const t = Number(parts.t);
    if (!Number.isInteger(t) || !parts.kid || !parts.v1) throw new Error('missing or malformed Atrium-Signature');
    if (Math.abs(now() / 1000 - t) > TOLERANCE_S) throw new Error('timestamp outside the tolerance');
    const key = keys.get(parts.kid) ?? (await refreshKeys()).get(parts.kid);
    if (!key) throw new Error('unknown key id');
    if (!verify(null, Buffer.from(`${t}.${raw}`), key, Buffer.from(parts.v1, 'base64url'))) throw new Error('bad signature');
    return JSON.parse(raw) as { id: string; type: string; data: Record<string, unknown> };
  }

  /** Fetches Atrium's webhook keys (on an unknown key id, so a rotated key is picked up). */
  async function refreshKeys(): Promise<Map<string, KeyObject>> {
    const res = await atrium('/v1/webhook-keys');
    if (!res.ok) return keys;
    const { keys: jwks } = (await res.json()) as { keys: Array<{ kid: string; kty: string; crv: string; x: string }> };
    for (const jwk of jwks) keys.set(jwk.kid, createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x }, format: 'jwk' }));
    return keys;
  }

  return app;
}

/** The cart lines, when they are 1–10 known products with quantities 1–20 (each product once, nothing else). */
function parseItems(value: unknown): Array<{ id: string; qty: number }> | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.length > 10) return undefined;
  const items: Array<{ id: string; qty: number }> = [];
  for (const line of value as Array<{ id?: unknown; qty?: unknown }>) {
    // Only an id and a quantity: a line that tries to name its own price is refused, not silently repriced.
    if (typeof line !== 'object' || line === null || Object.keys(line).some((k) => k !== 'id' && k !== 'qty')) return undefined;
    if (typeof line.id !== 'string' || !PRODUCTS.some((p) => p.id === line.id) || items.some((i) => i.id === line.id)) return undefined;
    if (typeof line.qty !== 'number' || !Number.isInteger(line.qty) || line.qty < 1 || line.qty > 20) return undefined;
    items.push({ id: line.id, qty: line.qty });
  }
  return items;
}

/** The name the development host serves this backend under (see host/src/apps/dev-loader.ts). */
export const createBackend = createShopBackend;
