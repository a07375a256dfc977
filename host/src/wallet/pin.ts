/**
 * @module Payment PINs: 6 digits, argon2id-hashed like passwords, locked after 5 wrong tries.
 *
 * Every payment from the wallet needs the PIN, so a PIN check is on the payment hot path, and argon2 (tens of
 * milliseconds by design) would cap payments at a few dozen per second per core. After a successful argon2
 * check the service remembers a keyed digest of the PIN (SHA-256 behind a per-process random secret, in memory
 * only, for `cacheMs`) and answers later checks of the same PIN with one hash. A wrong PIN never matches the cache and
 * always pays the full argon2 cost and counts towards the lockout; changing the PIN drops the cache entry.
 * The stored hash stays argon2id, so a stolen database still costs an attacker argon2 per guess.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import type { Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import type { PasswordHasher } from '../identity/passwords.ts';
import { walletPins } from './schema.ts';

/** Options of {@link PinService}. */
export interface PinServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  hasher: PasswordHasher;
  /** Wrong tries before payments lock. @default 5 */
  maxAttempts?: number;
  /** How long payments stay locked. @default 15 minutes */
  lockMs?: number;
  /** How long a verified PIN is remembered (as a keyed digest). @default 15 minutes */
  cacheMs?: number;
}

const PIN = /^\d{6}$/;

/** PINs anyone would try first: one digit repeated, runs up or down, and the most common patterns. */
export function isWeakPin(pin: string): boolean {
  if (/^(\d)\1{5}$/.test(pin)) return true;
  const digits = [...pin].map(Number);
  const steps = new Set(digits.slice(1).map((d, i) => (d - digits[i]! + 10) % 10));
  if (steps.size === 1 && (steps.has(1) || steps.has(9))) return true;
  return ['123123', '112233', '121212', '101010', '131313', '000111', '111222', '147258', '159753', '520520', '520131', '202020', '696969', '789456'].includes(pin);
}

/** Sets and checks payment PINs. */
export class PinService {
  readonly #o: Required<PinServiceOptions>;
  /** A per-process secret: the verified-PIN cache keeps SHA-256(secret, person, PIN), never the PIN. */
  readonly #secret: string;
  readonly #verified = new Map<string, { mac: Buffer; version: number; until: number }>();
  readonly #byUser;

  constructor(options: PinServiceOptions) {
    this.#o = { maxAttempts: 5, lockMs: 15 * 60_000, cacheMs: 15 * 60_000, ...options };
    this.#secret = options.random.bytes(32).toString('base64');
    this.#byUser = options.database.db.select().from(walletPins).where(eq(walletPins.userId, sql.placeholder('userId'))).prepare();
  }

  /** True when the person has a PIN. */
  hasPin(userId: string): boolean {
    return this.#row(userId) !== undefined;
  }

  /** Sets or changes the PIN; changing it needs the current one (which counts towards the lockout). */
  async set(userId: string, pin: string, currentPin?: string): Promise<void> {
    if (!PIN.test(pin)) throw new AtriumError({ code: 'VALIDATION_FAILED', errors: [{ path: 'body.pin', message: 'A PIN is 6 digits' }] });
    if (isWeakPin(pin)) throw new AtriumError({ code: 'WALLET_PIN_WEAK', detail: 'Avoid repeated digits, runs like 123456 and common patterns.' });
    if (this.hasPin(userId)) {
      if (currentPin === undefined) throw new AtriumError({ code: 'WALLET_PIN_INCORRECT', detail: 'Enter your current PIN to change it.' });
      await this.verify(userId, currentPin);
    }
    const hash = await this.#o.hasher.hash(pin);
    const now = this.#o.clock.now();
    await this.#o.database.write(async (tx) => {
      tx.insert(walletPins)
        .values({ userId, pinHash: hash, failedCount: 0, lockedUntil: null, updatedAt: now })
        .onConflictDoUpdate({ target: walletPins.userId, set: { pinHash: hash, failedCount: 0, lockedUntil: null, updatedAt: now } })
        .run();
    });
    this.#verified.delete(userId);
  }

  /**
   * Checks the PIN. Throws `WALLET_PIN_NOT_SET`, `WALLET_PIN_LOCKED` (with `retryAfter` seconds and a
   * `Retry-After` header) or `WALLET_PIN_INCORRECT` (with `attemptsLeft`).
   */
  async verify(userId: string, pin: string): Promise<void> {
    const row = this.#row(userId);
    if (!row) throw new AtriumError({ code: 'WALLET_PIN_NOT_SET' });
    const now = this.#o.clock.now();
    if (row.lockedUntil !== null && row.lockedUntil > now) throw this.#locked(row.lockedUntil, now);
    // A secret prefix instead of an HMAC: the digest never leaves this process, so there is no length extension to
    // guard against, and a one-shot hash costs ~1 µs against ~3–6 µs for createHmac on every payment.
    const mac = hash('sha256', `${this.#secret}\n${userId}:${pin}`, 'buffer');
    const cached = this.#verified.get(userId);
    if (cached && cached.version === row.updatedAt && cached.until > now && row.failedCount === 0 && timingSafeEqual(cached.mac, mac)) return;

    const ok = PIN.test(pin) && (await this.#o.hasher.verify(row.pinHash, pin));
    if (ok) {
      if (row.failedCount > 0 || row.lockedUntil !== null) {
        await this.#o.database.write(async (tx) => {
          tx.update(walletPins).set({ failedCount: 0, lockedUntil: null }).where(eq(walletPins.userId, userId)).run();
        });
      }
      this.#verified.set(userId, { mac, version: row.updatedAt, until: now + this.#o.cacheMs });
      return;
    }
    this.#verified.delete(userId);
    const { maxAttempts, lockMs } = this.#o;
    const failed = await this.#o.database.write(async (tx) => {
      const updated = tx
        .update(walletPins)
        .set({ failedCount: sql`${walletPins.failedCount} + 1` })
        .where(eq(walletPins.userId, userId))
        .returning({ failedCount: walletPins.failedCount })
        .get();
      const count = updated?.failedCount ?? maxAttempts;
      if (count >= maxAttempts) tx.update(walletPins).set({ failedCount: 0, lockedUntil: now + lockMs }).where(eq(walletPins.userId, userId)).run();
      return count;
    });
    if (failed >= maxAttempts) throw this.#locked(now + lockMs, now);
    const attemptsLeft = maxAttempts - failed;
    throw new AtriumError({ code: 'WALLET_PIN_INCORRECT', detail: `${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left before payments lock.`, extensions: { attemptsLeft } });
  }

  #locked(until: number, now: number): AtriumError {
    const retryAfter = Math.max(1, Math.ceil((until - now) / 1000));
    return new AtriumError({
      code: 'WALLET_PIN_LOCKED',
      detail: `Too many wrong PINs. Try again in ${Math.ceil(retryAfter / 60)} minute(s).`,
      extensions: { retryAfter, lockedUntil: new Date(until).toISOString() },
      headers: { 'Retry-After': String(retryAfter) },
    });
  }

  #row(userId: string): typeof walletPins.$inferSelect | undefined {
    return this.#byUser.get({ userId });
  }
}
