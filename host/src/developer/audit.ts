/**
 * @module The developer platform's audit trail: every change, who made it, with which token.
 */
import { and, desc, eq, getTableColumns, lt, sql } from 'drizzle-orm';
import { AtriumError } from '../core/errors.ts';
import type { Clock } from '../core/clock.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import type { Actor } from './actor.ts';
import { developerAudit } from './schema.ts';

/** One audit entry as the API shows it. */
export interface AuditEntry {
  id: string;
  appId: string | null;
  actorId: string | null;
  tokenId: string | null;
  action: string;
  detail: Record<string, unknown>;
  at: number;
}

/** Writes (inside the caller's transaction) and reads the audit trail. */
export class DeveloperAudit {
  readonly #database: Database;
  readonly #clock: Clock;
  readonly #random: Random;

  constructor(options: { database: Database; clock: Clock; random: Random }) {
    this.#database = options.database;
    this.#clock = options.clock;
    this.#random = options.random;
  }

  /** Records `action` in the transaction `tx`, so the change and its audit entry commit together. */
  async record(tx: Db, actor: Actor, appId: string | null, action: string, detail: Record<string, unknown> = {}): Promise<void> {
    await tx.insert(developerAudit).values({
      id: newId(this.#random, 'aud'),
      appId,
      actorId: actor.userId,
      tokenId: actor.tokenId ?? null,
      action,
      detail: JSON.stringify(detail),
      at: this.#clock.now(),
    });
  }

  /**
   * An app's entries, newest first; `cursor` is the previous page's `nextCursor` (null on the last page).
   * Ordered by insertion (SQLite's rowid), so entries of the same millisecond keep their order.
   */
  async list(appId: string, options: { limit?: number; cursor?: string | undefined } = {}): Promise<{ entries: AuditEntry[]; nextCursor: string | null }> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
    const seq = sql<number>`rowid`;
    const where = [eq(developerAudit.appId, appId)];
    if (options.cursor !== undefined) {
      if (!/^\d{1,15}$/.test(options.cursor)) throw new AtriumError({ code: 'VALIDATION_FAILED', detail: 'cursor is not one this API gave out' });
      where.push(lt(seq, Number(options.cursor)));
    }
    const rows = await this.#database.db
      .select({ ...getTableColumns(developerAudit), seq })
      .from(developerAudit)
      .where(and(...where))
      .orderBy(desc(seq))
      .limit(limit + 1);
    const entries = rows.slice(0, limit).map(({ seq: _seq, ...r }) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    const last = rows[limit - 1];
    return { entries, nextCursor: rows.length > limit && last ? String(last.seq) : null };
  }
}
