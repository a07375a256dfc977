/**
 * @module Calls about my wallet and paying: balances, PIN, top-up, transfers, receive code, bills and their
 * export, the payment code, and paying what a scanned code points at (an order, a merchant, a person).
 * Every money-moving call carries an `Idempotency-Key` the caller keeps across retries of one payment.
 */
import { CURRENCIES as CURRENCY_TABLE, CURRENCY_CODES, type Currency } from '../../../src/wallet/currencies.ts';
import type { Counterparty, WalletTransaction } from '../../../src/wallet/service.ts';
import { request } from './client.ts';

export type { Counterparty, Currency, WalletTransaction };
/** The ISO 4217 codes the wallet holds (the server's table, host/src/wallet/currencies.ts). */
export const CURRENCIES: readonly Currency[] = CURRENCY_CODES;
/** Minor-unit exponents (ISO 4217); balances also carry theirs. */
export const EXPONENTS: Readonly<Record<Currency, number>> = Object.fromEntries(CURRENCY_CODES.map((c) => [c, CURRENCY_TABLE[c].exponent])) as Record<Currency, number>;

export interface Balance {
  currency: Currency;
  balance: number;
  held: number;
  available: number;
  exponent: number;
}
export interface TestCard {
  number: string;
  brand: string;
  outcome: string;
}
export interface Wallet {
  balances: Balance[];
  pinSet: boolean;
  funding: { id: string; label: string; test: boolean; testCards: TestCard[] };
}
export interface BillFilter {
  currency?: Currency;
  direction?: 'in' | 'out';
  kind?: string;
  from?: number;
  to?: number;
}
export interface CardInput {
  number: string;
  expMonth: number;
  expYear: number;
  cvc: string;
}
export interface PayerOrder {
  id: string;
  merchantId: string;
  merchantName: string;
  outTradeNo: string;
  amount: number;
  currency: Currency;
  description: string;
  status: 'NOTPAY' | 'USERPAYING' | 'SUCCESS' | 'CLOSED';
  expiresAt: number;
  createdAt: number;
  paidAt: number | null;
}
export interface Quote {
  currency: Currency;
  amount: number;
  payCurrency: Currency;
  payAmount: number;
  rate: string;
}
export type ScannedPayment =
  | { kind: 'order'; order: PayerOrder }
  | { kind: 'merchant'; merchant: { id: string; name: string; city: string; countryCode: string }; currency: Currency | null };

/** A fresh idempotency key for one payment attempt (reused when that attempt is retried). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}

function keyed(key: string): { headers: Record<string, string> } {
  return { headers: { 'idempotency-key': key } };
}

export function getWallet(signal?: AbortSignal): Promise<Wallet> {
  return request('GET', '/v1/wallet', { signal });
}

export function setPin(pin: string, currentPin?: string): Promise<void> {
  return request('PUT', '/v1/wallet/pin', { body: currentPin ? { pin, currentPin } : { pin } });
}

export function topUp(input: { amount: number; currency: Currency; card: CardInput }, key: string): Promise<WalletTransaction> {
  return request('POST', '/v1/wallet/topups', { body: input, ...keyed(key) });
}

export function sendToContact(input: { to: string; amount: number; currency: Currency; note: string; pin: string }, key: string): Promise<WalletTransaction> {
  return request('POST', '/v1/wallet/transfers', { body: input, ...keyed(key) });
}

export function getReceiveCode(): Promise<{ code: string; url: string }> {
  return request('GET', '/v1/wallet/receive-code');
}

export function resetReceiveCode(): Promise<{ code: string; url: string }> {
  return request('POST', '/v1/wallet/receive-code/reset');
}

export function resolveReceiveCode(code: string, signal?: AbortSignal): Promise<{ id: string; handle: string; displayName: string }> {
  return request('POST', '/v1/wallet/receive-code/resolve', { body: { code }, signal });
}

export function payReceiveCode(input: { code: string; amount: number; currency: Currency; note: string; pin: string }, key: string): Promise<WalletTransaction> {
  return request('POST', '/v1/wallet/receive-code/pay', { body: input, ...keyed(key) });
}

function filterQuery(filter: BillFilter, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams(extra);
  for (const [name, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(name, String(value));
  const text = query.toString();
  return text ? `?${text}` : '';
}

export function listBills(filter: BillFilter, cursor?: number, signal?: AbortSignal): Promise<{ transactions: WalletTransaction[]; nextCursor: number | null }> {
  return request('GET', `/v1/wallet/transactions${filterQuery(filter, cursor ? { cursor: String(cursor) } : {})}`, { signal });
}

export function getBill(transactionId: string, signal?: AbortSignal): Promise<WalletTransaction> {
  return request('GET', `/v1/wallet/transactions/${encodeURIComponent(transactionId)}`, { signal });
}

/** The export as a file (the bearer token cannot ride on a plain link, so it is fetched and saved). */
export function exportBills(filter: BillFilter, format: 'csv' | 'json'): Promise<Blob> {
  return request('GET', `/v1/wallet/transactions/export${filterQuery(filter, { format })}`, { as: 'blob' });
}

/** Enrolls this device for payment codes: its secret, in this answer only (see lib/payment-code.ts). */
export function enablePaymentCode(): Promise<{ deviceNumber: string; secret: string; prefix: string; codesPerPeriod: number }> {
  return request('POST', '/v1/wallet/payment-code/secret');
}

/** Turns payment codes off for this device. */
export function disablePaymentCode(): Promise<void> {
  return request('DELETE', '/v1/wallet/payment-code/secret');
}

/** Whether this device is enrolled, and which of its recent codes were used (so the screen moves on). */
export function paymentCodeStatus(signal?: AbortSignal): Promise<{ enabled: boolean; deviceNumber: string | null; used: { step: number; counter: number }[] }> {
  return request('GET', '/v1/wallet/payment-code', { signal });
}

export async function pendingConfirmations(signal?: AbortSignal): Promise<PayerOrder[]> {
  return (await request<{ orders: PayerOrder[] }>('GET', '/v1/wallet/payment-code/pending', { signal })).orders;
}

export function confirmPending(orderId: string, pin: string): Promise<unknown> {
  return request('POST', `/v1/wallet/payment-code/pending/${encodeURIComponent(orderId)}/confirm`, { body: { pin } });
}

/** What a scanned EMVCo payload is. */
export function resolvePayload(payload: string, signal?: AbortSignal): Promise<ScannedPayment> {
  return request('POST', '/v1/orders/scan', { body: { payload }, signal });
}

export function getOrder(orderId: string, signal?: AbortSignal): Promise<PayerOrder> {
  return request('GET', `/v1/orders/${encodeURIComponent(orderId)}`, { signal });
}

export function quoteOrder(orderId: string, currency: Currency, signal?: AbortSignal): Promise<Quote> {
  return request('GET', `/v1/orders/${encodeURIComponent(orderId)}/quote?currency=${currency}`, { signal });
}

export function payOrder(orderId: string, input: { pin: string; payCurrency?: Currency; quotedAmount?: number }, key: string): Promise<PayerOrder> {
  return request('POST', `/v1/orders/${encodeURIComponent(orderId)}/pay`, { body: input, ...keyed(key) });
}

export function payMerchant(input: { merchantId: string; amount: number; currency: Currency; note: string; pin: string }, key: string): Promise<PayerOrder> {
  return request('POST', '/v1/orders/pay-merchant', { body: input, ...keyed(key) });
}
