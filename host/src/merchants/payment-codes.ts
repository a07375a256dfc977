/**
 * @module Person-presented payment codes (as WeChat's 付款码): the shell shows an 18-digit code that rotates every
 * minute and that a merchant's POS scans and submits with an amount (`micropay`).
 *
 * A device enrolls once (`issue`): the host makes a secret, bound to that device and revoked with it, and returns
 * it to that device only; the shell keeps it (a non-extractable WebCrypto key) and computes every code itself,
 * so the screen works offline. A code is
 *
 *   `13` · the device's 8-digit number · a per-code counter digit `n` (0–9) · 7 one-time digits
 *
 * where the one-time digits are HMAC-SHA256(secret, minute ‖ n) truncated as in HOTP (RFC 4226, like TOTP's
 * RFC 6238 with a 60 s step). The counter lets the device show a fresh code within the same minute once one is
 * used, so every code is one-use. The host accepts codes from the minute before to the minute after its own
 * (drifting device clocks; a code shown at 12:00:59 and scanned a moment later), and each (device, minute, n)
 * at most once: a replayed code is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gte, isNull } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import type { Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { paymentCodeDevices, paymentCodeUses } from './schema.ts';

/** The code rotates every this many milliseconds. */
export const CODE_PERIOD_MS = 60_000;
/** The first two digits of every Atrium payment code (WeChat Pay uses 10–15). */
export const CODE_PREFIX = '13';
/** Codes a device can show within one minute (the counter digit). */
export const CODES_PER_PERIOD = 10;
/** Minutes either side of the host's own that a code may come from. */
export const CODE_WINDOW_STEPS = 1;
/** How many one-time digits a code carries. */
export const ONE_TIME_DIGITS = 7;

/** The one-time digits for `secret` at minute `step`, code `counter` (HOTP dynamic truncation over HMAC-SHA256). */
export function oneTimeDigits(secret: Buffer, step: number, counter: number): string {
  // keep in sync with host/web/src/lib/payment-code.ts
  const message = Buffer.alloc(9);
  message.writeBigUInt64BE(BigInt(step));
  message.writeUInt8(counter, 8);
  const mac = createHmac('sha256', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** ONE_TIME_DIGITS;
  return String(value).padStart(ONE_TIME_DIGITS, '0');
}

/** The code a device shows at `now` as its `counter`-th code of that minute (the shell computes the same). */
export function paymentCode(secret: Buffer, deviceNumber: string, now: number, counter = 0): string {
  if (!Number.isInteger(counter) || counter < 0 || counter >= CODES_PER_PERIOD) throw new RangeError('counter is 0–9');
  return `${CODE_PREFIX}${deviceNumber}${counter}${oneTimeDigits(secret, Math.floor(now / CODE_PERIOD_MS), counter)}`;
}

/** What a device keeps to show codes offline. */
export interface PaymentCodeSecret {
  deviceNumber: string;
  /** base64url; HMAC key for {@link paymentCode}. */
  secret: string;
  digits: 18;
  periodSeconds: 60;
  prefix: string;
  codesPerPeriod: number;
}

/** Whether this device has payment codes on, and which of its recent codes were used (so it shows a fresh one). */
export interface PaymentCodeStatus {
  enabled: boolean;
  deviceNumber: string | null;
  /** Codes used in the last few minutes, as `{ step: minute since the epoch, counter }`. */
  used: { step: number; counter: number }[];
}

/** Options of {@link PaymentCodeService}. */
export interface PaymentCodeServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  /** Whether the device is still signed in (a signed-out device's codes stop working at once). @default always */
  deviceActive?: (userId: string, deviceId: string) => Promise<boolean>;
}

/** Device secrets for payment codes, and checking the codes POS terminals submit. */
export class PaymentCodeService {
  readonly #o: PaymentCodeServiceOptions;

  constructor(options: PaymentCodeServiceOptions) {
    this.#o = options;
  }

  /** Enrolls this device: a new secret, returned here only (the device's earlier one stops working). */
  async issue(userId: string, deviceId: string): Promise<PaymentCodeSecret> {
    const secret = this.#o.random.bytes(32);
    const now = this.#o.clock.now();
    const deviceNumber = await this.#o.database.write(async (tx) => {
      tx.update(paymentCodeDevices).set({ revokedAt: now }).where(and(eq(paymentCodeDevices.deviceId, deviceId), isNull(paymentCodeDevices.revokedAt))).run();
      for (;;) {
        const candidate = String(this.#o.random.bytes(4).readUInt32BE() % 100_000_000).padStart(8, '0');
        const taken = tx.select({ n: paymentCodeDevices.deviceNumber }).from(paymentCodeDevices).where(eq(paymentCodeDevices.deviceNumber, candidate)).get();
        if (taken) continue;
        tx.insert(paymentCodeDevices).values({ deviceNumber: candidate, userId, deviceId, secret: secret.toString('base64url'), createdAt: now, revokedAt: null }).run();
        return candidate;
      }
    });
    return { deviceNumber, secret: secret.toString('base64url'), digits: 18, periodSeconds: 60, prefix: CODE_PREFIX, codesPerPeriod: CODES_PER_PERIOD };
  }

  /** Whether the caller's device is enrolled, and its recently used codes (never the secret or a code). */
  status(userId: string, deviceId: string): PaymentCodeStatus {
    const db = this.#o.database.db;
    const row = db
      .select({ deviceNumber: paymentCodeDevices.deviceNumber })
      .from(paymentCodeDevices)
      .where(and(eq(paymentCodeDevices.deviceId, deviceId), eq(paymentCodeDevices.userId, userId), isNull(paymentCodeDevices.revokedAt)))
      .get();
    if (!row) return { enabled: false, deviceNumber: null, used: [] };
    const since = (Math.floor(this.#o.clock.now() / CODE_PERIOD_MS) - CODE_WINDOW_STEPS - 1) * CODES_PER_PERIOD;
    const used = db
      .select({ counter: paymentCodeUses.counter })
      .from(paymentCodeUses)
      .where(and(eq(paymentCodeUses.deviceNumber, row.deviceNumber), gte(paymentCodeUses.counter, since)))
      .orderBy(desc(paymentCodeUses.counter))
      .limit(50)
      .all()
      .map((u) => ({ step: Math.floor(u.counter / CODES_PER_PERIOD), counter: u.counter % CODES_PER_PERIOD }));
    return { enabled: true, deviceNumber: row.deviceNumber, used };
  }

  /** Turns payment codes off for a device (the person's choice, or the device was signed out). */
  async revokeDevice(deviceId: string): Promise<void> {
    const now = this.#o.clock.now();
    await this.#o.database.write(async (tx) => {
      tx.update(paymentCodeDevices).set({ revokedAt: now }).where(and(eq(paymentCodeDevices.deviceId, deviceId), isNull(paymentCodeDevices.revokedAt))).run();
    });
  }

  /**
   * Checks a submitted code and uses it up: returns whose it is. `PAYMENT_CODE_INVALID` for a malformed,
   * unknown, revoked or stale code (or one of a signed-out device); `PAYMENT_CODE_USED` for a replay.
   */
  async consume(code: string): Promise<{ userId: string; deviceId: string }> {
    const invalid = (): AtriumError => new AtriumError({ code: 'PAYMENT_CODE_INVALID', detail: 'Ask the customer to refresh their payment code.' });
    if (!/^\d{18}$/.test(code) || !code.startsWith(CODE_PREFIX)) throw invalid();
    const deviceNumber = code.slice(2, 10);
    const n = Number(code[10]);
    const digits = Buffer.from(code.slice(11));
    const row = this.#o.database.db.select().from(paymentCodeDevices).where(eq(paymentCodeDevices.deviceNumber, deviceNumber)).get();
    if (!row || row.revokedAt !== null) throw invalid();
    const secret = Buffer.from(row.secret, 'base64url');
    const now = Math.floor(this.#o.clock.now() / CODE_PERIOD_MS);
    let step: number | undefined;
    // Every step of the window is computed and compared, so timing tells nothing about which one matched.
    for (let s = now - CODE_WINDOW_STEPS; s <= now + CODE_WINDOW_STEPS; s++) {
      if (timingSafeEqual(Buffer.from(oneTimeDigits(secret, s, n)), digits)) step ??= s;
    }
    if (step === undefined) throw invalid();
    if (this.#o.deviceActive && !(await this.#o.deviceActive(row.userId, row.deviceId))) throw invalid();
    const counter = step * CODES_PER_PERIOD + n;
    await this.#o.database.write(async (tx) => {
      const live = tx.select({ revokedAt: paymentCodeDevices.revokedAt }).from(paymentCodeDevices).where(eq(paymentCodeDevices.deviceNumber, deviceNumber)).get();
      if (!live || live.revokedAt !== null) throw invalid();
      const inserted = tx.insert(paymentCodeUses).values({ deviceNumber, counter, usedAt: this.#o.clock.now() }).onConflictDoNothing().run();
      if (inserted.changes === 0) throw new AtriumError({ code: 'PAYMENT_CODE_USED', detail: 'This code was already used: ask for a fresh one.' });
    });
    return { userId: row.userId, deviceId: row.deviceId };
  }
}
