/**
 * @module Each person's inbox, as their devices sync it: their personal events plus the events of their
 * conversations while they were members, in the log's global order (`gseq`, monotonic per person). Writers
 * append inside their write transaction, so an update exists exactly when the change it describes does; what
 * was appended is published on the bus only after the commit.
 *
 * Why not one row per recipient: a group message would then write 500 rows at 500 places in an index, and
 * SQLite rewrites every touched page at commit (~2 MB per message measured; 23 ms). One row per conversation
 * event keeps the cost of a send independent of the group's size; reading merges the person's conversations.
 */
import { eq, inArray, max, sql } from 'drizzle-orm';
import type { Bus } from '../bus/bus.ts';
import type { Db } from '../db/database.ts';
import { prepared } from './prepared.ts';
import { conversations, events, inboxHeads, type EventRow } from './schema.ts';
import type { UpdateBody } from './views.ts';

/** The bus topic of committed inbox updates: `{ batches: FanoutBatch[] }`. */
export const UPDATES_TOPIC = 'messaging.updates';

/** One committed update and the people whose devices should get it. */
export interface FanoutBatch {
  userIds: string[];
  seq: number;
  /** For conversation events: the conversation's event count (consecutive). */
  cseq?: number;
  /** For personal events: the person's personal event count (consecutive). */
  pseq?: number;
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

/** Makes sure each person has a personal event counter (called when someone joins a conversation). */
export async function ensureInboxes(tx: Db, userIds: readonly string[]): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .insert(inboxHeads)
    .values(userIds.map((userId) => ({ userId, seq: 0 })))
    .onConflictDoNothing();
}

/** The newest `gseq` of the whole log (0 when empty). */
export async function logHead(db: Db): Promise<number> {
  const [row] = await db.select({ head: max(events.gseq) }).from(events);
  return row?.head ?? 0;
}

/** Appends an event for every member of the conversation; `recipients` are the members to push it to now. */
export async function appendConversationEvent(tx: Db, fanout: Fanout, recipients: readonly string[], update: UpdateBody, row: { messageId?: string | null; data?: unknown }, now: number): Promise<number> {
  return appendConversationEventSync(tx, fanout, recipients, update, row, now);
}

/**
 * {@link appendConversationEvent} without awaiting: for writers that run inside a ledger batch (transfers and red
 * packets in chat), where every statement of an operation must run synchronously in its savepoint.
 */
export function appendConversationEventSync(tx: Db, fanout: Fanout, recipients: readonly string[], update: UpdateBody, row: { messageId?: string | null; data?: unknown }, now: number): number {
  const bump = prepared(tx, 'bumpConversationEvent', (d) =>
    d
      .update(conversations)
      .set({ lastEvent: sql`${conversations.lastEvent} + 1` })
      .where(eq(conversations.id, sql.placeholder('id')))
      .returning({ lseq: conversations.lastEvent })
      .prepare(),
  );
  const bumped = bump.get({ id: update.conversationId });
  return insertConversationEventSync(tx, fanout, recipients, update, row, now, bumped?.lseq ?? 0);
}

/** Inserts a conversation event whose count `lseq` the caller already took from `conversations.last_event`. */
export async function insertConversationEvent(tx: Db, fanout: Fanout, recipients: readonly string[], update: UpdateBody, row: { messageId?: string | null; data?: unknown }, now: number, lseq: number): Promise<number> {
  return insertConversationEventSync(tx, fanout, recipients, update, row, now, lseq);
}

/** {@link insertConversationEvent}, synchronously (see {@link appendConversationEventSync}). */
export function insertConversationEventSync(tx: Db, fanout: Fanout, recipients: readonly string[], update: UpdateBody, row: { messageId?: string | null; data?: unknown }, now: number, lseq: number): number {
  const insert = prepared(tx, 'insertConversationEvent', (d) =>
    d
      .insert(events)
      .values({
        conversationId: sql.placeholder('conversationId'),
        userId: null,
        lseq: sql.placeholder('lseq'),
        type: sql.placeholder('type'),
        messageId: sql.placeholder('messageId'),
        data: sql.placeholder('data'),
        createdAt: sql.placeholder('createdAt'),
      })
      .returning({ gseq: events.gseq })
      .prepare(),
  );
  const inserted = insert.get({ conversationId: update.conversationId, lseq, type: update.type, messageId: row.messageId ?? null, data: row.data === undefined ? null : JSON.stringify(row.data), createdAt: now });
  const seq = inserted?.gseq ?? 0;
  fanout.batches.push({ userIds: [...recipients], seq, cseq: lseq, update });
  return seq;
}

/** Appends a personal event for each of `userIds` (their devices only). */
export async function appendPersonalEvents(tx: Db, fanout: Fanout, userIds: readonly string[], update: UpdateBody, row: { messageId?: string | null; data?: unknown }, now: number): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  await ensureInboxes(tx, unique);
  const heads = await tx
    .update(inboxHeads)
    .set({ seq: sql`${inboxHeads.seq} + 1` })
    .where(inArray(inboxHeads.userId, unique))
    .returning({ userId: inboxHeads.userId, seq: inboxHeads.seq });
  const data = row.data === undefined ? null : JSON.stringify(row.data);
  const inserted = await tx
    .insert(events)
    .values(heads.map((h) => ({ conversationId: update.conversationId, userId: h.userId, lseq: h.seq, type: update.type, messageId: row.messageId ?? null, data, createdAt: now })))
    .returning({ gseq: events.gseq, userId: events.userId, lseq: events.lseq });
  for (const e of inserted) fanout.batches.push({ userIds: [e.userId ?? ''], seq: e.gseq, pseq: e.lseq, update });
}

/**
 * Up to `limit` events of a person's inbox after `cursor`, in order: personal events, and the events of each
 * conversation within the person's membership of it (`from_seq`, `until_seq`). One index range per conversation.
 */
export async function readInbox(db: Db, userId: string, cursor: number, limit: number): Promise<EventRow[]> {
  const rows = db.all<{ gseq: number; conversation_id: string; user_id: string | null; lseq: number; type: string; message_id: string | null; data: string | null; created_at: number }>(sql`
    select * from (
      select e.* from conversation_members m
        join events e on e.conversation_id = m.conversation_id and e.user_id is null
          and e.gseq > max(${cursor}, m.from_seq) and (m.until_seq is null or e.gseq <= m.until_seq)
        where m.user_id = ${userId}
      union all
      select e.* from events e where e.user_id = ${userId} and e.gseq > ${cursor}
    ) order by gseq limit ${limit}`);
  return rows.map((r) => ({ gseq: r.gseq, conversationId: r.conversation_id, userId: r.user_id, lseq: r.lseq, type: r.type, messageId: r.message_id, data: r.data, createdAt: r.created_at }));
}
