/**
 * @module The identity service: accounts, sign-in, devices and their refresh-token chains. No HTTP here.
 */
import { and, desc, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Bus } from '../bus/bus.ts';
import type { HostConfig } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { base32, hashSecret, newId, newSecret, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import { assertUnderLimit, type RateLimiter } from '../http/rate-limiter.ts';
import { deviceNameFromUserAgent } from './device-name.ts';
import type { PasswordHasher } from './passwords.ts';
import { devices, refreshTokens, users, type DeviceRow, type UserRow } from './schema.ts';
import type { TokenService } from './tokens.ts';

/** The signed-in person's own view of their account (includes the phone). */
export interface Me {
  id: string;
  handle: string;
  displayName: string;
  phone: string | null;
  locale: string | null;
  createdAt: number;
}

/** What other people may see of someone. */
export interface Person {
  id: string;
  handle: string;
  displayName: string;
}

/** A device as listed to its owner. */
export interface DeviceView {
  id: string;
  name: string;
  method: string;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

/** Tokens and context returned by every way of signing in. */
export interface Session {
  user: Me;
  device: DeviceView;
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken: string;
  refreshTokenExpiresAt: number;
}

/** The authenticated caller of a request. */
export interface Caller {
  userId: string;
  deviceId: string;
  expiresAt: number;
}

/** What a new account needs. */
export interface NewAccount {
  handle: string;
  displayName: string;
  password: string;
  phone?: string | undefined;
  locale?: string | undefined;
}

interface PreparedAccount {
  handle: string;
  displayName: string;
  passwordHash: string;
  phone: string | null;
  locale: string | undefined;
}

/** Where a sign-in comes from. */
export interface ClientInfo {
  userAgent: string;
  address: string;
  deviceName?: string | undefined;
}

/** Options of {@link IdentityService}. */
export interface IdentityServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  config: HostConfig;
  bus: Bus;
  tokens: TokenService;
  passwords: PasswordHasher;
  limiter: RateLimiter;
}

/** Topic published when a device is revoked: `{ userId, deviceId, reason }`. */
export const DEVICE_REVOKED = 'identity.device.revoked';

const RESERVED_HANDLES = new Set(['admin', 'administrator', 'atrium', 'root', 'support', 'system', 'security', 'help', 'official']);
const LAST_SEEN_EVERY_MS = 60_000;
const DEVICE_CACHE_TTL_MS = 30_000;
const DEVICE_CACHE_SIZE = 100_000;

/** Normalizes a phone number to E.164 or throws `PHONE_INVALID`. Numbers must carry their country code. */
export function normalizePhone(input: string): string {
  const parsed = parsePhoneNumberFromString(input.trim());
  if (!parsed || !parsed.isValid()) {
    throw new AtriumError({ code: 'PHONE_INVALID', detail: 'Give the number in international form, e.g. +39 06 1234 5678.' });
  }
  return parsed.number;
}

function toMe(row: UserRow): Me {
  return { id: row.id, handle: row.handle, displayName: row.displayName, phone: row.phone, locale: row.locale, createdAt: row.createdAt };
}

/** What other people may see of a user row. */
export function toPerson(row: Pick<UserRow, 'id' | 'handle' | 'displayName'>): Person {
  return { id: row.id, handle: row.handle, displayName: row.displayName };
}

function toDeviceView(row: DeviceRow, currentDeviceId: string | undefined): DeviceView {
  return { id: row.id, name: row.name, method: row.method, createdAt: row.createdAt, lastSeenAt: row.lastSeenAt, current: row.id === currentDeviceId };
}

/** Accounts, sessions and devices. */
export class IdentityService {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #config: HostConfig;
  readonly #bus: Bus;
  readonly #tokens: TokenService;
  readonly #passwords: PasswordHasher;
  readonly #limiter: RateLimiter;
  readonly #lastSeenWritten = new Map<string, number>();
  /**
   * Devices known to be signed in, so an authenticated request needs no device read. Revocations reach it
   * through the bus (from this process or any other) at once; entries also age out after
   * `DEVICE_CACHE_TTL_MS`, which bounds staleness should a bus message ever be lost.
   */
  readonly #activeDevices = new Map<string, { userId: string; checkedAt: number }>();
  #revocations = 0;
  /**
   * Prepared once: every authenticated request runs these. Single-row lookups by primary key use `get()`,
   * several times cheaper in drizzle's better-sqlite3 driver than `all()` (on PostgreSQL: `execute()`).
   */
  readonly #deviceById;
  readonly #userById;
  readonly #personById;
  readonly #meById;

  constructor(options: IdentityServiceOptions) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#random = options.random;
    this.#config = options.config;
    this.#bus = options.bus;
    this.#tokens = options.tokens;
    this.#passwords = options.passwords;
    this.#limiter = options.limiter;
    const db = options.database.db;
    this.#deviceById = db
      .select({ userId: devices.userId, revokedAt: devices.revokedAt })
      .from(devices)
      .where(eq(devices.id, sql.placeholder('id')))
      .prepare();
    this.#userById = db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare();
    this.#personById = db.select({ id: users.id, handle: users.handle, displayName: users.displayName }).from(users).where(eq(users.id, sql.placeholder('id'))).prepare();
    // Read on every `GET /v1/me`: a plain statement whose columns are aliased to `Me`, without drizzle's row mapping.
    this.#meById = options.database.prepareRead<Me>(
      'select id, handle, display_name as displayName, phone, locale, created_at as createdAt from users where id = ?',
    );
    options.bus.subscribe(DEVICE_REVOKED, (event) => {
      this.#revocations += 1;
      this.#activeDevices.delete((event as { deviceId: string }).deviceId);
    });
  }

  /** Creates an account and signs its first device in. Handles are compared lowercase. */
  async signUp(input: NewAccount, client: ClientInfo): Promise<Session> {
    const limits = this.#config.rateLimits;
    const addressKey = `signup:addr:${client.address}`;
    assertUnderLimit(this.#limiter, this.#clock, addressKey, limits.signupPerAddress);
    const prepared = await this.#prepareAccount(input);
    this.#limiter.hit(addressKey, limits.windowMs);
    const { userId, deviceId, refresh } = await this.#database.write(async (tx) => {
      const userId = await this.#insertAccount(tx, prepared);
      return { userId, ...(await this.#createDevice(tx, userId, client, 'signup')) };
    });
    return this.#session(userId, deviceId, refresh);
  }

  /** Creates an account with no device (demo data, administration). */
  async createAccount(input: NewAccount): Promise<Me> {
    const prepared = await this.#prepareAccount(input);
    const userId = await this.#database.write((tx) => this.#insertAccount(tx, prepared));
    return this.me(userId);
  }

  async #prepareAccount(input: NewAccount): Promise<PreparedAccount> {
    const handle = input.handle.toLowerCase();
    if (RESERVED_HANDLES.has(handle)) throw new AtriumError({ code: 'HANDLE_TAKEN', detail: `@${handle} is reserved.` });
    const phone = input.phone ? normalizePhone(input.phone) : null;
    return { handle, displayName: input.displayName, phone, locale: input.locale, passwordHash: await this.#passwords.hash(input.password) };
  }

  async #insertAccount(tx: Db, account: PreparedAccount): Promise<string> {
    const taken = await tx.select({ id: users.id }).from(users).where(eq(users.handle, account.handle)).limit(1);
    if (taken.length > 0) throw new AtriumError({ code: 'HANDLE_TAKEN', detail: `@${account.handle} is taken; try another.` });
    if (account.phone) await this.#assertPhoneFree(tx, account.phone, undefined);
    const now = this.#clock.now();
    const userId = newId(this.#random, 'usr');
    await tx.insert(users).values({
      id: userId,
      handle: account.handle,
      displayName: account.displayName,
      passwordHash: account.passwordHash,
      phone: account.phone,
      locale: account.locale ?? null,
      cardCode: this.#newCardCode(),
      createdAt: now,
      updatedAt: now,
    });
    return userId;
  }

  /** Signs in with handle and password. Unknown handle and wrong password fail alike, in like time. */
  async signIn(input: { handle: string; password: string }, client: ClientInfo): Promise<Session> {
    const limits = this.#config.rateLimits;
    const handle = input.handle.toLowerCase();
    const addressKey = `signin:addr:${client.address}`;
    const accountKey = `signin:acct:${handle}`;
    assertUnderLimit(this.#limiter, this.#clock, addressKey, limits.signinPerAddress);
    assertUnderLimit(this.#limiter, this.#clock, accountKey, limits.signinFailuresPerAccount);
    this.#limiter.hit(addressKey, limits.windowMs);
    const [user] = await this.#database.db.select().from(users).where(eq(users.handle, handle)).limit(1);
    const ok = user ? await this.#passwords.verify(user.passwordHash, input.password) : (await this.#passwords.burn(input.password), false);
    if (!user || !ok) {
      this.#limiter.hit(accountKey, limits.windowMs);
      throw new AtriumError({ code: 'AUTH_INVALID_CREDENTIALS' });
    }
    this.#limiter.reset(accountKey);
    const { deviceId, refresh } = await this.#database.write((tx) => this.#createDevice(tx, user.id, client, 'password'));
    return this.#session(user.id, deviceId, refresh);
  }

  /** Exchanges a refresh token for new tokens. A spent token revokes its device's whole chain. */
  async refresh(refreshToken: string): Promise<Session> {
    const tokenHash = hashSecret(refreshToken);
    const outcome = await this.#database.write(async (tx) => {
      const now = this.#clock.now();
      const [row] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash)).limit(1);
      if (!row) return { ok: false, error: 'AUTH_REFRESH_INVALID' } as const;
      const [device] = await tx.select().from(devices).where(eq(devices.id, row.deviceId)).limit(1);
      if (!device || device.revokedAt !== null) return { ok: false, error: 'AUTH_DEVICE_REVOKED' } as const;
      if (row.usedAt !== null) {
        await this.#revoke(tx, device.userId, device.id, 'refresh_token_reused');
        return { ok: false, error: 'AUTH_REFRESH_REUSED', revoked: device } as const;
      }
      if (row.expiresAt <= now) return { ok: false, error: 'AUTH_REFRESH_INVALID' } as const;
      await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.id, row.id));
      const refresh = await this.#newRefreshToken(tx, device.id);
      await tx.update(devices).set({ lastSeenAt: now }).where(eq(devices.id, device.id));
      return { ok: true, userId: device.userId, deviceId: device.id, refresh } as const;
    });
    if (!outcome.ok) {
      if (outcome.error === 'AUTH_REFRESH_REUSED') this.#announceRevoked(outcome.revoked.userId, outcome.revoked.id, 'refresh_token_reused');
      throw new AtriumError({ code: outcome.error });
    }
    return this.#session(outcome.userId, outcome.deviceId, outcome.refresh);
  }

  /**
   * The caller for an access token already verified and whose device was checked within the device cache's time,
   * without waiting; undefined when either needs work (then use {@link authenticate}).
   */
  authenticatedNow(accessToken: string): Caller | undefined {
    const claims = this.#tokens.verified(accessToken);
    if (!claims) return undefined;
    const now = this.#clock.now();
    const cached = this.#activeDevices.get(claims.sid);
    if (!cached || now - cached.checkedAt >= DEVICE_CACHE_TTL_MS || cached.userId !== claims.sub) return undefined;
    this.#touch(claims.sid);
    return { userId: claims.sub, deviceId: claims.sid, expiresAt: claims.exp * 1000 };
  }

  /** Checks an access token and that its device is still signed in (revocation is immediate). */
  async authenticate(accessToken: string): Promise<Caller> {
    const claims = this.#tokens.verified(accessToken) ?? (await this.#tokens.verify(accessToken));
    const now = this.#clock.now();
    const cached = this.#activeDevices.get(claims.sid);
    if (cached && now - cached.checkedAt < DEVICE_CACHE_TTL_MS) {
      if (cached.userId !== claims.sub) throw new AtriumError({ code: 'AUTH_TOKEN_INVALID' });
    } else {
      const epoch = this.#revocations;
      const device = await this.#deviceById.get({ id: claims.sid });
      if (!device || device.userId !== claims.sub) throw new AtriumError({ code: 'AUTH_TOKEN_INVALID' });
      if (device.revokedAt !== null) throw new AtriumError({ code: 'AUTH_DEVICE_REVOKED' });
      // Only remember what no revocation could have overtaken while we read.
      if (epoch === this.#revocations) {
        if (this.#activeDevices.size >= DEVICE_CACHE_SIZE) this.#activeDevices.clear();
        this.#activeDevices.set(claims.sid, { userId: device.userId, checkedAt: now });
      }
    }
    this.#touch(claims.sid);
    return { userId: claims.sub, deviceId: claims.sid, expiresAt: claims.exp * 1000 };
  }

  /** Signs the caller's device out. */
  async signOut(caller: Caller): Promise<void> {
    await this.revokeDevice(caller, caller.deviceId);
  }

  /** Changes the password after checking the current one, and signs out every other device. */
  async changePassword(caller: Caller, currentPassword: string, newPassword: string): Promise<{ revokedDevices: number }> {
    const accountKey = `password:acct:${caller.userId}`;
    const limits = this.#config.rateLimits;
    assertUnderLimit(this.#limiter, this.#clock, accountKey, limits.signinFailuresPerAccount);
    const user = await this.#user(caller.userId);
    if (!(await this.#passwords.verify(user.passwordHash, currentPassword))) {
      this.#limiter.hit(accountKey, limits.windowMs);
      throw new AtriumError({ code: 'AUTH_PASSWORD_WRONG' });
    }
    this.#limiter.reset(accountKey);
    const passwordHash = await this.#passwords.hash(newPassword);
    const others = await this.#database.write(async (tx) => {
      const now = this.#clock.now();
      await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, caller.userId));
      const others = await tx
        .select({ id: devices.id })
        .from(devices)
        .where(and(eq(devices.userId, caller.userId), isNull(devices.revokedAt), ne(devices.id, caller.deviceId)));
      for (const device of others) await this.#revoke(tx, caller.userId, device.id, 'password_changed');
      return others;
    });
    for (const device of others) this.#announceRevoked(caller.userId, device.id, 'password_changed');
    return { revokedDevices: others.length };
  }

  /** The caller's own account (one read, answered without waiting). */
  me(userId: string): Me {
    const me = this.#meById.get(userId);
    if (!me) throw new AtriumError({ code: 'NOT_FOUND', detail: 'The account no longer exists.' });
    return me;
  }

  /** Changes display name, phone (E.164, or null to remove) or locale. */
  async updateMe(userId: string, patch: { displayName?: string | undefined; phone?: string | null | undefined; locale?: string | null | undefined }): Promise<Me> {
    const phone = patch.phone === undefined || patch.phone === null ? patch.phone : normalizePhone(patch.phone);
    return this.#database.write(async (tx) => {
      if (phone) await this.#assertPhoneFree(tx, phone, userId);
      const set: Partial<typeof users.$inferInsert> = { updatedAt: this.#clock.now() };
      if (patch.displayName !== undefined) set.displayName = patch.displayName;
      if (phone !== undefined) set.phone = phone;
      if (patch.locale !== undefined) set.locale = patch.locale;
      const [row] = await tx.update(users).set(set).where(eq(users.id, userId)).returning();
      if (!row) throw new AtriumError({ code: 'NOT_FOUND' });
      return toMe(row);
    });
  }

  /** The caller's devices, signed-in ones first, newest first; revoked ones are not listed. */
  async listDevices(caller: Caller): Promise<DeviceView[]> {
    const rows = await this.#database.db
      .select()
      .from(devices)
      .where(and(eq(devices.userId, caller.userId), isNull(devices.revokedAt)))
      .orderBy(desc(devices.lastSeenAt));
    return rows.map((row) => toDeviceView(row, caller.deviceId));
  }

  /** Renames one of the caller's devices. Someone else's device is `DEVICE_NOT_FOUND`. */
  async renameDevice(caller: Caller, deviceId: string, name: string): Promise<DeviceView> {
    return this.#database.write(async (tx) => {
      const [row] = await tx
        .update(devices)
        .set({ name })
        .where(and(eq(devices.id, deviceId), eq(devices.userId, caller.userId), isNull(devices.revokedAt)))
        .returning();
      if (!row) throw new AtriumError({ code: 'DEVICE_NOT_FOUND' });
      return toDeviceView(row, caller.deviceId);
    });
  }

  /** Signs one of the caller's devices out; its tokens stop working on the next request. */
  async revokeDevice(caller: Caller, deviceId: string): Promise<void> {
    const reason = deviceId === caller.deviceId ? 'signed_out' : 'revoked';
    await this.#database.write(async (tx) => {
      const [row] = await tx
        .select({ id: devices.id })
        .from(devices)
        .where(and(eq(devices.id, deviceId), eq(devices.userId, caller.userId), isNull(devices.revokedAt)))
        .limit(1);
      if (!row) throw new AtriumError({ code: 'DEVICE_NOT_FOUND' });
      await this.#revoke(tx, caller.userId, deviceId, reason);
    });
    this.#announceRevoked(caller.userId, deviceId, reason);
  }

  /** Finds people by id, for other domains; unknown ids are left out. */
  async people(ids: readonly string[]): Promise<Map<string, Person>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    if (unique.length === 1) {
      // One person (a payment's counterparty, say) is the common case: a prepared lookup, not a new statement.
      const row = this.#personById.get({ id: unique[0] });
      return new Map(row ? [[row.id, toPerson(row)]] : []);
    }
    const rows = await this.#database.db
      .select({ id: users.id, handle: users.handle, displayName: users.displayName })
      .from(users)
      .where(inArray(users.id, unique));
    return new Map(rows.map((row) => [row.id, toPerson(row)]));
  }

  /** Finds a person by handle (any case). */
  async personByHandle(handle: string): Promise<Person | undefined> {
    const [row] = await this.#database.db.select().from(users).where(eq(users.handle, handle.toLowerCase())).limit(1);
    return row ? toPerson(row) : undefined;
  }

  /** Finds a person by the code in their QR card. */
  async personByCard(cardCode: string): Promise<Person | undefined> {
    const [row] = await this.#database.db.select().from(users).where(eq(users.cardCode, cardCode)).limit(1);
    return row ? toPerson(row) : undefined;
  }

  /** True once anyone has an account (the demo seed runs only before). */
  async hasAnyAccount(): Promise<boolean> {
    return (await this.#database.db.select({ id: users.id }).from(users).limit(1)).length > 0;
  }

  /** The caller's QR card code. */
  async card(userId: string): Promise<string> {
    return (await this.#user(userId)).cardCode;
  }

  /** Replaces the caller's card code; old QR cards stop working. */
  async resetCard(userId: string): Promise<string> {
    const cardCode = this.#newCardCode();
    await this.#database.write((tx) => tx.update(users).set({ cardCode, updatedAt: this.#clock.now() }).where(eq(users.id, userId)));
    return cardCode;
  }

  /**
   * Creates a device and its first refresh token inside `tx`. Used by sign-up, sign-in and scan-to-login.
   * Access tokens are issued after the transaction commits (see {@link IdentityService.sessionFor}).
   */
  async createDevice(tx: Db, userId: string, client: ClientInfo, method: string): Promise<{ deviceId: string; refresh: { token: string; expiresAt: number } }> {
    return this.#createDevice(tx, userId, client, method);
  }

  /** Completes a session for a device created by {@link IdentityService.createDevice}. */
  async sessionFor(userId: string, deviceId: string, refresh: { token: string; expiresAt: number }): Promise<Session> {
    return this.#session(userId, deviceId, refresh);
  }

  async #createDevice(tx: Db, userId: string, client: ClientInfo, method: string): Promise<{ deviceId: string; refresh: { token: string; expiresAt: number } }> {
    const now = this.#clock.now();
    const deviceId = newId(this.#random, 'dev');
    await tx.insert(devices).values({
      id: deviceId,
      userId,
      name: client.deviceName ?? deviceNameFromUserAgent(client.userAgent),
      userAgent: client.userAgent.slice(0, 512),
      method,
      createdAt: now,
      lastSeenAt: now,
    });
    return { deviceId, refresh: await this.#newRefreshToken(tx, deviceId) };
  }

  async #newRefreshToken(tx: Db, deviceId: string): Promise<{ token: string; expiresAt: number }> {
    const now = this.#clock.now();
    const token = newSecret(this.#random, 'rt');
    const expiresAt = now + this.#config.refreshTokenTtlMs;
    await tx.insert(refreshTokens).values({ id: newId(this.#random, 'rtk'), deviceId, tokenHash: hashSecret(token), createdAt: now, expiresAt });
    return { token, expiresAt };
  }

  async #session(userId: string, deviceId: string, refresh: { token: string; expiresAt: number }): Promise<Session> {
    const access = await this.#tokens.issue(userId, deviceId);
    const [user] = await this.#database.db.select().from(users).where(eq(users.id, userId)).limit(1);
    const [device] = await this.#database.db.select().from(devices).where(eq(devices.id, deviceId)).limit(1);
    if (!user || !device) throw new Error(`session for missing user ${userId} or device ${deviceId}`);
    return {
      user: toMe(user),
      device: toDeviceView(device, deviceId),
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
    };
  }

  async #revoke(tx: Db, userId: string, deviceId: string, reason: string): Promise<void> {
    await tx.update(devices).set({ revokedAt: this.#clock.now(), revokedReason: reason }).where(and(eq(devices.id, deviceId), eq(devices.userId, userId)));
  }

  #announceRevoked(userId: string, deviceId: string, reason: string): void {
    this.#lastSeenWritten.delete(deviceId);
    this.#bus.publish(DEVICE_REVOKED, { userId, deviceId, reason });
  }

  async #user(userId: string): Promise<UserRow> {
    const row = await this.#userById.get({ id: userId });
    if (!row) throw new AtriumError({ code: 'NOT_FOUND', detail: 'The account no longer exists.' });
    return row;
  }

  async #assertPhoneFree(tx: Db, phone: string, userId: string | undefined): Promise<void> {
    const [owner] = await tx.select({ id: users.id }).from(users).where(eq(users.phone, phone)).limit(1);
    if (owner && owner.id !== userId) throw new AtriumError({ code: 'PHONE_TAKEN' });
  }

  #newCardCode(): string {
    return base32(this.#random.bytes(10));
  }

  /** Records that a device was seen, at most once a minute per device, off the request's path. */
  #touch(deviceId: string): void {
    const now = this.#clock.now();
    const last = this.#lastSeenWritten.get(deviceId) ?? 0;
    if (now - last < LAST_SEEN_EVERY_MS) return;
    if (this.#lastSeenWritten.size > 50_000) this.#lastSeenWritten.clear();
    this.#lastSeenWritten.set(deviceId, now);
    this.#database
      .write((tx) => tx.update(devices).set({ lastSeenAt: now }).where(and(eq(devices.id, deviceId), isNull(devices.revokedAt))))
      .catch(() => undefined); // best effort: a closed database at shutdown is fine
  }
}

