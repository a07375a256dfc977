/**
 * @module Password hashing with argon2id (@node-rs/argon2), parameters from config.
 */
import { hash, verify } from '@node-rs/argon2';
import type { HostConfig } from '../config.ts';

/** Hashes and checks passwords; `verifyOrBurn` spends the same time when there is no account. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Verifies against a fixed dummy hash so an unknown handle costs as long as a wrong password. */
  burn(password: string): Promise<void>;
}

/** Creates the hasher for the configured cost. */
export function createPasswordHasher(cost: HostConfig['passwordHashing']): PasswordHasher {
  const options = { memoryCost: cost.memoryCost, timeCost: cost.timeCost, parallelism: 1 };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, options),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false; // a malformed stored hash never signs anyone in
      }
    },
    async burn(password) {
      dummy ??= hash('atrium-dummy-password', options);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
