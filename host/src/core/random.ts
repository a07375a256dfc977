/**
 * @module Randomness, injectable so tests can make it repeatable; ids and secrets are derived from it.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A source of random bytes. */
export interface Random {
  bytes(length: number): Buffer;
}

/** Cryptographically secure randomness from the operating system. */
export const systemRandom: Random = { bytes: (length) => randomBytes(length) };

/** A repeatable (not secure) source for tests: SHA-256 in counter mode over a seed. */
export function createSeededRandom(seed: string): Random {
  let counter = 0;
  return {
    bytes(length) {
      const out = Buffer.alloc(length);
      for (let offset = 0; offset < length; offset += 32) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        block.copy(out, offset, 0, Math.min(32, length - offset));
      }
      return out;
    },
  };
}

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford, lowercase: no i, l, o, u

/** Encodes bytes in lowercase Crockford base32 (no padding). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * A new opaque id such as `usr_4k9x…`: a type prefix and 80 random bits.
 * @example newId(random, 'dev')
 */
export function newId(random: Random, prefix: string): string {
  return `${prefix}_${base32(random.bytes(10))}`;
}

/** A new secret token (256 bits, base64url) with a readable prefix, e.g. `rt_…`. */
export function newSecret(random: Random, prefix: string): string {
  return `${prefix}_${random.bytes(32).toString('base64url')}`;
}

/** SHA-256 of a secret, hex: how secrets are stored and looked up. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
