/**
 * @module Developer API tokens (`atk_<id>.<secret>`): scoped, expiring, revocable; only a hash is kept. The CLI
 * gets one through the device-code sign-in (device-auth.ts); people can also mint and revoke them in the API.
 */
import { timingSafeEqual } from 'node:crypto';
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { base32, hashSecret, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { TOKEN_SCOPES, type TokenScope } from './actor.ts';
import { developerTokens, type DeveloperTokenRow } from './schema.ts';

const TOKEN = /^atk_([0-9a-z]{16})\.([A-Za-z0-9_-]{43})$/;

/** Longest a token may live. @default 90 days */
export const MAX_TOKEN_TTL_MS = 90 * 24 * 3600_000;

/** A token as its owner sees it (never the secret after creation). */
export interface TokenInfo {
  id: string;
  name: string;
  scopes: TokenScope[];
  createdAt: number;
  expiresAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** Who a valid token speaks for. */
export interface TokenCaller {
  userId: string;
  tokenId: string;
  scopes: ReadonlySet<TokenScope>;
}

function tokenInfo(row: DeveloperTokenRow): TokenInfo {
  return { id: row.id, name: row.name, scopes: JSON.parse(row.scopes) as TokenScope[], createdAt: row.createdAt, expiresAt: row.expiresAt, revokedAt: row.revokedAt, lastUsedAt: row.lastUsedAt };
}

/** True when the string has the shape of a developer token (so the edge knows which verifier to use). */
export function isDeveloperToken(token: string): boolean {
  return token.startsWith('atk_');
}

/** Issues, verifies, lists and revokes developer tokens. */
export class DeveloperTokens {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #random: Random;

  constructor(options: { database: Database; clock: Clock; random: Random }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#random = options.random;
  }

  /** Mints a token; the returned `token` is shown this once. */
  async issue(userId: string, input: { name: string; scopes?: readonly TokenScope[]; ttlMs?: number }): Promise<{ token: string; info: TokenInfo }> {
    const ttl = Math.min(input.ttlMs ?? MAX_TOKEN_TTL_MS, MAX_TOKEN_TTL_MS);
    const scopes = [...new Set(input.scopes ?? TOKEN_SCOPES)];
    const key = base32(this.#random.bytes(10));
    const secret = this.#random.bytes(32).toString('base64url');
    const now = this.#clock.now();
    const row: DeveloperTokenRow = { id: `tok_${key}`, userId, name: input.name, scopes: JSON.stringify(scopes), secretHash: hashSecret(secret), createdAt: now, expiresAt: now + ttl, revokedAt: null, lastUsedAt: null };
    await this.#database.write((tx) => tx.insert(developerTokens).values(row));
    return { token: `atk_${key}.${secret}`, info: tokenInfo(row) };
  }

  /** The person's tokens, newest first. */
  async list(userId: string): Promise<TokenInfo[]> {
    const rows = await this.#database.db.select().from(developerTokens).where(eq(developerTokens.userId, userId)).orderBy(desc(developerTokens.createdAt));
    return rows.map(tokenInfo);
  }

  /** Revokes one of the person's tokens; it is refused from the next request on. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    const updated = await this.#database.write((tx) =>
      tx
        .update(developerTokens)
        .set({ revokedAt: this.#clock.now() })
        .where(and(eq(developerTokens.id, tokenId), eq(developerTokens.userId, userId), isNull(developerTokens.revokedAt)))
        .returning({ id: developerTokens.id }),
    );
    if (updated.length === 0) throw new AtriumError({ code: 'NOT_FOUND', detail: 'No such active token.' });
  }

  /** Verifies a token: known, secret matches, not revoked, not expired. */
  async verify(token: string): Promise<TokenCaller> {
    const match = TOKEN.exec(token);
    const invalid = new AtriumError({ code: 'DEVELOPER_TOKEN_INVALID', headers: { 'WWW-Authenticate': 'Bearer realm="atrium", error="invalid_token"' } });
    if (!match) throw invalid;
    const [row] = await this.#database.db.select().from(developerTokens).where(eq(developerTokens.id, `tok_${match[1]}`));
    if (!row) throw invalid;
    const given = Buffer.from(hashSecret(match[2]!));
    if (!timingSafeEqual(given, Buffer.from(row.secretHash)) || row.revokedAt !== null || row.expiresAt <= this.#clock.now()) throw invalid;
    const now = this.#clock.now();
    if (row.lastUsedAt === null || now - row.lastUsedAt > 60_000) {
      await this.#database.write((tx) => tx.update(developerTokens).set({ lastUsedAt: now }).where(eq(developerTokens.id, row.id)));
    }
    return { userId: row.userId, tokenId: row.id, scopes: new Set(JSON.parse(row.scopes) as TokenScope[]) };
  }
}
