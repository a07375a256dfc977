/**
 * @module Each person's inbox: an ordered log of updates (`seq` 1, 2, 3, ... per person, no gaps) that every
 * one of their devices syncs from. Writers append inside their write transaction, so an update exists exactly
 * when the change it describes does; what was appended is published on the bus only after the commit.
 */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Bus } from '../bus/bus.ts';
import type { Db } from '../db/database.ts';
import { inbox, inboxHeads, type InboxRow } from './schema.ts';
import type { UpdateBody } from './views.ts';

/** The bus topic of committed inbox updates: `{ batches: FanoutBatch[] }`. */
export const UPDATES_TOPIC = 'messaging.updates';

/** One update as appended to several inboxes: who got it at which seq, and what it says. */
export interface FanoutBatch {
  recipients: Array<[userId: string, seq: number]>;
  update: UpdateBody;
}

/** Collects what a transaction appended, to publish once it has committed. */
export class Fanout {
  readonly batches: FanoutBatch[] = [];

  /** Publishes everything collected (call after the commit). */
  publish(bus: Bus): void {
    if (this.batches.length > 0) bus.publish(UPDATES_TOPIC, { batches: this.batches });
  }
}

/** Makes sure each person has an inbox head (called when someone joins a conversation). */
export async function ensureInboxes(tx: Db, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .insert(inboxHeads)
    .values(userIds.map((userId) => ({ userId, seq: 0 })))
    .onConflictDoNothing();
}

/**
 * Appends `update` to the inbox of each of `userIds` and records it in `fanout`. Two statements whatever the
 * number of recipients: one bumps every head (`RETURNING` the new seqs), one inserts every row.
 */
export async function appendToInboxes(tx: Db, fanout: Fanout, userIds: readonly string[], update: UpdateBody, row: { messageId?: string | null; data?: unknown }, now: number): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  let heads = await tx
    .update(inboxHeads)
    .set({ seq: sql`${inboxHeads.seq} + 1` })
    .where(inArray(inboxHeads.userId, unique))
    .returning({ userId: inboxHeads.userId, seq: inboxHeads.seq });
  if (heads.length < unique.length) {
    const have = new Set(heads.map((h) => h.userId));
    const missing = unique.filter((id) => !have.has(id));
    await tx.insert(inboxHeads).values(missing.map((userId) => ({ userId, seq: 1 })));
    heads = [...heads, ...missing.map((userId) => ({ userId, seq: 1 }))];
  }
  const data = row.data === undefined ? null : JSON.stringify(row.data);
  await tx.insert(inbox).values(
    heads.map((h) => ({ userId: h.userId, seq: h.seq, type: update.type, conversationId: update.conversationId, messageId: row.messageId ?? null, data, createdAt: now })),
  );
  fanout.batches.push({ recipients: heads.map((h) => [h.userId, h.seq]), update });
}

/** The newest seq of a person's inbox (0 when empty). */
export async function inboxHead(db: Db, userId: string): Promise<number> {
  const [row] = await db.select({ seq: inboxHeads.seq }).from(inboxHeads).where(eq(inboxHeads.userId, userId)).limit(1);
  return row?.seq ?? 0;
}

/** Up to `limit` updates of a person's inbox after `cursor`, in order. */
export async function readInbox(db: Db, userId: string, cursor: number, limit: number): Promise<InboxRow[]> {
  return db
    .select()
    .from(inbox)
    .where(and(eq(inbox.userId, userId), gt(inbox.seq, cursor)))
    .orderBy(asc(inbox.seq))
    .limit(limit);
}
