/**
 * @module History search over the conversations a person is in, newest first. SQLite FTS5 with the trigram
 * tokenizer (migration 0003) finds substrings in any script; queries of 1–2 characters, too short for
 * trigrams, scan with LIKE instead (bounded by the same membership filter and limit). A PostgreSQL deployment
 * would put pg_trgm behind this one function.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import type { MessageRow } from './schema.ts';

/** Raw row shape of `select m.*`. */
interface RawMessage {
  id: string;
  conversation_id: string;
  order: number;
  sender_id: string | null;
  client_id: string | null;
  kind: string;
  text: string | null;
  mentions: string | null;
  reply_to_id: string | null;
  image_id: string | null;
  card: string | null;
  system: string | null;
  recalled_at: number | null;
  created_at: number;
}

const toRow = (r: RawMessage): MessageRow => ({
  id: r.id,
  conversationId: r.conversation_id,
  order: r.order,
  senderId: r.sender_id,
  clientId: r.client_id,
  kind: r.kind,
  text: r.text,
  mentions: r.mentions,
  replyToId: r.reply_to_id,
  imageId: r.image_id,
  card: r.card,
  system: r.system,
  recalledAt: r.recalled_at,
  createdAt: r.created_at,
});

/** Messages whose text contains `query`, in conversations `userId` is in (from when they joined), newest first. */
export async function searchMessages(db: Db, userId: string, query: string, options: { conversationId?: string | undefined; limit: number }): Promise<MessageRow[]> {
  const inConversation: SQL = options.conversationId ? sql`and m.conversation_id = ${options.conversationId}` : sql``;
  const visible = sql`
    join conversation_members cm on cm.conversation_id = m.conversation_id and cm.user_id = ${userId} and cm.status = 'active' and m."order" >= cm.visible_from
    where m.text is not null ${inConversation}
      and not exists (select 1 from hidden_messages h where h.user_id = ${userId} and h.message_id = m.id)`;
  const chars = [...query].length;
  const statement =
    chars >= 3
      ? sql`select m.* from message_search s join messages m on m.rowid = s.rowid ${visible} and message_search match ${`"${query.replaceAll('"', '""')}"`} order by m.created_at desc, m.rowid desc limit ${options.limit}`
      : sql`select m.* from messages m ${visible} and m.text like ${`%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`} escape '\\' order by m.created_at desc, m.rowid desc limit ${options.limit}`;
  const rows = db.all<RawMessage>(statement);
  return rows.map(toRow);
}
