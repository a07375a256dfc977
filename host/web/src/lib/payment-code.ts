/**
 * @module This device's payment codes, computed here: the device enrolls once and keeps its secret as a
 * non-extractable WebCrypto HMAC key in IndexedDB (scripts can use it but never read it out), then makes each
 * 18-digit code itself — `13` · device number · counter digit · 7 one-time digits of HMAC-SHA256(secret,
 * minute ‖ counter) — so the payment code screen works with the network off.
 */
import { enablePaymentCode, disablePaymentCode } from '../api/wallet.ts';

/** A code's lifetime (the time step). */
export const CODE_PERIOD_MS = 60_000;
/** Codes per minute (the counter digit, 0–9). */
export const CODES_PER_PERIOD = 10;
const ONE_TIME_DIGITS = 7;

/** What this device keeps. */
export interface PaymentCodeEnrollment {
  /** The signed-in device this secret belongs to (a different session on this browser ignores it). */
  deviceId: string;
  userId: string;
  deviceNumber: string;
  prefix: string;
  key: CryptoKey;
  enrolledAt: number;
}

const DB_NAME = 'atrium-payment-code';
const STORE = 'enrollments';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: 'deviceId' });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error ?? new Error('IndexedDB unavailable'));
  });
}

async function inStore<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
    });
  } finally {
    db.close();
  }
}

/** This device's enrollment, if it has one (works offline). Other sessions' leftovers are dropped. */
export async function loadEnrollment(userId: string, deviceId: string): Promise<PaymentCodeEnrollment | undefined> {
  const all = await inStore<PaymentCodeEnrollment[]>('readonly', (store) => store.getAll() as IDBRequest<PaymentCodeEnrollment[]>);
  for (const other of all.filter((e) => e.deviceId !== deviceId)) await inStore('readwrite', (store) => store.delete(other.deviceId));
  const mine = all.find((e) => e.deviceId === deviceId);
  return mine && mine.userId === userId ? mine : undefined;
}

/** Enrolls this device: the host makes a secret (shown to this request only), kept here as a key nobody can read out. */
export async function enroll(userId: string, deviceId: string): Promise<PaymentCodeEnrollment> {
  const issued = await enablePaymentCode();
  const raw = base64UrlBytes(issued.secret);
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  raw.fill(0);
  const enrollment: PaymentCodeEnrollment = { deviceId, userId, deviceNumber: issued.deviceNumber, prefix: issued.prefix, key, enrolledAt: Date.now() };
  await inStore('readwrite', (store) => store.put(enrollment));
  return enrollment;
}

/** Turns codes off here and on the host. */
export async function unenroll(deviceId: string): Promise<void> {
  await disablePaymentCode();
  await inStore('readwrite', (store) => store.delete(deviceId));
}

/** The code for minute `step`, `counter`-th of that minute. */
export async function computeCode(enrollment: PaymentCodeEnrollment, step: number, counter: number): Promise<string> {
  // keep in sync with host/src/merchants/payment-codes.ts (oneTimeDigits)
  const message = new Uint8Array(9);
  const view = new DataView(message.buffer);
  view.setBigUint64(0, BigInt(step));
  view.setUint8(8, counter);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', enrollment.key, message));
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (new DataView(mac.buffer).getUint32(offset) & 0x7fffffff) % 10 ** ONE_TIME_DIGITS;
  return `${enrollment.prefix}${enrollment.deviceNumber}${counter}${String(value).padStart(ONE_TIME_DIGITS, '0')}`;
}

function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
