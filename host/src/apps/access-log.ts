/**
 * @module The access log: every bridge call that touched personal data or left the sandbox, per person and
 * app, readable by the person (API and shell page).
 */
import { and, desc, eq, lt } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { appAccessLog } from './schema.ts';

/** One entry as the person sees it. */
export interface AccessEntry {
  id: string;
  api: string;
  outcome: 'allowed' | 'denied' | 'failed';
  detail: string;
  at: number;
}

/** Writes and reads the access log. */
export class AccessLog {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #random: Random;

  constructor(options: { database: Database; clock: Clock; random: Random }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#random = options.random;
  }

  /** Records a call; `detail` is cut to 200 characters and must hold no secrets. */
  async record(entry: { userId: string; appId: string; api: string; outcome: AccessEntry['outcome']; detail?: string }): Promise<void> {
    const row = {
      id: newId(this.#random, 'acc'),
      userId: entry.userId,
      appId: entry.appId,
      api: entry.api,
      outcome: entry.outcome,
      detail: (entry.detail ?? '').slice(0, 200),
      createdAt: this.#clock.now(),
    };
    await this.#database.write((tx) => tx.insert(appAccessLog).values(row));
  }

  /** The newest entries first; page with `before` (an entry's `at`). */
  async list(userId: string, appId: string, options: { limit?: number; before?: number } = {}): Promise<AccessEntry[]> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const where = [eq(appAccessLog.userId, userId), eq(appAccessLog.appId, appId)];
    if (options.before !== undefined) where.push(lt(appAccessLog.createdAt, options.before));
    const rows = await this.#database.db
      .select()
      .from(appAccessLog)
      .where(and(...where))
      .orderBy(desc(appAccessLog.createdAt), desc(appAccessLog.id))
      .limit(limit);
    return rows.map((r) => ({ id: r.id, api: r.api, outcome: r.outcome as AccessEntry['outcome'], detail: r.detail, at: r.createdAt }));
  }
}
