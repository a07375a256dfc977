/**
 * @module The access log: every bridge call that touched personal data or left the sandbox, per person and
 * app, readable by the person (API and shell page).
 */
import { and, desc, eq, lt, or } from 'drizzle-orm';
import { AtriumError } from '../core/errors.ts';
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

  /**
   * The newest entries first, `limit` at a time; `cursor` is the previous page's `nextCursor` (absent on the
   * last page). Ordered by (time, id), so entries written in the same millisecond are neither skipped nor repeated.
   */
  async list(userId: string, appId: string, options: { limit?: number; cursor?: string } = {}): Promise<{ entries: AccessEntry[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const where = [eq(appAccessLog.userId, userId), eq(appAccessLog.appId, appId)];
    if (options.cursor !== undefined) {
      const { at, id } = decodeCursor(options.cursor);
      where.push(or(lt(appAccessLog.createdAt, at), and(eq(appAccessLog.createdAt, at), lt(appAccessLog.id, id)))!);
    }
    const rows = await this.#database.db
      .select()
      .from(appAccessLog)
      .where(and(...where))
      .orderBy(desc(appAccessLog.createdAt), desc(appAccessLog.id))
      .limit(limit + 1);
    const entries = rows.slice(0, limit).map((r) => ({ id: r.id, api: r.api, outcome: r.outcome as AccessEntry['outcome'], detail: r.detail, at: r.createdAt }));
    const last = entries.at(-1);
    return { entries, nextCursor: rows.length > limit && last ? Buffer.from(`${last.at}.${last.id}`).toString('base64url') : null };
  }
}

function decodeCursor(cursor: string): { at: number; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('.', 2);
  if (!at || !id || !/^\d{1,15}$/.test(at) || !/^[\w-]{1,64}$/.test(id)) {
    throw new AtriumError({ code: 'VALIDATION_FAILED', detail: 'cursor is not one this API gave out', extensions: { errors: [{ path: 'cursor', message: 'Unknown cursor' }] } });
  }
  return { at: Number(at), id };
}
