/**
 * @module The double-entry ledger: immutable transfers between accounts, holds, balance floors checked inside
 * the write, an outbox row per movement — all committed durably through GROUP COMMIT.
 *
 * Why group commit: every acknowledged payment must survive power loss, so each commit is fsynced
 * (`synchronous = FULL`, see `Database.write({ durable })`). One fsync per payment caps throughput at the disk's
 * fsync rate (a few thousand per second). Instead, every operation submitted during one turn of the event loop
 * (and while the previous batch is committing) joins one transaction, and an operation that fails (insufficient
 * funds, a resolved hold) fails alone while the others still commit: one with hooks runs in its own SAVEPOINT;
 * those without write nothing before their last check can refuse them, and share one savepoint per run that is
 * replayed operation by operation should anything unexpected fail (see `#applyBatch`). Every
 * caller is answered only after the COMMIT (and its fsync) returned: nothing is acknowledged that could be lost.
 * This is what TigerBeetle does with its batches (see shared/reference/payments.md §6.2).
 *
 * Operations run synchronously inside the transaction (no awaits), which better-sqlite3 needs and which keeps a
 * batch short. The hot path uses raw prepared statements (positional parameters, no row objects): a transfer is
 * a conditional debit, a credit, the transfer row and its outbox row. Accounts are keyed by integers and each
 * account's history is a chain through its transfers (see schema.ts), so no per-account index is written.
 * SAVEPOINT / ROLLBACK TO / RELEASE are standard SQL that PostgreSQL speaks too.
 */
import type Sqlite from 'better-sqlite3';
import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError, isAtriumError } from '../core/errors.ts';
import { base32, type Random } from '../core/random.ts';
import { connectionOf, DurabilityError, type Database, type Db } from '../db/database.ts';
import { isCurrency, MAX_AMOUNT, type Currency } from './currencies.ts';
import { ledgerAccounts, ledgerHolds, type LedgerAccountRow } from './schema.ts';

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
  /**
   * Called once a batch is on disk, with the people whose wallets it moved (for live updates: the shell refetches
   * what it shows). Never inside the transaction; it may name someone whose movement was then refused and rolled
   * back, never leave out one whose movement committed.
   */
  onSettled?: (userIds: readonly string[]) => void;
}

interface Queued {
  op: LedgerOp;
  hooks: SubmitHooks<unknown> | undefined;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  result?: { ok: true; value: unknown } | { ok: false; error: unknown };
}

/**
 * What the ledger knows of an account while it writes: its integer key and the head of its history chain. Kept
 * across batches (an account's key never changes once committed); every update checks `last` in its WHERE, so a
 * stale entry is found and refreshed, never written through; the whole cache is dropped whenever a write the
 * cache saw is rolled back.
 */
interface AccountState {
  id: string;
  num: number;
  last: number | null;
}

/**
 * The ledger's account cache, by kind, owner and currency (no id string is built on a hit) and by key.
 * {@link AccountCache.clear} after any rollback of a write it saw.
 */
class AccountCache {
  readonly #byRef = { person: new Map<string, Record<string, AccountState>>(), merchant: new Map<string, Record<string, AccountState>>(), system: new Map<string, Record<string, AccountState>>() };
  readonly #byNum = new Map<number, AccountState>();

  get(ref: AccountRef, currency: Currency): AccountState | undefined {
    return this.#byRef[ref.kind].get(ref.owner)?.[currency];
  }

  byNum(num: number): AccountState | undefined {
    return this.#byNum.get(num);
  }

  set(ref: AccountRef, currency: Currency, account: AccountState): void {
    const byOwner = this.#byRef[ref.kind];
    let slots = byOwner.get(ref.owner);
    if (!slots) byOwner.set(ref.owner, (slots = {}));
    slots[currency] = account;
    this.#byNum.set(account.num, account);
  }

  clear(): void {
    for (const map of Object.values(this.#byRef)) map.clear();
    this.#byNum.clear();
  }
}

/** A stored transfer as the raw statements return it (see `TRANSFER_COLUMNS`). */
type TransferTuple = [seq: number, id: string, type: string, debit: string, credit: string, amount: number, currency: string, code: string, pendingId: string | null, meta: string | null, createdAt: number];

/** The ledger. One per database; all writes go through {@link Ledger.submit} (group commit). */
export class Ledger {
  readonly #o: LedgerOptions & { maxBatch: number };
  #queue: Queued[] = [];
  #scheduled = false;
  #statements: Statements | undefined;
  #stats = { batches: 0, operations: 0 };
  readonly #newId: (now: number) => string;
  readonly #accounts = new AccountCache();
  /** Set by every write of the ledger's own statements; an operation that fails after one needs a rollback. */
  #wrote = false;
  /** The wallets (`w:` account ids) the batch being applied moved, when someone listens (`onSettled`). */
  #moved: Set<string> | undefined;

  constructor(options: LedgerOptions) {
    this.#o = { maxBatch: 4096, ...options };
    this.#newId = transferIds(entropyPool(options.random));
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
    let moved: Set<string> | undefined;
    try {
      await this.#o.database.write(
        async (tx) => {
          // Taken when the write starts, not when it was scheduled: what arrived while the previous batch was
          // committing joins this one.
          this.#scheduled = false;
          batch = this.#queue.splice(0, this.#o.maxBatch);
          if (this.#queue.length > 0) this.#schedule();
          if (this.#o.onSettled) this.#moved = moved = new Set();
          try {
            if (batch.length > 0) this.#applyBatch(tx, batch);
          } finally {
            this.#moved = undefined;
          }
        },
        { durable: true },
      );
    } catch (error) {
      // The transaction itself failed (closed database, disk full, I/O error): nothing of the batch was
      // committed — unless only the fsync after the commit failed (DurabilityError). When it could not even
      // begin, the batch is what this flush was scheduled for.
      if (!(error instanceof DurabilityError)) this.#accounts.clear(); // rolled back: what the cache saw is gone
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
    if (moved && moved.size > 0) this.#settled(moved);
    for (const item of batch) {
      const result = item.result!;
      if (result.ok) item.resolve(result.value);
      else item.reject(result.error);
    }
  }

  /** Tells the listener whose wallets the batch moved; a failing listener never fails the batch. */
  #settled(moved: Set<string>): void {
    const people = new Set<string>();
    for (const id of moved) if (id.startsWith(`${PREFIX.person}:`)) people.add(id.slice(2, id.lastIndexOf(':')));
    if (people.size === 0) return;
    try {
      this.#o.onSettled?.([...people]);
    } catch {
      // live updates are a courtesy: the movement is done and durable either way
    }
  }

  /**
   * Applies a batch inside the write transaction. Operations without hooks run as a "run" under one savepoint
   * and without one each: every operation checks everything it can fail on before its first write (the
   * conditional debit is its first write), so a refused one has written nothing and its batch-mates are
   * untouched. Should anything unexpected fail in a run (a bug, a constraint), the run is rolled back and
   * replayed operation by operation, each in its own savepoint, so that only the failing one fails. Operations
   * with hooks (their writes must commit or roll back with the transfer) always run in their own savepoint.
   */
  #applyBatch(tx: Db, batch: Queued[]): void {
    const s = (this.#statements ??= prepare(connectionOf(tx)));
    let seq = ((s.maxSeq.get() as [number | null] | undefined)?.[0]) ?? 0;
    const now = this.#o.clock.now();
    let runStart = -1;
    let runSeq = 0;
    for (let i = 0; i < batch.length; i++) {
      const item = batch[i]!;
      if (item.hooks !== undefined) {
        if (runStart >= 0) s.releaseRun.run();
        runStart = -1;
        seq = this.#applyAlone(tx, s, item, seq, now);
        continue;
      }
      if (runStart < 0) {
        s.savepointRun.run();
        runStart = i;
        runSeq = seq;
      }
      this.#wrote = false;
      try {
        const transfer = this.#apply(s, item.op, seq + 1, now);
        if (!transfer.replayed) seq += transfer.legs ?? 1;
        item.result = { ok: true, value: transfer };
      } catch (error) {
        if (isAtriumError(error) && !this.#wrote) {
          item.result = { ok: false, error };
          continue;
        }
        // Unexpected: undo the run and replay it one operation at a time.
        s.rollbackRun.run();
        s.releaseRun.run();
        this.#accounts.clear();
        seq = runSeq;
        for (let j = runStart; j <= i; j++) seq = this.#applyAlone(tx, s, batch[j]!, seq, now);
        runStart = -1;
      }
    }
    if (runStart >= 0) s.releaseRun.run();
  }

  /** One operation (and its hooks) in its own savepoint; returns the next seq base. */
  #applyAlone(tx: Db, s: Statements, item: Queued, seq: number, now: number): number {
    s.savepoint.run();
    this.#wrote = false;
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
          if (this.#wrote) this.#accounts.clear();
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
      this.#accounts.clear();
      item.result = { ok: false, error: isAtriumError(error) ? error : new AtriumError({ code: 'INTERNAL', cause: error }) };
      // What this operation counted is gone with its savepoint.
      seq = ((s.maxSeq.get() as [number | null] | undefined)?.[0]) ?? 0;
    }
    return seq;
  }

  #apply(s: Statements, op: LedgerOp, seq: number, now: number): Transfer {
    const id = op.id ?? this.#newId(now);
    if (op.type === 'exchange') {
      const meta = { ...op.meta, rate: op.rate, pair: `${op.debitCurrency}/${op.creditCurrency}`, debitAmount: op.debitAmount, creditAmount: op.creditAmount };
      const metaJson = JSON.stringify(meta);
      const debitId = accountId(op.debit, op.debitCurrency);
      const fxOutId = accountId(FX_ACCOUNT, op.debitCurrency);
      const creditId = accountId(op.credit, op.creditCurrency);
      if (debitId === fxOutId || creditId === accountId(FX_ACCOUNT, op.creditCurrency)) throw new AtriumError({ code: 'WALLET_SAME_ACCOUNT' });
      const out: Transfer = { id, seq, type: 'single', debitAccountId: debitId, creditAccountId: fxOutId, amount: op.debitAmount, currency: op.debitCurrency, code: op.code, pendingId: null, meta, createdAt: now, replayed: false, legs: 2 };
      if (op.id !== undefined) {
        const existing = this.#existing(s, id);
        if (existing) return { ...this.#replay(existing, out), legs: 2 };
        if (this.#existing(s, `${id}x`)) throw new AtriumError({ code: 'WALLET_TRANSFER_EXISTS' });
      }
      const from = this.#debitSide(s, op.debit, op.debitCurrency, now, seq, op.debitAmount, 'balance');
      const fxOut = this.#account(s, FX_ACCOUNT, op.debitCurrency, now);
      const fxOutPrev = this.#move(s, fxOut, op.debitAmount, 0, seq);
      s.insertTransfer.run(seq, id, 'single', from.account.num, fxOut.num, from.prev, fxOutPrev, op.debitAmount, op.debitCurrency, op.code, null, metaJson, now);
      const fxIn = this.#account(s, FX_ACCOUNT, op.creditCurrency, now);
      const fxInPrev = this.#move(s, fxIn, -op.creditAmount, 0, seq + 1);
      const to = this.#account(s, op.credit, op.creditCurrency, now);
      const toPrev = this.#move(s, to, op.creditAmount, 0, seq + 1);
      s.insertTransfer.run(seq + 1, `${id}x`, 'single', fxIn.num, to.num, fxInPrev, toPrev, op.creditAmount, op.creditCurrency, op.code, null, metaJson, now);
      s.insertOutbox.run('ledger.transfer.posted', seq, now);
      s.insertOutbox.run('ledger.transfer.posted', seq + 1, now);
      return out;
    }
    if (op.type === 'single' || op.type === 'pending') {
      const meta = op.meta ?? null;
      if (op.id !== undefined) {
        const existing = this.#existing(s, id);
        if (existing) return this.#replay(existing, { id, seq, type: op.type, debitAccountId: accountId(op.debit, op.currency), creditAccountId: accountId(op.credit, op.currency), amount: op.amount, currency: op.currency, code: op.code, pendingId: null, meta, createdAt: now, replayed: false });
      }
      if (op.type === 'pending' && op.expiresAt <= now) throw new AtriumError({ code: 'WALLET_HOLD_EXPIRED', detail: 'The hold would expire before it starts.' });
      // The first write: the conditional debit (or reservation). Refused, it wrote nothing.
      const from = this.#debitSide(s, op.debit, op.currency, now, seq, op.amount, op.type === 'single' ? 'balance' : 'held');
      const to = this.#account(s, op.credit, op.currency, now);
      const toPrev = op.type === 'single' ? this.#credit(s, to, op.amount, seq) : this.#move(s, to, 0, 0, seq);
      if (op.type === 'pending') s.insertHold.run(id, from.account.num, to.num, op.amount, op.currency, op.expiresAt);
      s.insertTransfer.run(seq, id, op.type, from.account.num, to.num, from.prev, toPrev, op.amount, op.currency, op.code, null, meta ? JSON.stringify(meta) : null, now);
      s.insertOutbox.run(op.type === 'single' ? 'ledger.transfer.posted' : 'ledger.hold.created', seq, now);
      return { id, seq, type: op.type, debitAccountId: from.account.id, creditAccountId: to.id, amount: op.amount, currency: op.currency, code: op.code, pendingId: null, meta, createdAt: now, replayed: false };
    }

    const hold = s.getHold.get(op.holdId) as [id: string, debit: string, credit: string, amount: number, currency: string, status: string, expiresAt: number, debitNum: number, creditNum: number] | undefined;
    if (!hold) throw new AtriumError({ code: 'WALLET_HOLD_NOT_FOUND' });
    const [holdId, debitId, creditId, held, currency, status, expiresAt, debitNum, creditNum] = hold;
    const amount = op.type === 'post' ? (op.amount ?? held) : held;
    const meta = op.meta ?? null;
    const transfer: Transfer = { id, seq, type: op.type, debitAccountId: debitId, creditAccountId: creditId, amount, currency: currency as Currency, code: op.type === 'post' ? 'hold.post' : `hold.${op.type}`, pendingId: holdId, meta, createdAt: now, replayed: false };
    if (op.id !== undefined) {
      const existing = this.#existing(s, id);
      if (existing) return this.#replay(existing, transfer);
    }
    if (status !== 'pending') throw new AtriumError({ code: 'WALLET_HOLD_RESOLVED', detail: `The hold is already ${status}.` });
    if (op.type === 'expire') {
      if (expiresAt > now) throw new AtriumError({ code: 'WALLET_HOLD_RESOLVED', detail: 'The hold has not expired yet.' });
    } else if (expiresAt <= now) {
      throw new AtriumError({ code: 'WALLET_HOLD_EXPIRED' });
    }
    if (op.type === 'post' && amount > held) {
      throw new AtriumError({ code: 'WALLET_HOLD_EXCEEDED', detail: `At most ${held} can be posted.` });
    }
    const resolved = op.type === 'post' ? 'posted' : op.type === 'void' ? 'voided' : 'expired';
    this.#wrote = true;
    if (s.resolveHold.run(resolved, op.type === 'post' ? amount : null, now, holdId).changes !== 1) throw new Error(`hold ${holdId} changed under the ledger`);
    // Release the whole reservation; a post then moves the posted part (the floor was checked when it was held).
    const from = this.#byNum(s, debitNum);
    const fromPrev = this.#move(s, from, op.type === 'post' ? -amount : 0, -held, seq);
    const to = this.#byNum(s, creditNum);
    const toPrev = this.#move(s, to, op.type === 'post' ? amount : 0, 0, seq);
    s.insertTransfer.run(seq, id, op.type, from.num, to.num, fromPrev, toPrev, amount, currency, transfer.code, holdId, meta ? JSON.stringify(meta) : null, now);
    s.insertOutbox.run(op.type === 'post' ? 'ledger.hold.posted' : op.type === 'void' ? 'ledger.hold.voided' : 'ledger.hold.expired', seq, now);
    return transfer;
  }

  /** The stored transfer with this id, if any. */
  #existing(s: Statements, id: string): TransferTuple | undefined {
    return s.transferById.get(id) as TransferTuple | undefined;
  }

  /** A second submission of a stored transfer: the stored one when identical, else refused. */
  #replay(existing: TransferTuple, wanted: Transfer): Transfer {
    const [seq, id, type, debit, credit, amount, currency, code, pendingId, meta, createdAt] = existing;
    if (type === wanted.type && debit === wanted.debitAccountId && credit === wanted.creditAccountId && amount === wanted.amount && currency === wanted.currency && code === wanted.code && pendingId === wanted.pendingId) {
      return { id, seq, type, debitAccountId: debit, creditAccountId: credit, amount, currency: currency as Currency, code, pendingId, meta: meta ? (JSON.parse(meta) as Record<string, unknown>) : null, createdAt, replayed: true };
    }
    // Either the id belongs to another transfer, or the hold was already resolved by another transfer.
    throw new AtriumError({ code: 'WALLET_TRANSFER_EXISTS', detail: 'Use a new transfer id for a different transfer.' });
  }

  /**
   * The first write of an operation: takes `amount` from the account's `balance` (a transfer) or reserves it in
   * `held` (a hold), enforcing its floor in the same statement — a wallet's available balance (balance − held)
   * never goes below zero; system accounts may. Refused, nothing was written (a person's missing account is not
   * created).
   */
  #debitSide(s: Statements, ref: AccountRef, currency: Currency, now: number, seq: number, amount: number, what: 'balance' | 'held'): { account: AccountState; prev: number | null } {
    const account = ref.kind === 'system' ? this.#account(s, ref, currency, now) : this.#lookup(s, ref, currency);
    if (account) {
      const statement = what === 'balance' ? s.debit : s.reserve;
      for (let attempt = 0; attempt < 2; attempt++) {
        const prev = account.last;
        if (statement.run(amount, seq, account.num, prev, amount).changes === 1) {
          this.#wrote = true;
          account.last = seq;
          this.#moved?.add(account.id);
          return { account, prev };
        }
        if (!this.#refresh(s, account)) break; // the cache was current: the floor refused it
      }
    }
    throw new AtriumError({ code: 'WALLET_INSUFFICIENT_FUNDS', extensions: { currency } });
  }

  /** Adds to an account's balance and held (either may be negative or zero) and links `seq` into its history. */
  #move(s: Statements, account: AccountState, balance: number, held: number, seq: number): number | null {
    this.#wrote = true;
    for (let attempt = 0; attempt < 2; attempt++) {
      const prev = account.last;
      if (s.move.run(balance, held, seq, account.num, prev).changes === 1) {
        account.last = seq;
        this.#moved?.add(account.id);
        return prev;
      }
      if (!this.#refresh(s, account)) break;
    }
    throw new Error(`ledger account ${account.id} could not be updated`);
  }

  /** Adds to an account's balance and links `seq` into its history (the common credit: {@link #move} with fewer parameters). */
  #credit(s: Statements, account: AccountState, amount: number, seq: number): number | null {
    this.#wrote = true;
    for (let attempt = 0; attempt < 2; attempt++) {
      const prev = account.last;
      if (s.credit.run(amount, seq, account.num, prev).changes === 1) {
        account.last = seq;
        this.#moved?.add(account.id);
        return prev;
      }
      if (!this.#refresh(s, account)) break;
    }
    throw new Error(`ledger account ${account.id} could not be updated`);
  }

  /** Re-reads a cached account's chain head; true when it had changed (the caller may retry). */
  #refresh(s: Statements, account: AccountState): boolean {
    const row = s.accountHead.get(account.num) as [string, number | null] | undefined;
    if (!row || row[0] !== account.id) {
      this.#accounts.clear();
      throw new Error(`ledger account ${account.id} is not what the ledger cached`);
    }
    if (row[1] === account.last) return false;
    account.last = row[1];
    return true;
  }

  /** The account's state if it exists. */
  #lookup(s: Statements, ref: AccountRef, currency: Currency): AccountState | undefined {
    let account = this.#accounts.get(ref, currency);
    if (account) return account;
    const id = accountId(ref, currency);
    const row = s.accountById.get(id) as [number, number | null] | undefined;
    if (!row) return undefined;
    account = { id, num: row[0], last: row[1] };
    this.#accounts.set(ref, currency, account);
    return account;
  }

  /** The state of an account known by its key (from a hold). */
  #byNum(s: Statements, num: number): AccountState {
    const cached = this.#accounts.byNum(num);
    if (cached) return cached;
    const row = s.accountHead.get(num) as [string, number | null] | undefined;
    if (!row) throw new Error(`ledger account ${num} is missing`);
    // Not cached by owner (a hold names only the key): the next lookup by owner reads it again.
    return { id: row[0], num, last: row[1] };
  }

  /** The account's state, creating the account (empty) if it does not exist yet. */
  #account(s: Statements, ref: AccountRef, currency: Currency, now: number): AccountState {
    const existing = this.#lookup(s, ref, currency);
    if (existing) return existing;
    this.#wrote = true;
    const id = accountId(ref, currency);
    const num = Number(s.insertAccount.run(id, ref.kind, ref.owner, currency, ref.kind === 'system' ? 1 : 0, now).lastInsertRowid);
    const account = { id, num, last: null };
    this.#accounts.set(ref, currency, account);
    return account;
  }
}

/**
 * A new transfer id: `tr_` + the time (ms) + 40 random bits, base32. Time-ordered ids append to the id index
 * instead of landing on random pages, which keeps the per-transfer write (and its savepoint journal) small.
 */
export function newTransferId(now: number, entropy: () => Buffer): string {
  const bytes = Buffer.alloc(11);
  bytes.writeUIntBE(clampTime(now), 0, 6);
  entropy().copy(bytes, 6);
  return `tr_${base32(bytes)}`;
}

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz';

function clampTime(now: number): number {
  return Math.max(0, Math.min(now, 2 ** 48 - 1));
}

/**
 * {@link newTransferId} for many ids at one time (a batch): the same string, with the part that encodes only the
 * time (45 of its 48 bits: 9 characters) made once per time instead of once per id.
 */
export function transferIds(entropy: () => Buffer): (now: number) => string {
  let time = -1;
  let prefix = '';
  let low = 0;
  return (now) => {
    if (now !== time) {
      time = now;
      const t = clampTime(now);
      prefix = 'tr_';
      for (let i = 0; i < 9; i++) prefix += BASE32[Math.floor(t / 2 ** (43 - 5 * i)) % 32];
      low = t % 8;
    }
    // The last 3 time bits, the 40 random bits and 2 bits of padding: 45 bits, 9 characters.
    const v = (low * 2 ** 40 + entropy().readUIntBE(0, 5)) * 4;
    let id = prefix;
    for (let i = 0; i < 9; i++) id += BASE32[Math.floor(v / 2 ** (40 - 5 * i)) % 32];
    return id;
  };
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

/** The ledger's statements, prepared once on the write connection: raw better-sqlite3, positional parameters. */
function prepare(client: Sqlite.Database) {
  const raw = (source: string) => client.prepare(source).raw(true);
  return {
    savepoint: client.prepare('SAVEPOINT ledger_op'),
    rollbackTo: client.prepare('ROLLBACK TO ledger_op'),
    release: client.prepare('RELEASE ledger_op'),
    savepointRun: client.prepare('SAVEPOINT ledger_run'),
    rollbackRun: client.prepare('ROLLBACK TO ledger_run'),
    releaseRun: client.prepare('RELEASE ledger_run'),
    maxSeq: raw('SELECT max(seq) FROM ledger_transfers'),
    accountById: raw('SELECT num, last_seq FROM ledger_accounts WHERE id = ?'),
    accountHead: raw('SELECT id, last_seq FROM ledger_accounts WHERE num = ?'),
    insertAccount: client.prepare('INSERT INTO ledger_accounts (id, kind, owner_id, currency, balance, held, allow_negative, created_at) VALUES (?, ?, ?, ?, 0, 0, ?, ?)'),
    // (amount, seq, num, expected head, amount): the floor is part of the write, and so is the history link.
    debit: client.prepare('UPDATE ledger_accounts SET balance = balance - ?, last_seq = ? WHERE num = ? AND last_seq IS ? AND (allow_negative = 1 OR balance - held >= ?)'),
    reserve: client.prepare('UPDATE ledger_accounts SET held = held + ?, last_seq = ? WHERE num = ? AND last_seq IS ? AND (allow_negative = 1 OR balance - held >= ?)'),
    // (balance delta, held delta, seq, num, expected head)
    move: client.prepare('UPDATE ledger_accounts SET balance = balance + ?, held = held + ?, last_seq = ? WHERE num = ? AND last_seq IS ?'),
    // (amount, seq, num, expected head)
    credit: client.prepare('UPDATE ledger_accounts SET balance = balance + ?, last_seq = ? WHERE num = ? AND last_seq IS ?'),
    insertTransfer: client.prepare(
      'INSERT INTO ledger_transfers (seq, id, type, debit_account, credit_account, debit_prev, credit_prev, amount, currency, code, pending_id, meta, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    transferById: raw(`SELECT ${TRANSFER_COLUMNS} FROM ledger_transfers t ${TRANSFER_JOINS} WHERE t.id = ?`),
    insertOutbox: client.prepare('INSERT INTO ledger_outbox (topic, transfer_seq, created_at) VALUES (?, ?, ?)'),
    insertHold: client.prepare("INSERT INTO ledger_holds (id, debit_account, credit_account, amount, currency, status, expires_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)"),
    getHold: raw('SELECT h.id, d.id, c.id, h.amount, h.currency, h.status, h.expires_at, h.debit_account, h.credit_account FROM ledger_holds h JOIN ledger_accounts d ON d.num = h.debit_account JOIN ledger_accounts c ON c.num = h.credit_account WHERE h.id = ?'),
    resolveHold: client.prepare("UPDATE ledger_holds SET status = ?, posted_amount = ?, resolved_at = ? WHERE id = ? AND status = 'pending'"),
  };
}

/** A transfer's columns with its accounts' public ids, as {@link TransferTuple}; use with {@link TRANSFER_JOINS}. */
export const TRANSFER_COLUMNS = 't.seq, t.id, t.type, d.id, c.id, t.amount, t.currency, t.code, t.pending_id, t.meta, t.created_at';
export const TRANSFER_JOINS = 'JOIN ledger_accounts d ON d.num = t.debit_account JOIN ledger_accounts c ON c.num = t.credit_account';

type Statements = ReturnType<typeof prepare>;

/** Reads an account row (for services and tests). */
export function readAccount(db: Db, id: string): LedgerAccountRow | undefined {
  return db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, id)).get();
}
