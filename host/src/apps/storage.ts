/**
 * @module Server-side storage for mini-apps, per (person, app): 1 MB per key and 10 MB in all, as WeChat.
 * Values are JSON; quotas count UTF-8 bytes of key and value, checked inside the write.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { appStorage } from './schema.ts';

export const STORAGE_LIMITS = { maxValueBytes: 1024 * 1024, maxTotalBytes: 10 * 1024 * 1024, maxKeyLength: 128 } as const;

/** What `storage.info` reports. */
export interface StorageInfo {
  keys: string[];
  currentSize: number;
  limitSize: number;
}

/** Storage for one (person, app) at a time. */
export class AppStorage {
  readonly #database: Database;
  readonly #clock: Clock;

  constructor(options: { database: Database; clock: Clock }) {
    this.#database = options.database;
    this.#clock = options.clock;
  }

  /** The value under `key`, or undefined. */
  async get(userId: string, appId: string, key: string): Promise<unknown> {
    assertKey(key);
    const [row] = await this.#database.db.select().from(appStorage).where(and(eq(appStorage.userId, userId), eq(appStorage.appId, appId), eq(appStorage.key, key)));
    return row ? (JSON.parse(row.value) as unknown) : undefined;
  }

  /** Stores `value` (JSON-serializable) under `key`, within the quotas. */
  async set(userId: string, appId: string, key: string, value: unknown): Promise<void> {
    assertKey(key);
    const json = JSON.stringify(value);
    if (json === undefined) throw new AtriumError({ code: 'VALIDATION_FAILED', detail: 'Storage values must be JSON.' });
    const valueBytes = Buffer.byteLength(json);
    if (valueBytes > STORAGE_LIMITS.maxValueBytes) throw new AtriumError({ code: 'STORAGE_KEY_TOO_LARGE', detail: `${valueBytes} bytes; at most ${STORAGE_LIMITS.maxValueBytes}.` });
    const size = valueBytes + Buffer.byteLength(key);
    await this.#database.write(async (tx) => {
      const [used] = await tx
        .select({ total: sql<number>`coalesce(sum(${appStorage.size}), 0)` })
        .from(appStorage)
        .where(and(eq(appStorage.userId, userId), eq(appStorage.appId, appId), sql`${appStorage.key} <> ${key}`));
      const total = Number(used?.total ?? 0) + size;
      if (total > STORAGE_LIMITS.maxTotalBytes) throw new AtriumError({ code: 'STORAGE_QUOTA_EXCEEDED', detail: `This would use ${total} of ${STORAGE_LIMITS.maxTotalBytes} bytes.` });
      const updatedAt = this.#clock.now();
      await tx
        .insert(appStorage)
        .values({ userId, appId, key, value: json, size, updatedAt })
        .onConflictDoUpdate({ target: [appStorage.userId, appStorage.appId, appStorage.key], set: { value: json, size, updatedAt } });
    });
  }

  /** Removes `key`; true when it existed. */
  async remove(userId: string, appId: string, key: string): Promise<boolean> {
    assertKey(key);
    const removed = await this.#database.write((tx) =>
      tx.delete(appStorage).where(and(eq(appStorage.userId, userId), eq(appStorage.appId, appId), eq(appStorage.key, key))).returning({ key: appStorage.key }),
    );
    return removed.length > 0;
  }

  /** The keys and the bytes used. */
  async info(userId: string, appId: string): Promise<StorageInfo> {
    const rows = await this.#database.db
      .select({ key: appStorage.key, size: appStorage.size })
      .from(appStorage)
      .where(and(eq(appStorage.userId, userId), eq(appStorage.appId, appId)));
    return { keys: rows.map((r) => r.key).sort(), currentSize: rows.reduce((n, r) => n + r.size, 0), limitSize: STORAGE_LIMITS.maxTotalBytes };
  }
}

function assertKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0 || key.length > STORAGE_LIMITS.maxKeyLength) throw new AtriumError({ code: 'STORAGE_KEY_INVALID' });
}
