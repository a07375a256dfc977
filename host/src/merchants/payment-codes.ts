/**
 * @module Person-presented payment codes (as WeChat's 付款码): the shell shows an 18-digit code that rotates every
 * minute and that a merchant's POS scans and submits with an amount (`micropay`).
 *
 * Each device gets a secret once (`issue`); the code is `13` + the device's 8-digit number + an 8-digit one-time
 * value, HMAC-SHA256(secret, minute counter) truncated as in HOTP (RFC 4226), so the device computes it offline.
 * The host accepts the current and the previous minute (a code shown at 12:00:59 still works when scanned a
 * moment later), and each (device, minute) at most once: a replayed code is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import type { Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { paymentCodeDevices, paymentCodeUses } from './schema.ts';

/** The code rotates every this many milliseconds. */
export const CODE_PERIOD_MS = 60_000;
/** The first two digits of every Atrium payment code (WeChat Pay uses 10–15). */
export const CODE_PREFIX = '13';

/** The 8-digit one-time part for `secret` at `counter` (HOTP dynamic truncation over HMAC-SHA256). */
export function oneTimeDigits(secret: Buffer, counter: number): string {
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha256', secret).update(message).digest();
  const offset = mac[mac.length - 1]! & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 100_000_000;
  return String(value).padStart(8, '0');
}

/** The code a device shows at `now` (the shell computes the same with its copy of the secret). */
export function paymentCode(secret: Buffer, deviceNumber: string, now: number): string {
  return `${CODE_PREFIX}${deviceNumber}${oneTimeDigits(secret, Math.floor(now / CODE_PERIOD_MS))}`;
}

/** What a device keeps to show codes offline. */
export interface PaymentCodeSecret {
  deviceNumber: string;
  /** base64url; HMAC key for {@link paymentCode}. */
  secret: string;
  digits: 18;
  periodSeconds: 60;
  prefix: string;
}

/** Options of {@link PaymentCodeService}. */
export interface PaymentCodeServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
}

/** Device secrets for payment codes, and checking the codes POS terminals submit. */
export class PaymentCodeService {
  readonly #o: PaymentCodeServiceOptions;

  constructor(options: PaymentCodeServiceOptions) {
    this.#o = options;
  }

  /** Gives this device a new secret (the previous one of the device stops working). */
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
    return { deviceNumber, secret: secret.toString('base64url'), digits: 18, periodSeconds: 60, prefix: CODE_PREFIX };
  }

  /** The current code of the caller's device (for a shell that is online), or `PAYMENT_CODE_NO_SECRET`. */
  current(userId: string, deviceId: string): { code: string; expiresAt: number } {
    const row = this.#o.database.db
      .select()
      .from(paymentCodeDevices)
      .where(and(eq(paymentCodeDevices.deviceId, deviceId), eq(paymentCodeDevices.userId, userId), isNull(paymentCodeDevices.revokedAt)))
      .get();
    if (!row) throw new AtriumError({ code: 'PAYMENT_CODE_NO_SECRET', detail: 'Turn payment codes on for this device first.' });
    const now = this.#o.clock.now();
    return { code: paymentCode(Buffer.from(row.secret, 'base64url'), row.deviceNumber, now), expiresAt: (Math.floor(now / CODE_PERIOD_MS) + 1) * CODE_PERIOD_MS };
  }

  /**
   * Checks a submitted code and uses it up: returns whose it is. `PAYMENT_CODE_INVALID` for a malformed,
   * unknown, revoked or stale code; `PAYMENT_CODE_USED` for a replay.
   */
  async consume(code: string): Promise<{ userId: string; deviceId: string }> {
    const invalid = (): AtriumError => new AtriumError({ code: 'PAYMENT_CODE_INVALID', detail: 'Ask the customer to refresh their payment code.' });
    if (!/^\d{18}$/.test(code) || !code.startsWith(CODE_PREFIX)) throw invalid();
    const deviceNumber = code.slice(2, 10);
    const digits = code.slice(10);
    const row = this.#o.database.db.select().from(paymentCodeDevices).where(eq(paymentCodeDevices.deviceNumber, deviceNumber)).get();
    if (!row || row.revokedAt !== null) throw invalid();
    const secret = Buffer.from(row.secret, 'base64url');
    const now = Math.floor(this.#o.clock.now() / CODE_PERIOD_MS);
    const counter = [now, now - 1].find((c) => timingSafeEqual(Buffer.from(oneTimeDigits(secret, c)), Buffer.from(digits)));
    if (counter === undefined) throw invalid();
    await this.#o.database.write(async (tx) => {
      const inserted = tx.insert(paymentCodeUses).values({ deviceNumber, counter, usedAt: this.#o.clock.now() }).onConflictDoNothing().run();
      if (inserted.changes === 0) throw new AtriumError({ code: 'PAYMENT_CODE_USED', detail: 'This code was already used: ask for a fresh one.' });
    });
    return { userId: row.userId, deviceId: row.deviceId };
  }
}
