/**
 * @module The merchant side as a shop's POS uses it: my merchants (with my session), and orders, their dynamic
 * QR codes and payment-code charges (with the terminal's `mk_` key, never with my session).
 */
import { request } from './client.ts';
import type { Currency } from './wallet.ts';

export interface Merchant {
  id: string;
  name: string;
  qrName: string;
  city: string;
  countryCode: string;
  createdAt: number;
}
export interface MerchantOrder {
  id: string;
  outTradeNo: string;
  amount: number;
  currency: Currency;
  description: string;
  status: 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED';
  expiresAt: number;
  paidAt: number | null;
}

export async function listMerchants(signal?: AbortSignal): Promise<Merchant[]> {
  return (await request<{ merchants: Merchant[] }>('GET', '/v1/merchants', { signal })).merchants;
}

export function createMerchant(input: { name: string; qrName?: string; city: string; countryCode: string }): Promise<Merchant> {
  return request('POST', '/v1/merchants', { body: input });
}

/** A key for this terminal: orders only (no refunds); its secret is in this answer only. */
export function createTerminalKey(merchantId: string, name: string): Promise<{ id: string; secret: string }> {
  return request('POST', `/v1/merchants/${encodeURIComponent(merchantId)}/keys`, { body: { name, scopes: ['orders:read', 'orders:write'] } });
}

function asTerminal(key: string): { auth: false; headers: Record<string, string> } {
  return { auth: false, headers: { authorization: `Bearer ${key}` } };
}

export function createOrder(key: string, input: { outTradeNo: string; amount: number; currency: Currency; description: string }): Promise<MerchantOrder> {
  return request('POST', '/v1/merchant-api/orders', { body: input, ...asTerminal(key) });
}

export function orderQr(key: string, outTradeNo: string): Promise<{ payload: string; expiresAt?: number }> {
  return request('GET', `/v1/merchant-api/orders/${encodeURIComponent(outTradeNo)}/qr`, asTerminal(key));
}

export function queryOrder(key: string, outTradeNo: string, signal?: AbortSignal): Promise<MerchantOrder> {
  return request('GET', `/v1/merchant-api/orders/${encodeURIComponent(outTradeNo)}`, { signal, ...asTerminal(key) });
}

export function closeOrder(key: string, outTradeNo: string): Promise<MerchantOrder> {
  return request('POST', `/v1/merchant-api/orders/${encodeURIComponent(outTradeNo)}/close`, asTerminal(key));
}

export function micropay(key: string, input: { outTradeNo: string; authCode: string; amount: number; currency: Currency; description: string }): Promise<MerchantOrder> {
  return request('POST', '/v1/merchant-api/micropay', { body: input, ...asTerminal(key) });
}

/** A fresh `out_trade_no` for a sale at this terminal (6–32 of `0-9A-Za-z_-|*`). */
export function newTradeNo(): string {
  return `POS-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`.toUpperCase();
}

// The owner's pages (with my session): orders, refunds, statements, webhooks, API keys.

export type OrderStatus = MerchantOrder['status'];
export const ORDER_STATUSES: readonly OrderStatus[] = ['NOTPAY', 'USERPAYING', 'SUCCESS', 'CLOSED'];

/** An order as its merchant's owner sees it. */
export interface OwnerOrder extends MerchantOrder {
  merchantId: string;
  merchantName: string;
  metadata: Record<string, string> | null;
  createdAt: number;
  transferId: string | null;
  refundedAmount: number;
  refundCount: number;
}
export interface Refund {
  id: string;
  orderId: string;
  outRefundNo: string;
  amount: number;
  currency: Currency;
  reason: string;
  status: 'SUCCESS';
  createdAt: number;
}
export interface StatementTotals {
  currency: Currency;
  opening: number;
  credits: number;
  debits: number;
  closing: number;
  count: number;
}
export interface Statement {
  merchantId: string;
  date: string;
  from: number;
  to: number;
  lines: { transferId: string; at: number; kind: string; amount: number; currency: Currency; orderId: string | null; outTradeNo: string | null; outRefundNo: string | null }[];
  totals: StatementTotals[];
}
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: number;
  revokedAt: number | null;
}
export const SCOPES = ['orders:read', 'orders:write', 'refunds:write'] as const;
export type Scope = (typeof SCOPES)[number];
export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  url: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: { at: number; statusCode: number | null; error: string | null; ms: number }[];
  nextAttemptAt: number | null;
  createdAt: number;
}

const mid = (merchantId: string): string => `/v1/merchants/${encodeURIComponent(merchantId)}`;

export function getMerchant(merchantId: string, signal?: AbortSignal): Promise<Merchant & { balances: { currency: Currency; balance: number }[] }> {
  return request('GET', mid(merchantId), { signal });
}

export interface OrderFilter {
  status?: OrderStatus | undefined;
  /** UTC days, `YYYY-MM-DD`, both included. */
  from?: string | undefined;
  to?: string | undefined;
}

export function listOrders(merchantId: string, filter: OrderFilter, cursor?: string, signal?: AbortSignal): Promise<{ orders: OwnerOrder[]; nextCursor: string | null }> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filter, cursor })) if (value) query.set(name, value);
  const qs = query.toString();
  return request('GET', `${mid(merchantId)}/orders${qs ? `?${qs}` : ''}`, { signal });
}

export function getOrder(merchantId: string, orderId: string, signal?: AbortSignal): Promise<{ order: OwnerOrder; refunds: Refund[] }> {
  return request('GET', `${mid(merchantId)}/orders/${encodeURIComponent(orderId)}`, { signal });
}

/** Refunds part of an order; `outRefundNo` makes a retry of the same refund harmless. */
export function refundOrder(merchantId: string, orderId: string, input: { outRefundNo: string; amount: number; reason: string }): Promise<Refund> {
  return request('POST', `${mid(merchantId)}/orders/${encodeURIComponent(orderId)}/refunds`, { body: input });
}

/** A fresh `out_refund_no` (≤ 64 of `0-9A-Za-z_-|*@`). */
export function newRefundNo(): string {
  return `RF-${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`.toUpperCase();
}

export function getStatement(merchantId: string, date: string, signal?: AbortSignal): Promise<Statement> {
  return request('GET', `${mid(merchantId)}/statement?date=${encodeURIComponent(date)}`, { signal });
}

/** The statement as a file to save (the bearer token cannot ride on a plain link). */
export function statementFile(merchantId: string, date: string, format: 'csv' | 'json'): Promise<Blob> {
  return request('GET', `${mid(merchantId)}/statement?date=${encodeURIComponent(date)}&format=${format}`, { as: 'blob' });
}

export async function listKeys(merchantId: string, signal?: AbortSignal): Promise<ApiKey[]> {
  return (await request<{ keys: ApiKey[] }>('GET', `${mid(merchantId)}/keys`, { signal })).keys;
}

/** Creates a key; its secret is in this answer only. */
export function createKey(merchantId: string, input: { name: string; scopes: Scope[] }): Promise<ApiKey & { secret: string }> {
  return request('POST', `${mid(merchantId)}/keys`, { body: input });
}

export function revokeKey(merchantId: string, keyId: string): Promise<void> {
  return request('DELETE', `${mid(merchantId)}/keys/${encodeURIComponent(keyId)}`);
}

export function webhookLog(merchantId: string, signal?: AbortSignal): Promise<{ url: string | null; deliveries: WebhookDelivery[] }> {
  return request('GET', `${mid(merchantId)}/webhook-deliveries`, { signal });
}

export function setWebhook(merchantId: string, url: string | null): Promise<{ url: string | null }> {
  return request('PUT', `${mid(merchantId)}/webhook`, { body: { url } });
}

export function redeliver(merchantId: string, deliveryId: string): Promise<void> {
  return request('POST', `${mid(merchantId)}/webhook-deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
}
