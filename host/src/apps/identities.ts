/**
 * @module The ids an app sees: app-scoped `openid`, developer-scoped `unionid` (both pseudonymous, stable,
 * never the user id), one-use login codes valid 5 minutes, and the session key that signs user data.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { base32, hashSecret, newSecret, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import { appLoginCodes, appOpenids, apps, appSessionKeys, developerUnionids } from './schema.ts';

/** How long a login code may be exchanged. */
export const LOGIN_CODE_TTL_MS = 5 * 60_000;

/** What an app's backend gets for a login code. */
export interface CodeExchange {
  openid: string;
  unionid: string;
  /** Signs user data handed to the app (`signature` = HMAC-SHA256(sessionKey, rawData), base64url). */
  sessionKey: string;
}

/** Options of {@link AppIdentities}. */
export interface AppIdentitiesOptions {
  database: Database;
  clock: Clock;
  random: Random;
}

/** Pseudonymous ids, login codes and session keys. */
export class AppIdentities {
  readonly #o: AppIdentitiesOptions;

  constructor(options: AppIdentitiesOptions) {
    this.#o = options;
  }

  /** The person's openid in `appId` (made on first use). */
  async openid(appId: string, userId: string): Promise<string> {
    const [row] = await this.#o.database.db.select().from(appOpenids).where(and(eq(appOpenids.appId, appId), eq(appOpenids.userId, userId)));
    if (row) return row.openid;
    return this.#o.database.write((tx) => this.#openidIn(tx, appId, userId));
  }

  /** Whose openid this is in `appId`, if anyone's. */
  async userForOpenid(appId: string, openid: string): Promise<string | undefined> {
    const [row] = await this.#o.database.db.select().from(appOpenids).where(and(eq(appOpenids.appId, appId), eq(appOpenids.openid, openid)));
    return row?.userId;
  }

  /** A one-use login code for `atrium.login()`. Only its hash is stored. */
  async issueLoginCode(appId: string, userId: string): Promise<{ code: string; expiresAt: number }> {
    const now = this.#o.clock.now();
    const code = base32(this.#o.random.bytes(20));
    const expiresAt = now + LOGIN_CODE_TTL_MS;
    await this.#o.database.write((tx) => tx.insert(appLoginCodes).values({ codeHash: hashSecret(code), appId, userId, createdAt: now, expiresAt }));
    return { code, expiresAt };
  }

  /** The backend's exchange: checks the app secret, spends the code, returns the ids and a fresh session key. */
  async exchange(appId: string, secret: string, code: string): Promise<CodeExchange> {
    const [app] = await this.#o.database.db.select().from(apps).where(eq(apps.id, appId));
    if (!app || !safeEqual(app.secretHash, hashSecret(secret))) throw new AtriumError({ code: 'APP_SECRET_INVALID' });
    return this.#o.database.write(async (tx) => {
      const now = this.#o.clock.now();
      const [row] = await tx.select().from(appLoginCodes).where(eq(appLoginCodes.codeHash, hashSecret(code)));
      if (!row || row.appId !== appId || row.usedAt !== null || row.expiresAt <= now) throw new AtriumError({ code: 'LOGIN_CODE_INVALID' });
      await tx.update(appLoginCodes).set({ usedAt: now }).where(eq(appLoginCodes.codeHash, row.codeHash));
      const openid = await this.#openidIn(tx, appId, row.userId);
      const unionid = await this.#unionidIn(tx, app.developerId, row.userId);
      const sessionKey = newSecret(this.#o.random, 'sk');
      await tx
        .insert(appSessionKeys)
        .values({ appId, userId: row.userId, sessionKey, createdAt: now })
        .onConflictDoUpdate({ target: [appSessionKeys.appId, appSessionKeys.userId], set: { sessionKey, createdAt: now } });
      return { openid, unionid, sessionKey };
    });
  }

  /** Signs `rawData` with the app's current session key for the person; undefined before any exchange. */
  async sign(appId: string, userId: string, rawData: string): Promise<string | undefined> {
    const [row] = await this.#o.database.db.select().from(appSessionKeys).where(and(eq(appSessionKeys.appId, appId), eq(appSessionKeys.userId, userId)));
    return row ? createHmac('sha256', row.sessionKey).update(rawData).digest('base64url') : undefined;
  }

  async #openidIn(tx: Db, appId: string, userId: string): Promise<string> {
    const [row] = await tx.select().from(appOpenids).where(and(eq(appOpenids.appId, appId), eq(appOpenids.userId, userId)));
    if (row) return row.openid;
    const openid = `o${base32(this.#o.random.bytes(15))}`;
    await tx.insert(appOpenids).values({ appId, userId, openid, createdAt: this.#o.clock.now() });
    return openid;
  }

  async #unionidIn(tx: Db, developerId: string, userId: string): Promise<string> {
    const [row] = await tx.select().from(developerUnionids).where(and(eq(developerUnionids.developerId, developerId), eq(developerUnionids.userId, userId)));
    if (row) return row.unionid;
    const unionid = `u${base32(this.#o.random.bytes(15))}`;
    await tx.insert(developerUnionids).values({ developerId, userId, unionid, createdAt: this.#o.clock.now() });
    return unionid;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
