/**
 * @module Access tokens: Ed25519-signed JWTs (jose) with a `kid`, rotating signing keys kept in the
 * database, the public JWKS, and a bounded cache of verified tokens that still honours expiry.
 */
import { desc, gt } from 'drizzle-orm';
import { SignJWT, errors as joseErrors, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK } from 'jose';
import type { HostConfig } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { signingKeys, type SigningKeyRow } from './schema.ts';

/** RFC 6750 token68 syntax, checked before a token is parsed (cached tokens were checked when first seen). */
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

/** What an access token says. */
export interface AccessClaims {
  /** The user id. */
  sub: string;
  /** The device (session) id. */
  sid: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/** Issues and verifies access tokens. */
export interface TokenService {
  issue(userId: string, deviceId: string): Promise<{ token: string; expiresAt: number }>;
  /** Verifies signature, issuer, audience and expiry; throws `AUTH_TOKEN_INVALID` or `AUTH_TOKEN_EXPIRED`. */
  verify(token: string): Promise<AccessClaims>;
  /** The claims of a token verified before and not yet expired, without async work; else undefined. */
  verified(token: string): AccessClaims | undefined;
  /** The public keys that verify tokens still in circulation. */
  jwks(): Promise<{ keys: JWK[] }>;
  /** Makes a new signing key now (old ones keep verifying until their tokens expire). */
  rotate(): Promise<void>;
  /**
   * Signs other claims with the same keys (published in the JWKS), e.g. a mini-app's launch context:
   * `typ` names the kind, `audience` who it is for; it expires after `ttlMs`.
   */
  signClaims(claims: Record<string, unknown>, options: { typ: string; audience: string; subject: string; ttlMs: number }): Promise<{ token: string; expiresAt: number }>;
}

/** Options of {@link createTokenService}. */
export interface TokenServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  config: HostConfig;
  /** Verified tokens remembered. @default 10000 */
  cacheSize?: number;
}

const ALG = 'EdDSA';
const AUDIENCE = 'atrium';

/**
 * The verified-token cache's key for a token: its last 24 characters, which for a JWT are the end of the signature
 * (~140 bits of it; Ed25519's final bits are constrained, so not only the last few).
 */
function cacheKey(token: string): string {
  return token.slice(-24);
}

interface LoadedKey {
  row: SigningKeyRow;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
}

/** Creates the token service over the `signing_keys` table. */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const { database, clock, random, config } = options;
  const cacheSize = options.cacheSize ?? 10_000;
  const issuer = config.publicUrl;
  const keys = new Map<string, LoadedKey>();
  // Keyed by the tail of the token's signature, not the whole token: V8 hashes a Map key afresh for every request's
  // header string, and ~300 characters of JWT cost more than the rest of the lookup. Each entry keeps its whole token,
  // and a hit counts only when that equals the presented one (an unequal token with the same tail misses).
  const verified = new Map<string, { token: string; claims: AccessClaims }>();
  const lookup = (token: string): AccessClaims | undefined => {
    const entry = verified.get(cacheKey(token));
    return entry?.token === token ? entry.claims : undefined;
  };
  let loading: Promise<void> | undefined;

  async function load(): Promise<void> {
    const rows = await database.db.select().from(signingKeys).where(gt(signingKeys.expiresAt, clock.now())).orderBy(desc(signingKeys.createdAt));
    for (const row of rows) {
      if (keys.has(row.kid)) continue;
      const privateKey = (await importJWK(JSON.parse(row.privateJwk) as JWK, ALG)) as CryptoKey;
      const publicKey = (await importJWK(JSON.parse(row.publicJwk) as JWK, ALG)) as CryptoKey;
      keys.set(row.kid, { row, privateKey, publicKey });
    }
  }

  function reload(): Promise<void> {
    loading ??= load().finally(() => {
      loading = undefined;
    });
    return loading;
  }

  function current(): LoadedKey | undefined {
    const now = clock.now();
    let best: LoadedKey | undefined;
    for (const key of keys.values()) {
      if (key.row.retiresAt > now && (!best || key.row.createdAt > best.row.createdAt)) best = key;
    }
    return best;
  }

  async function createKey(): Promise<void> {
    await database.write(async (tx) => {
      const now = clock.now();
      // Another process may have rotated already: only create when no key is signing.
      const live = await tx.select({ kid: signingKeys.kid }).from(signingKeys).where(gt(signingKeys.retiresAt, now)).limit(1);
      if (live.length > 0) return;
      const { privateKey, publicKey } = await generateKeyPair(ALG, { crv: 'Ed25519', extractable: true });
      const kid = newId(random, 'key');
      const retiresAt = now + config.signingKeyRotationMs;
      await tx.insert(signingKeys).values({
        kid,
        publicJwk: JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: ALG, use: 'sig' }),
        privateJwk: JSON.stringify(await exportJWK(privateKey)),
        createdAt: now,
        retiresAt,
        // verifiable for as long as the last token it signed lives, plus a minute of clock skew
        expiresAt: retiresAt + config.accessTokenTtlMs + 60_000,
      });
    });
    await reload();
  }

  async function signingKey(): Promise<LoadedKey> {
    let key = current();
    if (key) return key;
    await reload();
    key = current();
    if (key) return key;
    await createKey();
    key = current();
    if (!key) throw new Error('no signing key after creating one');
    return key;
  }

  function remember(token: string, claims: AccessClaims): void {
    if (verified.size >= cacheSize) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(cacheKey(token), { token, claims });
  }

  return {
    async issue(userId, deviceId) {
      const key = await signingKey();
      const now = clock.now();
      const exp = Math.floor((now + config.accessTokenTtlMs) / 1000);
      const token = await new SignJWT({ sid: deviceId })
        .setProtectedHeader({ alg: ALG, kid: key.row.kid, typ: 'at+jwt' })
        .setSubject(userId)
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(exp)
        .sign(key.privateKey);
      return { token, expiresAt: exp * 1000 };
    },

    verified(token) {
      const hit = lookup(token);
      return hit && hit.exp * 1000 > clock.now() ? hit : undefined;
    },

    async signClaims(claims, options) {
      const key = await signingKey();
      const now = clock.now();
      const exp = Math.floor((now + options.ttlMs) / 1000);
      const token = await new SignJWT(claims)
        .setProtectedHeader({ alg: ALG, kid: key.row.kid, typ: options.typ })
        .setSubject(options.subject)
        .setIssuer(issuer)
        .setAudience(options.audience)
        .setIssuedAt(Math.floor(now / 1000))
        .setExpirationTime(exp)
        .sign(key.privateKey);
      return { token, expiresAt: exp * 1000 };
    },

    async verify(token) {
      const now = clock.now();
      const hit = lookup(token);
      if (hit) {
        if (hit.exp * 1000 > now) return hit;
        verified.delete(cacheKey(token));
        throw new AtriumError({ code: 'AUTH_TOKEN_EXPIRED' });
      }
      if (!TOKEN68.test(token)) throw new AtriumError({ code: 'AUTH_TOKEN_INVALID' });
      try {
        const { payload } = await jwtVerify(
          token,
          async (header) => {
            const kid = header.kid ?? '';
            if (!keys.has(kid)) await reload(); // rotated by another process
            const key = keys.get(kid);
            if (!key || key.row.expiresAt <= clock.now()) throw new joseErrors.JWKSNoMatchingKey();
            return key.publicKey;
          },
          { issuer, audience: AUDIENCE, algorithms: [ALG], typ: 'at+jwt', currentDate: new Date(now), requiredClaims: ['sub', 'sid', 'exp'] },
        );
        if (typeof payload.sid !== 'string' || typeof payload.sub !== 'string' || typeof payload.exp !== 'number') {
          throw new AtriumError({ code: 'AUTH_TOKEN_INVALID' });
        }
        const claims: AccessClaims = { sub: payload.sub, sid: payload.sid, exp: payload.exp };
        remember(token, claims);
        return claims;
      } catch (cause) {
        if (cause instanceof AtriumError) throw cause;
        if (cause instanceof joseErrors.JWTExpired) throw new AtriumError({ code: 'AUTH_TOKEN_EXPIRED', cause });
        throw new AtriumError({ code: 'AUTH_TOKEN_INVALID', cause });
      }
    },

    async jwks() {
      await reload();
      const now = clock.now();
      return {
        keys: [...keys.values()].filter((k) => k.row.expiresAt > now).map((k) => JSON.parse(k.row.publicJwk) as JWK),
      };
    },

    async rotate() {
      await database.write(async (tx) => {
        const now = clock.now();
        const expiresAt = now + config.accessTokenTtlMs + 60_000;
        await tx.update(signingKeys).set({ retiresAt: now, expiresAt }).where(gt(signingKeys.retiresAt, now));
      });
      keys.clear(); // reloaded with the new retirement times by createKey()
      await createKey();
    },
  };
}
