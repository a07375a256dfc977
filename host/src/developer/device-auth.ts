/**
 * @module The CLI's sign-in: the OAuth 2.0 device authorization grant (RFC 8628). The CLI starts one and shows a
 * URL, a code and a QR; the person confirms in the shell; the CLI's polling then receives a developer token.
 */
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { hashSecret, newId, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import type { DeveloperAudit } from './audit.ts';
import { deviceAuthorizations } from './schema.ts';
import type { DeveloperTokens, TokenInfo } from './tokens.ts';

/** RFC 8628 §6.1: consonants only, no vowels (no words), no look-alikes. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
/** @default 10 minutes */
export const DEVICE_CODE_TTL_MS = 10 * 60_000;
/** Seconds between polls (RFC 8628 §3.2 `interval`). */
export const POLL_INTERVAL_S = 5;

/** What the CLI gets when it starts (RFC 8628 §3.2 field names). */
export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** Normalizes what a person typed: letters only, uppercase, `XXXX-XXXX`. */
export function normalizeUserCode(input: string): string {
  const letters = input.toUpperCase().replace(/[^A-Z]/g, '');
  return letters.length === 8 ? `${letters.slice(0, 4)}-${letters.slice(4)}` : letters;
}

/** Device-code sign-ins. */
export class DeviceAuth {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #tokens: DeveloperTokens;
  readonly #audit: DeveloperAudit;
  readonly #publicUrl: string;

  constructor(options: { database: Database; clock: Clock; random: Random; tokens: DeveloperTokens; audit: DeveloperAudit; publicUrl: string }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#tokens = options.tokens;
    this.#audit = options.audit;
    this.#publicUrl = options.publicUrl;
  }

  /** Starts a sign-in for a client (e.g. `atrium CLI on build-box`). */
  async start(clientName: string): Promise<DeviceAuthorization> {
    const deviceCode = `adc_${this.#random.bytes(32).toString('base64url')}`;
    const letters = [...this.#random.bytes(8)].map((b) => USER_CODE_ALPHABET[b % USER_CODE_ALPHABET.length]).join('');
    const userCode = `${letters.slice(0, 4)}-${letters.slice(4)}`;
    const now = this.#clock.now();
    await this.#database.write((tx) =>
      tx.insert(deviceAuthorizations).values({ id: newId(this.#random, 'dva'), deviceCodeHash: hashSecret(deviceCode), userCode, clientName, status: 'pending', createdAt: now, expiresAt: now + DEVICE_CODE_TTL_MS }),
    );
    const uri = `${this.#publicUrl}/device`;
    return { device_code: deviceCode, user_code: userCode, verification_uri: uri, verification_uri_complete: `${uri}?code=${userCode}`, expires_in: DEVICE_CODE_TTL_MS / 1000, interval: POLL_INTERVAL_S };
  }

  /** What the shell shows before the person confirms: which client asks. */
  async describe(userCode: string): Promise<{ userCode: string; clientName: string; expiresAt: number }> {
    const row = await this.#pending(userCode);
    return { userCode: row.userCode, clientName: row.clientName, expiresAt: row.expiresAt };
  }

  /** The signed-in person allows or declines the sign-in. */
  async decide(userId: string, userCode: string, allow: boolean): Promise<void> {
    const row = await this.#pending(userCode);
    await this.#database.write(async (tx) => {
      const updated = await tx
        .update(deviceAuthorizations)
        .set({ status: allow ? 'approved' : 'denied', userId })
        .where(and(eq(deviceAuthorizations.id, row.id), eq(deviceAuthorizations.status, 'pending')))
        .returning({ id: deviceAuthorizations.id });
      if (updated.length === 0) throw new AtriumError({ code: 'USER_CODE_INVALID' });
      await this.#audit.record(tx, { userId }, null, allow ? 'device.approve' : 'device.deny', { client: row.clientName });
    });
  }

  /** The CLI polls: a token once approved (once), else the RFC 8628 §3.5 error as a code. */
  async poll(deviceCode: string): Promise<{ token: string; info: TokenInfo }> {
    const [row] = await this.#database.db.select().from(deviceAuthorizations).where(eq(deviceAuthorizations.deviceCodeHash, hashSecret(deviceCode)));
    const now = this.#clock.now();
    if (!row || row.status === 'issued' || row.expiresAt <= now) throw new AtriumError({ code: 'DEVICE_CODE_EXPIRED' });
    if (row.status === 'denied') throw new AtriumError({ code: 'DEVICE_ACCESS_DENIED' });
    if (row.status === 'pending') {
      const tooSoon = row.lastPolledAt !== null && now - row.lastPolledAt < POLL_INTERVAL_S * 1000 - 250;
      await this.#database.write((tx) => tx.update(deviceAuthorizations).set({ lastPolledAt: now }).where(eq(deviceAuthorizations.id, row.id)));
      throw new AtriumError({ code: tooSoon ? 'SLOW_DOWN' : 'AUTHORIZATION_PENDING', extensions: { interval: tooSoon ? POLL_INTERVAL_S + 5 : POLL_INTERVAL_S } });
    }
    const claimed = await this.#database.write((tx) =>
      tx
        .update(deviceAuthorizations)
        .set({ status: 'issued' })
        .where(and(eq(deviceAuthorizations.id, row.id), eq(deviceAuthorizations.status, 'approved')))
        .returning({ id: deviceAuthorizations.id }),
    );
    if (claimed.length === 0 || !row.userId) throw new AtriumError({ code: 'DEVICE_CODE_EXPIRED' });
    return this.#tokens.issue(row.userId, { name: row.clientName });
  }

  async #pending(userCode: string): Promise<typeof deviceAuthorizations.$inferSelect> {
    const [row] = await this.#database.db
      .select()
      .from(deviceAuthorizations)
      .where(and(eq(deviceAuthorizations.userCode, normalizeUserCode(userCode)), eq(deviceAuthorizations.status, 'pending')));
    if (!row || row.expiresAt <= this.#clock.now()) throw new AtriumError({ code: 'USER_CODE_INVALID' });
    return row;
  }
}
