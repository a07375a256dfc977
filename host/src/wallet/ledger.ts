/**
 * @module The double-entry ledger: immutable transfers between accounts, holds, balance floors checked inside
 * the write, an outbox row per movement — all committed durably through GROUP COMMIT.
 *
 * Why group commit: every acknowledged payment must survive power loss, so each commit is fsynced
 * (`synchronous = FULL`, see `Database.write({ durable })`). One fsync per payment caps throughput at the disk's
 * fsync rate (a few thousand per second). Instead, every operation submitted during one turn of the event loop
 * (and while the previous batch is committing) joins one transaction; each runs inside its own SAVEPOINT, so an
 * operation that fails (insufficient funds, a resolved hold) rolls back alone and the others still commit. Every
 * caller is answered only after the COMMIT (and its fsync) returned: nothing is acknowledged that could be lost.
 * This is what TigerBeetle does with its batches (see shared/reference/payments.md §6.2).
 *
 * Operations run synchronously inside the transaction (no awaits), which better-sqlite3 needs and which keeps a
 * batch short. Statements are drizzle prepared queries; SAVEPOINT / ROLLBACK TO / RELEASE are standard SQL that
 * PostgreSQL speaks too.
 */
import type Sqlite from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError, isAtriumError } from '../core/errors.ts';
import { base32, type Random } from '../core/random.ts';
import { DurabilityError, type Database, type Db } from '../db/database.ts';
import { isCurrency, MAX_AMOUNT, type Currency } from './currencies.ts';
import { ledgerAccounts, ledgerHolds, ledgerOutbox, ledgerTransfers, type LedgerAccountRow, type LedgerTransferRow } from './schema.ts';

/**
 * Whose account: a person's wallet or a merchant's balance (never below zero), or an operator's system account
 * (may go negative).
 */
export interface AccountRef {
  kind: 'person' | 'merchant' | 'system';
  /** The user id, the merchant id, or the system account's name (`funding.test`, `world`, ...). */
  owner: string;
}

const PREFIX = { person: 'w', merchant: 'm', system: 's' } as const;

/** The id of an account: `w:<userId>:<CUR>` for wallets, `m:<merchantId>:<CUR>`, `s:<name>:<CUR>` for system accounts. */
export function accountId(ref: AccountRef, currency: Currency): string {
  return `${PREFIX[ref.kind]}:${ref.owner}:${currency}`;
}

/** Moves `amount` from `debit` to `credit` at once. */
export interface TransferOp {
  type: 'single';
  /** Unique: a second submission with the same id and fields answers the first transfer (`replayed`). */
  id?: string;
  debit: AccountRef;
  credit: AccountRef;
  amount: number;
  currency: Currency;
  code: string;
  meta?: Record<string, unknown>;
}

/** Reserves `amount` on `debit` (it is no longer available) until posted, voided or expired. */
export interface HoldOp extends Omit<TransferOp, 'type'> {
  type: 'pending';
  expiresAt: number;
}

/** Settles a hold: moves `amount` (default: all of it, at most the held amount); the rest is released. */
export interface PostOp {
  type: 'post';
  id?: string;
  holdId: string;
  amount?: number;
  meta?: Record<string, unknown>;
}

/** Releases a hold without moving money. */
export interface VoidOp {
  type: 'void' | 'expire';
  id?: string;
  holdId: string;
  meta?: Record<string, unknown>;
}

/**
 * A cross-currency movement: `debitAmount` leaves `debit` in `debitCurrency` for the operator's FX account, and
 * `creditAmount` reaches `credit` in `creditCurrency` from the FX account in that currency — two linked transfers
 * in one savepoint, both carrying the rate. Each currency still sums to zero (the FX accounts are system accounts).
 */
export interface ExchangeOp {
  type: 'exchange';
  /** The debit leg's id; the credit leg's is this plus `x`. */
  id?: string;
  debit: AccountRef;
  credit: AccountRef;
  debitAmount: number;
  debitCurrency: Currency;
  creditAmount: number;
  creditCurrency: Currency;
  /** As configured by the operator: units of `creditCurrency` per unit of `debitCurrency`. */
  rate: string;
  code: string;
  meta?: Record<string, unknown>;
}

export type LedgerOp = TransferOp | HoldOp | PostOp | VoidOp | ExchangeOp;

/** The operator's FX account for a currency. */
export const FX_ACCOUNT: AccountRef = { kind: 'system', owner: 'fx' };

/** A committed transfer, as the ledger stores it. `replayed` is true when an identical one already existed. */
export interface Transfer {
  id: string;
  seq: number;
  type: string;
  debitAccountId: string;
  creditAccountId: string;
  amount: number;
  currency: Currency;
  code: string;
  pendingId: string | null;
  meta: Record<string, unknown> | null;
  createdAt: number;
  replayed: boolean;
  /** 2 for an exchange (this is its debit leg; the credit leg's id is this id plus `x`). */
  legs?: number;
}

/** How one operation ended. */
export type Outcome<T = Transfer> = { ok: true; value: T } | { ok: false; error: AtriumError };

/** Hooks that run inside the operation's savepoint, for records that must commit with it (idempotency). */
export interface SubmitHooks<R> {
  /** Runs first; returning a value short-circuits the operation (e.g. a replayed idempotent response). */
  guard?(tx: Db): R | undefined;
  /**
   * Runs after `guard`, inside the operation's savepoint: returns the operation to apply instead of the submitted
   * one, computed from what is committed so far (e.g. a red-packet share, whose amount depends on the shares
   * opened before it in the same batch). Its writes commit or roll back with the operation; an AtriumError it
   * throws fails the operation like the ledger's own errors (and `settle` still runs).
   */
  prepare?(tx: Db): LedgerOp;
  /** Runs after the operation (success or rolled-back failure); its result is what the caller gets. */
  settle?(tx: Db, outcome: Outcome): R;
}

/** Options of {@link Ledger}. */
export interface LedgerOptions {
  database: Database;
  clock: Clock;
  random: Random;
  /** Most operations in one transaction; the rest wait for the next. @default 4096 */
  maxBatch?: number;
}

interface Queued {
  op: LedgerOp;
  hooks: SubmitHooks<unknown> | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  result?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/** The ledger. One per database; all writes go through {@link Ledger.submit} (group commit). */
export class Ledger {
  readonly #o: Required<LedgerOptions>;
  #queue: Queued[] = [];
  #scheduled = false;
  #statements: ReturnType<typeof prepare> | undefined;
  #stats = { batches: 0, operations: 0 };
  readonly #entropy: () => Buffer;

  constructor(options: LedgerOptions) {
    this.#o = { maxBatch: 4096, ...options };
    this.#entropy = entropyPool(options.random);
  }

  /** Batches committed and operations in them since start (for benchmarks and logs). */
  get stats(): { batches: number; operations: number } {
    return { ...this.#stats };
  }

  /**
   * Queues one operation for the next group commit and resolves after the commit is on disk. Rejects with the
   * operation's own error (e.g. `WALLET_INSUFFICIENT_FUNDS`); other operations in the batch are unaffected.
   * @example await ledger.submit({ type: 'single', debit, credit, amount: 500, currency: 'CNY', code: 'p2p' })
   */
  submit(op: LedgerOp): Promise<Transfer>;
  submit<R>(op: LedgerOp, hooks: SubmitHooks<R>): Promise<R>;
  submit(op: LedgerOp, hooks?: SubmitHooks<unknown>): Promise<unknown> {
    validate(op);
    return new Promise((resolve, reject) => {
      this.#queue.push({ op, hooks, resolve, reject });
      this.#schedule();
    });
  }

  /** Expires every pending hold whose time has passed; returns how many it released. */
  async expireDue(): Promise<number> {
    const due = this.#o.database.db
      .select({ id: ledgerHolds.id })
      .from(ledgerHolds)
      .where(and(eq(ledgerHolds.status, 'pending'), sql`${ledgerHolds.expiresAt} <= ${this.#o.clock.now()}`))
      .limit(10_000)
      .all();
    const results = await Promise.allSettled(due.map((h) => this.submit({ type: 'expire', holdId: h.id })));
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // setImmediate: everything queued during this turn (e.g. all requests parsed from one socket read) joins.
    setImmediate(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    let batch: Queued[] | undefined;
    try {
      await this.#o.database.write(
        async (tx) => {
          // Taken when the write starts, not when it was scheduled: what arrived while the previous batch was
          // committing joins this one.
          this.#scheduled = false;
          batch = this.#queue.splice(0, this.#o.maxBatch);
          if (this.#queue.length > 0) this.#schedule();
          if (batch.length > 0) this.#applyBatch(tx, batch);
        },
        { durable: true },
      );
    } catch (error) {
      // The transaction itself failed (closed database, disk full, I/O error): nothing of the batch was
      // committed — unless only the fsync after the commit failed (DurabilityError). When it could not even begin, the batch is what this flush was scheduled for.
      if (batch === undefined) {
        this.#scheduled = false;
        batch = this.#queue.splice(0, this.#o.maxBatch);
        if (this.#queue.length > 0) this.#schedule();
      }
      // After a failed fsync the batch did commit, but whether it is on disk is unknown: say so, not "nothing".
      const detail = error instanceof DurabilityError
        ? 'The ledger could not confirm the operation on disk; its outcome is unknown. Retry with the same Idempotency-Key to learn it.'
        : 'The ledger could not commit; nothing was changed.';
      for (const item of batch) item.reject(new AtriumError({ code: 'UNAVAILABLE', detail, cause: error }));
      return;
    }
    batch ??= [];
    this.#stats.batches += batch.length > 0 ? 1 : 0;
    this.#stats.operations += batch.length;
    for (const item of batch) {
      const result = item.result!;
      if (result.ok) item.resolve(result.value);
      else item.reject(result.error);
    }
  }

  #applyBatch(tx: Db, batch: Queued[]): void {
    const s = (this.#statements ??= prepare(tx));
    let seq = (s.maxSeq.get() as { seq: number | null } | undefined)?.seq ?? 0;
    const now = this.#o.clock.now();
    for (const item of batch) {
      s.savepoint.run();
      try {
        const guarded = item.hooks?.guard?.(tx);
        if (guarded !== undefined) {
          item.result = { ok: true, value: guarded };
        } else {
          let outcome: Outcome;
          try {
            let op = item.op;
            if (item.hooks?.prepare) {
              op = item.hooks.prepare(tx);
              validate(op);
            }
            const transfer = this.#apply(s, op, seq + 1, now);
            if (!transfer.replayed) seq += transfer.legs ?? 1;
            outcome = { ok: true, value: transfer };
          } catch (error) {
            if (!isAtriumError(error)) throw error;
            s.rollbackTo.run();
            outcome = { ok: false, error };
          }
          if (item.hooks?.settle) item.result = { ok: true, value: item.hooks.settle(tx, outcome) };
          else item.result = outcome.ok ? outcome : { ok: false, error: outcome.error };
        }
        s.release.run();
      } catch (error) {
        // An unexpected failure (a bug, a constraint) fails this operation only.
        s.rollbackTo.run();
        s.release.run();
        item.result = { ok: false, error: isAtriumError(error) ? error : new AtriumError({ code: 'INTERNAL', cause: error }) };
      }
    }
  }

  #apply(s: Statements, op: LedgerOp, seq: number, now: number): Transfer {
    const id = op.id ?? newTransferId(now, this.#entropy);
    if (op.type === 'exchange') {
      const meta = JSON.stringify({ ...op.meta, rate: op.rate, pair: `${op.debitCurrency}/${op.creditCurrency}`, debitAmount: op.debitAmount, creditAmount: op.creditAmount });
      const leg = (legId: string, legSeq: number, from: AccountRef, to: AccountRef, amount: number, currency: Currency): LedgerTransferRow => ({
        id: legId, seq: legSeq, type: 'single', debitAccountId: accountId(from, currency), creditAccountId: accountId(to, currency), amount, currency, code: op.code, pendingId: null, meta, createdAt: now,
      });
      const out = leg(id, seq, op.debit, FX_ACCOUNT, op.debitAmount, op.debitCurrency);
      const existing = this.#insertTransfer(s, out);
      if (existing) return existing;
      const into = leg(`${id}x`, seq + 1, FX_ACCOUNT, op.credit, op.creditAmount, op.creditCurrency);
      if (this.#insertTransfer(s, into)) throw new AtriumError({ code: 'WALLET_TRANSFER_EXISTS' });
      this.#debit(s, op.debit, out.debitAccountId, op.debitCurrency, op.debitAmount, now);
      this.#credit(s, FX_ACCOUNT, out.creditAccountId, op.debitCurrency, op.debitAmount, now);
      this.#debit(s, FX_ACCOUNT, into.debitAccountId, op.creditCurrency, op.creditAmount, now);
      this.#credit(s, op.credit, into.creditAccountId, op.creditCurrency, op.creditAmount, now);
      this.#outbox(s, 'ledger.transfer.posted', out);
      this.#outbox(s, 'ledger.transfer.posted', into);
      return { ...toTransfer(out, false), legs: 2 };
    }
    if (op.type === 'single' || op.type === 'pending') {
      const debit = accountId(op.debit, op.currency);
      const credit = accountId(op.credit, op.currency);
      const row: LedgerTransferRow = {
        id,
        seq,
        type: op.type,
        debitAccountId: debit,
        creditAccountId: credit,
        amount: op.amount,
        currency: op.currency,
        code: op.code,
        pendingId: null,
        meta: op.meta ? JSON.stringify(op.meta) : null,
        createdAt: now,
      };
      const existing = this.#insertTransfer(s, row);
      if (existing) return existing;
      if (op.type === 'single') {
        this.#debit(s, op.debit, debit, op.currency, op.amount, now);
        this.#credit(s, op.credit, credit, op.currency, op.amount, now);
      } else {
        if (op.expiresAt <= now) throw new AtriumError({ code: 'WALLET_HOLD_EXPIRED', detail: 'The hold would expire before it starts.' });
        this.#reserve(s, op.debit, debit, op.currency, op.amount, now);
        this.#ensureAccount(s, op.credit, credit, op.currency, now);
        s.insertHold.run({ id, debit, credit, amount: op.amount, currency: op.currency, expiresAt: op.expiresAt });
      }
      this.#outbox(s, op.type === 'single' ? 'ledger.transfer.posted' : 'ledger.hold.created', row);
      return toTransfer(row, false);
    }

    const hold = s.getHold.get({ id: op.holdId }) as typeof ledgerHolds.$inferSelect | undefined;
    if (!hold) throw new AtriumError({ code: 'WALLET_HOLD_NOT_FOUND' });
    const amount = op.type === 'post' ? (op.amount ?? hold.amount) : hold.amount;
    const row: LedgerTransferRow = {
      id,
      seq,
      type: op.type,
      debitAccountId: hold.debitAccountId,
      creditAccountId: hold.creditAccountId,
      amount,
      currency: hold.currency,
      code: op.type === 'post' ? 'hold.post' : `hold.${op.type}`,
      pendingId: hold.id,
      meta: op.meta ? JSON.stringify(op.meta) : null,
      createdAt: now,
    };
    const existing = this.#insertTransfer(s, row);
    if (existing) return existing;
    if (hold.status !== 'pending') throw new AtriumError({ code: 'WALLET_HOLD_RESOLVED', detail: `The hold is already ${hold.status}.` });
    if (op.type === 'expire') {
      if (hold.expiresAt > now) throw new AtriumError({ code: 'WALLET_HOLD_RESOLVED', detail: 'The hold has not expired yet.' });
    } else if (hold.expiresAt <= now) {
      throw new AtriumError({ code: 'WALLET_HOLD_EXPIRED' });
    }
    if (op.type === 'post' && amount > hold.amount) {
      throw new AtriumError({ code: 'WALLET_HOLD_EXCEEDED', detail: `At most ${hold.amount} can be posted.` });
    }
    const status = op.type === 'post' ? 'posted' : op.type === 'void' ? 'voided' : 'expired';
    const changed = s.resolveHold.run({ id: hold.id, status, posted: op.type === 'post' ? amount : null, now });
    if (changed.changes !== 1) throw new AtriumError({ code: 'WALLET_HOLD_RESOLVED' });
    // Release the whole reservation; a post then moves the posted part (the floor was checked when it was held).
    s.unreserve.run({ id: hold.debitAccountId, amount: hold.amount });
    if (op.type === 'post' && amount > 0) {
      s.debitUnchecked.run({ id: hold.debitAccountId, amount });
      s.creditExisting.run({ id: hold.creditAccountId, amount });
    }
    this.#outbox(s, op.type === 'post' ? 'ledger.hold.posted' : op.type === 'void' ? 'ledger.hold.voided' : 'ledger.hold.expired', row);
    return toTransfer(row, false);
  }

  /** Inserts the transfer; when its id exists, returns the existing one if identical, else refuses. */
  #insertTransfer(s: Statements, row: LedgerTransferRow): Transfer | undefined {
    const inserted = s.insertTransfer.run(row);
    if (inserted.changes === 1) return undefined;
    const existing = s.getTransfer.get({ id: row.id }) as LedgerTransferRow | undefined;
    if (
      existing &&
      existing.type === row.type &&
      existing.debitAccountId === row.debitAccountId &&
      existing.creditAccountId === row.creditAccountId &&
      existing.amount === row.amount &&
      existing.currency === row.currency &&
      existing.code === row.code &&
      existing.pendingId === row.pendingId
    ) {
      return toTransfer(existing, true);
    }
    // Either the id belongs to another transfer, or the hold was already resolved by another transfer.
    if (row.pendingId !== null && existing === undefined) throw new AtriumError({ code: 'WALLET_HOLD_RESOLVED' });
    throw new AtriumError({ code: 'WALLET_TRANSFER_EXISTS', detail: 'Use a new transfer id for a different transfer.' });
  }

  /** Takes `amount` from an account, enforcing its floor in the same statement. */
  #debit(s: Statements, ref: AccountRef, id: string, currency: Currency, amount: number, now: number): void {
    if (s.debit.run({ id, amount }).changes === 1) return;
    if (ref.kind === 'system' && this.#ensureAccount(s, ref, id, currency, now)) {
      if (s.debit.run({ id, amount }).changes === 1) return;
    }
    throw new AtriumError({ code: 'WALLET_INSUFFICIENT_FUNDS', extensions: { currency } });
  }

  /** Reserves `amount` (a hold), enforcing the floor on what is available. */
  #reserve(s: Statements, ref: AccountRef, id: string, currency: Currency, amount: number, now: number): void {
    if (s.reserve.run({ id, amount }).changes === 1) return;
    if (ref.kind === 'system' && this.#ensureAccount(s, ref, id, currency, now)) {
      if (s.reserve.run({ id, amount }).changes === 1) return;
    }
    throw new AtriumError({ code: 'WALLET_INSUFFICIENT_FUNDS', extensions: { currency } });
  }

  #credit(s: Statements, ref: AccountRef, id: string, currency: Currency, amount: number, now: number): void {
    if (s.creditExisting.run({ id, amount }).changes === 1) return;
    this.#ensureAccount(s, ref, id, currency, now);
    s.creditExisting.run({ id, amount });
  }

  /** Creates the account if missing; true when it exists afterwards. */
  #ensureAccount(s: Statements, ref: AccountRef, id: string, currency: Currency, now: number): boolean {
    s.insertAccount.run({ id, kind: ref.kind, owner: ref.owner, currency, allowNegative: ref.kind === 'system' ? 1 : 0, now });
    return true;
  }

  #outbox(s: Statements, topic: string, row: LedgerTransferRow): void {
    const payload = JSON.stringify({ id: row.id, type: row.type, code: row.code, amount: row.amount, currency: row.currency, debit: row.debitAccountId, credit: row.creditAccountId, pendingId: row.pendingId });
    s.insertOutbox.run({ topic, transferId: row.id, payload, now: row.createdAt });
  }
}

/**
 * A new transfer id: `tr_` + the time (ms) + 40 random bits, base32. Time-ordered ids append to the id index
 * instead of landing on random pages, which keeps the per-transfer write (and its savepoint journal) small.
 */
export function newTransferId(now: number, entropy: () => Buffer): string {
  const bytes = Buffer.alloc(11);
  bytes.writeUIntBE(Math.max(0, Math.min(now, 2 ** 48 - 1)), 0, 6);
  entropy().copy(bytes, 6);
  return `tr_${base32(bytes)}`;
}

/** Five random bytes at a time from a 4 KiB pool: one call to `random` per ~800 ids instead of one each. */
function entropyPool(random: Random): () => Buffer {
  let pool: Buffer = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset + 5 > pool.length) {
      pool = random.bytes(4095);
      offset = 0;
    }
    offset += 5;
    return pool.subarray(offset - 5, offset);
  };
}

function validate(op: LedgerOp): void {
  if (op.type === 'exchange') {
    for (const [amount, currency] of [[op.debitAmount, op.debitCurrency], [op.creditAmount, op.creditCurrency]] as const) {
      if (!isCurrency(currency)) throw new AtriumError({ code: 'WALLET_CURRENCY_UNSUPPORTED' });
      if (!Number.isSafeInteger(amount) || amount <= 0 || amount > MAX_AMOUNT) throw new AtriumError({ code: 'WALLET_AMOUNT_INVALID' });
    }
    if (op.debitCurrency === op.creditCurrency) throw new AtriumError({ code: 'WALLET_AMOUNT_INVALID', detail: 'An exchange is between two currencies.' });
    return;
  }
  if (op.type === 'single' || op.type === 'pending') {
    if (!isCurrency(op.currency)) throw new AtriumError({ code: 'WALLET_CURRENCY_UNSUPPORTED' });
    if (!Number.isSafeInteger(op.amount) || op.amount <= 0 || op.amount > MAX_AMOUNT) {
      throw new AtriumError({ code: 'WALLET_AMOUNT_INVALID', detail: `Amounts are whole minor units from 1 to ${MAX_AMOUNT}.` });
    }
    if (op.debit.kind === op.credit.kind && op.debit.owner === op.credit.owner) throw new AtriumError({ code: 'WALLET_SAME_ACCOUNT' });
  }
  if (op.type === 'post' && op.amount !== undefined && (!Number.isSafeInteger(op.amount) || op.amount < 0)) {
    throw new AtriumError({ code: 'WALLET_AMOUNT_INVALID' });
  }
}

/** Turns a stored row into the API shape. */
export function toTransfer(row: LedgerTransferRow, replayed: boolean): Transfer {
  return { ...row, currency: row.currency as Currency, meta: row.meta ? (JSON.parse(row.meta) as Record<string, unknown>) : null, replayed };
}

/** The ledger's prepared statements, made once per write connection. */
function prepare(tx: Db) {
  const p = (name: string) => sql.placeholder(name);
  // drizzle cannot prepare bare statements; these three are standard SQL (PostgreSQL has the same), prepared
  // once on the driver connection drizzle wraps.
  const client = (tx as Db & { $client: Sqlite.Database }).$client;
  return {
    savepoint: client.prepare('SAVEPOINT ledger_op'),
    rollbackTo: client.prepare('ROLLBACK TO ledger_op'),
    release: client.prepare('RELEASE ledger_op'),
    maxSeq: tx.select({ seq: sql<number | null>`max(${ledgerTransfers.seq})` }).from(ledgerTransfers).prepare(),
    insertTransfer: tx.insert(ledgerTransfers).values({
      id: p('id'), seq: p('seq'), type: p('type'), debitAccountId: p('debitAccountId'), creditAccountId: p('creditAccountId'),
      amount: p('amount'), currency: p('currency'), code: p('code'), pendingId: p('pendingId'), meta: p('meta'), createdAt: p('createdAt'),
    }).onConflictDoNothing().prepare(),
    getTransfer: tx.select().from(ledgerTransfers).where(eq(ledgerTransfers.id, p('id'))).prepare(),
    // The floor is part of the write: a wallet's available balance (balance − held) never goes below zero.
    debit: tx.update(ledgerAccounts)
      .set({ balance: sql`${ledgerAccounts.balance} - ${p('amount')}` })
      .where(and(eq(ledgerAccounts.id, p('id')), sql`(${ledgerAccounts.allowNegative} = 1 or ${ledgerAccounts.balance} - ${ledgerAccounts.held} >= ${p('amount')})`))
      .prepare(),
    reserve: tx.update(ledgerAccounts)
      .set({ held: sql`${ledgerAccounts.held} + ${p('amount')}` })
      .where(and(eq(ledgerAccounts.id, p('id')), sql`(${ledgerAccounts.allowNegative} = 1 or ${ledgerAccounts.balance} - ${ledgerAccounts.held} >= ${p('amount')})`))
      .prepare(),
    unreserve: tx.update(ledgerAccounts).set({ held: sql`${ledgerAccounts.held} - ${p('amount')}` }).where(eq(ledgerAccounts.id, p('id'))).prepare(),
    debitUnchecked: tx.update(ledgerAccounts).set({ balance: sql`${ledgerAccounts.balance} - ${p('amount')}` }).where(eq(ledgerAccounts.id, p('id'))).prepare(),
    creditExisting: tx.update(ledgerAccounts).set({ balance: sql`${ledgerAccounts.balance} + ${p('amount')}` }).where(eq(ledgerAccounts.id, p('id'))).prepare(),
    insertAccount: tx.insert(ledgerAccounts)
      .values({ id: p('id'), kind: p('kind'), ownerId: p('owner'), currency: p('currency'), balance: 0, held: 0, allowNegative: p('allowNegative'), createdAt: p('now') })
      .onConflictDoNothing()
      .prepare(),
    insertHold: tx.insert(ledgerHolds)
      .values({ id: p('id'), debitAccountId: p('debit'), creditAccountId: p('credit'), amount: p('amount'), currency: p('currency'), status: 'pending', expiresAt: p('expiresAt') })
      .prepare(),
    getHold: tx.select().from(ledgerHolds).where(eq(ledgerHolds.id, p('id'))).prepare(),
    resolveHold: tx.update(ledgerHolds)
      .set({ status: sql`${p('status')}`, postedAmount: sql`${p('posted')}`, resolvedAt: sql`${p('now')}` })
      .where(and(eq(ledgerHolds.id, p('id')), eq(ledgerHolds.status, 'pending')))
      .prepare(),
    insertOutbox: tx.insert(ledgerOutbox).values({ topic: p('topic'), transferId: p('transferId'), payload: p('payload'), createdAt: p('now') }).prepare(),
  };
}

type Statements = ReturnType<typeof prepare>;

/** Reads an account row (for services and tests). */
export function readAccount(db: Db, id: string): LedgerAccountRow | undefined {
  return db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, id)).get();
}
