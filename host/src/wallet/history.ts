/**
 * @module Reading an account's history: its transfers newest first, by following the chain the ledger writes
 * (each account row names its newest transfer, each transfer its two accounts' previous ones; see schema.ts).
 * Each step is a point lookup by rowid, so a page of bills costs its own rows, whatever the ledger's size; several
 * accounts (a person's currencies) are merged by `seq`.
 */
import type Sqlite from 'better-sqlite3';
import { connectionOf, type Db } from '../db/database.ts';
import { TRANSFER_COLUMNS, TRANSFER_JOINS } from './ledger.ts';

/** One transfer as history returns it; account ids are the public ones (`w:<userId>:CNY`). */
export interface HistoryRow {
  seq: number;
  id: string;
  type: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  currency: string;
  code: string;
  pendingId: string | null;
  /** JSON text, as stored. */
  meta: string | null;
  createdAt: number;
}

/**
 * How far behind `createdAt` may run along `seq` (a wall clock stepped back): a walk bounded by a time stops only
 * this far before it, so no transfer in the window is missed.
 */
export const CLOCK_SLACK_MS = 10 * 60_000;

type Row = [...tuple: [number, string, string, string, string, number, string, string, string | null, string | null, number], debitNum: number, creditNum: number, debitPrev: number | null, creditPrev: number | null];

function statements(db: Db) {
  const client = connectionOf(db);
  return {
    head: client.prepare('SELECT num, last_seq FROM ledger_accounts WHERE id = ?').raw(true),
    byId: client.prepare(`SELECT ${TRANSFER_COLUMNS} FROM ledger_transfers t ${TRANSFER_JOINS} WHERE t.id = ?`).raw(true),
    row: client.prepare(`SELECT ${TRANSFER_COLUMNS}, t.debit_account, t.credit_account, t.debit_prev, t.credit_prev FROM ledger_transfers t ${TRANSFER_JOINS} WHERE t.seq = ?`).raw(true),
  };
}

const prepared = new WeakMap<Db, ReturnType<typeof statements>>();

function statementsOf(db: Db): ReturnType<typeof statements> {
  let s = prepared.get(db);
  if (!s) prepared.set(db, (s = statements(db)));
  return s;
}

/** One transfer by its public id. */
export function transferById(db: Db, id: string): HistoryRow | undefined {
  const row = statementsOf(db).byId.get(id) as Row | undefined;
  return row && toRow(row);
}

function toRow(row: Row): HistoryRow {
  return { seq: row[0], id: row[1], type: row[2], debitAccountId: row[3], creditAccountId: row[4], amount: row[5], currency: row[6], code: row[7], pendingId: row[8], meta: row[9], createdAt: row[10] };
}

interface Cursor {
  num: number;
  /** The next transfer to read (newest first), or null at the end. */
  next: number | null;
}

/**
 * The transfers of `accountIds` (missing accounts have none), newest first, each once; with `before`, only those
 * with a smaller `seq`. Lazy: stop iterating when a page is full. Reads through `db` (call it within one turn for
 * one snapshot).
 */
export function* accountHistory(db: Db, accountIds: readonly string[], options: { before?: number } = {}): Generator<HistoryRow> {
  const s = statementsOf(db);
  const read = s.row;
  const cursors: Cursor[] = [];
  for (const id of accountIds) {
    const head = s.head.get(id) as [number, number | null] | undefined;
    if (head) cursors.push({ num: head[0], next: head[1] });
  }
  const before = options.before;
  if (before !== undefined) {
    // The cursor's transfer (the last of the previous page) links straight to the rest of its account's chain.
    const anchor = read.get(before) as Row | undefined;
    for (const c of cursors) {
      if (anchor && c.num === anchor[11]) c.next = anchor[13];
      else if (anchor && c.num === anchor[12]) c.next = anchor[14];
      else while (c.next !== null && c.next >= before) c.next = step(read, c);
    }
  }
  for (;;) {
    let newest: Cursor | undefined;
    for (const c of cursors) if (c.next !== null && (newest === undefined || c.next > newest.next!)) newest = c;
    if (!newest) return;
    const seq = newest.next!;
    const row = read.get(seq) as Row | undefined;
    if (!row) throw new Error(`ledger history: transfer ${seq} is missing`);
    // Advance every cursor at this transfer (one between two of the accounts is listed once).
    for (const c of cursors) if (c.next === seq) c.next = link(c, row, seq);
    yield toRow(row);
  }
}

/** Reads the cursor's transfer and returns the one before it in the cursor's chain. */
function step(read: Sqlite.Statement, c: Cursor): number | null {
  const seq = c.next!;
  const row = read.get(seq) as Row | undefined;
  if (!row) throw new Error(`ledger history: transfer ${seq} is missing`);
  return link(c, row, seq);
}

function link(c: Cursor, row: Row, seq: number): number | null {
  const prev = c.num === row[11] ? row[13] : c.num === row[12] ? row[14] : null;
  if (c.num !== row[11] && c.num !== row[12]) throw new Error(`ledger history: transfer ${seq} is not account ${c.num}'s`);
  // Links always point back; anything else would be a broken chain (the invariant check reports it).
  return prev !== null && prev < seq ? prev : null;
}
