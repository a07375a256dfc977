/**
 * @module What transfer and red-packet messages show: their money's state, read synchronously (so the same code
 * serves history pages and the writers inside a ledger batch that push a `money` update).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { chatTransfers, redPacketClaims, redPackets, type ChatTransferRow, type MessageRow, type RedPacketClaimRow, type RedPacketRow } from './schema.ts';
import type { MoneyState, RedPacketView, TransferView } from './views.ts';

/** A transfer row as the chat shows it. */
export function toTransferView(row: ChatTransferRow): TransferView {
  return {
    id: row.id,
    senderId: row.senderId,
    recipientId: row.recipientId,
    amount: row.amount,
    currency: row.currency,
    note: row.note,
    status: row.status as TransferView['status'],
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    resolvedAt: row.resolvedAt,
  };
}

/** A red packet row and its claims (any order) as the chat shows them. */
export function toRedPacketView(row: RedPacketRow, claims: readonly RedPacketClaimRow[]): RedPacketView {
  return {
    id: row.id,
    senderId: row.senderId,
    mode: row.mode as RedPacketView['mode'],
    currency: row.currency,
    total: row.total,
    shares: row.shares,
    note: row.note,
    status: row.status as RedPacketView['status'],
    remainingAmount: row.remainingAmount,
    remainingCount: row.remainingCount,
    refundedAmount: row.refundedAmount,
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    claims: [...claims].sort((a, b) => a.position - b.position).map((c) => ({ userId: c.userId, amount: c.amount, position: c.position, at: c.createdAt })),
  };
}

/** The red packet with `id` and its claims, or undefined. */
export function readRedPacket(db: Db, id: string): { row: RedPacketRow; view: RedPacketView } | undefined {
  const row = db.select().from(redPackets).where(eq(redPackets.id, id)).get();
  if (!row) return undefined;
  const claims = db.select().from(redPacketClaims).where(eq(redPacketClaims.packetId, id)).orderBy(asc(redPacketClaims.position)).all();
  return { row, view: toRedPacketView(row, claims) };
}

/** The money state of every `transfer` and `redpacket` message among `rows`, by message id. */
export function moneyStates(db: Db, rows: readonly MessageRow[]): Map<string, MoneyState> {
  const out = new Map<string, MoneyState>();
  const transferIds = rows.filter((r) => r.kind === 'transfer').map((r) => r.id);
  const packetIds = rows.filter((r) => r.kind === 'redpacket').map((r) => r.id);
  if (transferIds.length > 0) {
    for (const t of db.select().from(chatTransfers).where(inArray(chatTransfers.messageId, transferIds)).all()) out.set(t.messageId, { transfer: toTransferView(t) });
  }
  if (packetIds.length > 0) {
    const packets = db.select().from(redPackets).where(inArray(redPackets.messageId, packetIds)).all();
    const claims = packets.length === 0 ? [] : db.select().from(redPacketClaims).where(inArray(redPacketClaims.packetId, packets.map((p) => p.id))).all();
    for (const p of packets) out.set(p.messageId, { redPacket: toRedPacketView(p, claims.filter((c) => c.packetId === p.id)) });
  }
  return out;
}
