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

export function createMerchant(input: { name: string; qrName: string; city: string; countryCode: string }): Promise<Merchant> {
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
