/**
 * @module The people's wallet: balances, top-up and withdrawal through a funding source, transfers to contacts,
 * bills. Every money movement is one ledger operation; see ledger.ts for how it commits.
 */
import { hash } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { base32, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import type { ContactsService } from '../contacts/service.ts';
import type { IdentityService } from '../identity/service.ts';
import { CURRENCIES, CURRENCY_CODES, type Currency } from './currencies.ts';
import type { CardDetails, FundingSource } from './funding.ts';
import type { IdempotencyClaim, IdempotencyService, StoredResponse } from './idempotency.ts';
import { checkInvariants, type InvariantReport } from './invariants.ts';
import { accountId, type AccountRef, type Ledger, type Outcome, type Transfer } from './ledger.ts';
import type { PinService } from './pin.ts';
import { accountHistory, CLOCK_SLACK_MS, transferById, type HistoryRow } from './history.ts';
import { ledgerAccounts, ledgerHolds, walletReceiveCodes } from './schema.ts';

/** One currency in a person's wallet. */
export interface WalletBalance {
  currency: Currency;
  /** Posted balance, minor units. */
  balance: number;
  /** Reserved by pending payments and withdrawals. */
  held: number;
  /** What can be spent: balance − held. */
  available: number;
  /** ISO 4217 minor-unit exponent, for display. */
  exponent: number;
}

/** Who is on the other side of a transaction. */
export type Counterparty =
  | { type: 'person'; id: string; handle: string; displayName: string }
  | { type: 'merchant'; id: string; name: string }
  | { type: 'system'; name: string };

/** A transaction as the person sees it (a bill). */
export interface WalletTransaction {
  id: string;
  seq: number;
  /** What it was: `topup`, `withdraw`, `p2p`, ... */
  kind: string;
  direction: 'in' | 'out';
  amount: number;
  currency: Currency;
  /** `succeeded`; for reservations `pending`, `voided` or `expired` (a posted reservation is `succeeded`). */
  status: 'succeeded' | 'pending' | 'voided' | 'expired';
  counterparty: Counterparty;
  note: string | null;
  /** Card (last four digits) for top-ups and withdrawals. */
  card: { brand: string | null; last4: string } | null;
  createdAt: number;
}

/** Filters of {@link WalletService.transactions}. */
export interface TransactionFilter {
  currency?: Currency;
  direction?: 'in' | 'out';
  kind?: string;
  /** Inclusive, ms since the epoch. */
  from?: number;
  /** Exclusive, ms since the epoch. */
  to?: number;
  /** Only transactions older than this `seq` (the previous page's `nextCursor`). */
  before?: number;
  limit: number;
}

/** Options of {@link WalletService}. */
export interface WalletServiceOptions {
  database: Database;
  clock: Clock;
  ledger: Ledger;
  pins: PinService;
  idempotency: IdempotencyService;
  funding: FundingSource;
  identity: IdentityService;
  contacts: ContactsService;
  /** People allowed to run the invariant check. */
  adminUserIds: readonly string[];
  random: Random;
}

/** How long a withdrawal's reservation lives if the processor never answers. */
const WITHDRAW_HOLD_MS = 24 * 3600_000;

/**
 * A stable ledger id for the movement a request with `claim` makes, so a retried request cannot move money twice:
 * the time the key was first used, then a hash of who, which key and which part. Time first, so new transfers
 * append to the id index instead of landing on random pages.
 */
export function derivedId(prefix: string, claim: IdempotencyClaim, part = ''): string {
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(Math.max(0, Math.min(claim.epoch, 2 ** 48 - 1)), 0, 6);
  hash('sha256', `${claim.scope}\n${claim.key}\n${claim.epoch}\n${part}`, 'buffer').copy(bytes, 6, 0, 10);
  return `${prefix}_${base32(bytes)}`;
}

const person = (userId: string): AccountRef => ({ kind: 'person', owner: userId });

/** The people's wallet. Every call acts for `userId` only. */
export class WalletService {
  readonly #o: WalletServiceOptions;

  constructor(options: WalletServiceOptions) {
    this.#o = options;
  }

  /** The funding source (for the shell: label and test mode). */
  get funding(): FundingSource {
    return this.#o.funding;
  }

  /** True when `userId` may run operator checks. */
  isAdmin(userId: string): boolean {
    return this.#o.adminUserIds.includes(userId);
  }

  /** Balances in every supported currency (zero where the person has no account yet). */
  balances(userId: string): WalletBalance[] {
    const rows = this.#o.database.db
      .select({ currency: ledgerAccounts.currency, balance: ledgerAccounts.balance, held: ledgerAccounts.held })
      .from(ledgerAccounts)
      .where(inArray(ledgerAccounts.id, CURRENCY_CODES.map((c) => accountId(person(userId), c))))
      .all();
    const byCurrency = new Map(rows.map((r) => [r.currency, r]));
    return CURRENCY_CODES.map((currency) => {
      const row = byCurrency.get(currency);
      const balance = row?.balance ?? 0;
      const held = row?.held ?? 0;
      return { currency, balance, held, available: balance - held, exponent: CURRENCIES[currency].exponent };
    });
  }

  /** True when the person has a payment PIN. */
  hasPin(userId: string): boolean {
    return this.#o.pins.hasPin(userId);
  }

  /** Sets or changes the payment PIN. */
  setPin(userId: string, pin: string, currentPin?: string): Promise<void> {
    return this.#o.pins.set(userId, pin, currentPin);
  }

  /**
   * Sends money to a contact; needs the PIN. The ledger transfer and the idempotency record commit together;
   * `render` turns the outcome into the response that is stored and replayed.
   */
  async sendToContact(
    userId: string,
    input: { to: string; amount: number; currency: Currency; note: string; pin: string },
    claim: IdempotencyClaim,
    render: (outcome: Outcome<WalletTransaction>) => StoredResponse,
    via?: 'receive-code',
  ): Promise<StoredResponse> {
    const { contacts, pins, ledger, idempotency } = this.#o;
    if (input.to === userId) throw new AtriumError({ code: 'WALLET_RECIPIENT_SELF' });
    // Contacts only, unless the recipient showed their receive code (then anyone they do not block).
    if (via !== 'receive-code' && !(await contacts.areContacts(userId, input.to))) throw new AtriumError({ code: 'WALLET_RECIPIENT_NOT_CONTACT' });
    await pins.verify(userId, input.pin);
    const people = await this.#o.identity.people([input.to]);
    return ledger.submit(
      {
        type: 'single',
        id: derivedId('tr', claim),
        debit: person(userId),
        credit: person(input.to),
        amount: input.amount,
        currency: input.currency,
        code: 'p2p',
        meta: input.note ? { note: input.note } : undefined,
      },
      {
        guard: (tx) => idempotency.guard(tx, claim),
        settle: (tx, outcome) => {
          const view: Outcome<WalletTransaction> = outcome.ok ? { ok: true, value: this.#view(userId, outcome.value, null, people) } : outcome;
          return idempotency.record(tx, claim, render(view));
        },
      },
    );
  }

  /** The person's receive code (made on first use). */
  async receiveCode(userId: string): Promise<string> {
    const row = this.#o.database.db.select().from(walletReceiveCodes).where(eq(walletReceiveCodes.userId, userId)).get();
    return row?.code ?? this.resetReceiveCode(userId);
  }

  /** A new receive code; the old one stops working (e.g. after it was photographed). */
  async resetReceiveCode(userId: string): Promise<string> {
    const code = `rc${base32(this.#o.random.bytes(10))}`;
    const now = this.#o.clock.now();
    await this.#o.database.write(async (tx) => {
      tx.insert(walletReceiveCodes).values({ userId, code, createdAt: now }).onConflictDoUpdate({ target: walletReceiveCodes.userId, set: { code, createdAt: now } }).run();
    });
    return code;
  }

  /** Whom a receive code pays (for the pay sheet), or `WALLET_RECEIVE_CODE_NOT_FOUND` (also when they block the payer). */
  async resolveReceiveCode(payerId: string, code: string): Promise<{ id: string; handle: string; displayName: string }> {
    const row = this.#o.database.db.select().from(walletReceiveCodes).where(eq(walletReceiveCodes.code, code)).get();
    if (!row || (await this.#o.contacts.isBlockedEitherWay(payerId, row.userId))) throw new AtriumError({ code: 'WALLET_RECEIVE_CODE_NOT_FOUND' });
    const person = (await this.#o.identity.people([row.userId])).get(row.userId);
    if (!person) throw new AtriumError({ code: 'WALLET_RECEIVE_CODE_NOT_FOUND' });
    return { id: person.id, handle: person.handle, displayName: person.displayName };
  }

  /** Pays whoever's receive code was scanned; needs the PIN; idempotent like {@link sendToContact}. */
  async sendToReceiveCode(
    userId: string,
    input: { code: string; amount: number; currency: Currency; note: string; pin: string },
    claim: IdempotencyClaim,
    render: (outcome: Outcome<WalletTransaction>) => StoredResponse,
  ): Promise<StoredResponse> {
    const to = await this.resolveReceiveCode(userId, input.code);
    return this.sendToContact(userId, { to: to.id, amount: input.amount, currency: input.currency, note: input.note, pin: input.pin }, claim, render, 'receive-code');
  }

  /** Adds money from a card through the funding source (no PIN: money comes in). */
  async topUp(userId: string, input: { amount: number; currency: Currency; card: CardDetails }, claim: IdempotencyClaim): Promise<WalletTransaction> {
    const { funding, ledger } = this.#o;
    const id = derivedId('tr', claim);
    const result = await funding.charge({ reference: id, card: input.card, amount: input.amount, currency: input.currency });
    if (result.status === 'declined') throw new AtriumError({ code: 'WALLET_CARD_DECLINED', detail: `Declined: ${result.reason}.`, extensions: { reason: result.reason } });
    const transfer = await ledger.submit({
      type: 'single',
      id,
      debit: { kind: 'system', owner: `funding.${funding.id}` },
      credit: person(userId),
      amount: input.amount,
      currency: input.currency,
      code: 'topup',
      meta: { source: funding.id, brand: result.brand, last4: result.last4, processorRef: result.processorRef },
    });
    return this.#view(userId, transfer, null, new Map());
  }

  /**
   * Withdraws to a card; needs the PIN. The amount is reserved first (a hold), paid out, then the hold is
   * posted — or voided when the processor declines or fails, so the money is available again.
   */
  async withdraw(userId: string, input: { amount: number; currency: Currency; card: CardDetails; pin: string }, claim: IdempotencyClaim): Promise<WalletTransaction> {
    const { funding, ledger, pins, clock } = this.#o;
    await pins.verify(userId, input.pin);
    const holdId = derivedId('tr', claim);
    const last4 = input.card.number.slice(-4);
    const hold = await ledger.submit({
      type: 'pending',
      id: holdId,
      debit: person(userId),
      credit: { kind: 'system', owner: `funding.${funding.id}` },
      amount: input.amount,
      currency: input.currency,
      code: 'withdraw',
      expiresAt: clock.now() + WITHDRAW_HOLD_MS,
      meta: { source: funding.id, last4 },
    });
    let result;
    try {
      result = await funding.payout({ reference: holdId, card: input.card, amount: input.amount, currency: input.currency });
    } catch (error) {
      await ledger.submit({ type: 'void', id: derivedId('tr', claim, 'void'), holdId, meta: { reason: 'processor_failed' } }).catch(() => undefined);
      throw error;
    }
    if (result.status === 'declined') {
      await ledger.submit({ type: 'void', id: derivedId('tr', claim, 'void'), holdId, meta: { reason: result.reason } }).catch(() => undefined);
      throw new AtriumError({ code: 'WALLET_CARD_DECLINED', detail: `Declined: ${result.reason}.`, extensions: { reason: result.reason } });
    }
    await ledger.submit({ type: 'post', id: derivedId('tr', claim, 'post'), holdId, meta: { processorRef: result.processorRef } });
    return { ...this.#view(userId, hold, null, new Map()), status: 'succeeded', card: { brand: result.brand, last4 } };
  }

  /**
   * The person's bills, newest first, with a cursor for the next page: their accounts' history chains (see
   * history.ts), filtered. A time window stops the walk once it is past (allowing for a clock stepped back).
   */
  async transactions(userId: string, filter: TransactionFilter): Promise<{ transactions: WalletTransaction[]; nextCursor: number | null }> {
    const mine = (filter.currency ? [filter.currency] : CURRENCY_CODES).map((c) => accountId(person(userId), c));
    const db = this.#o.database.db;
    const rows: HistoryRow[] = [];
    for (const t of accountHistory(db, mine, { before: filter.before })) {
      if (filter.from !== undefined && t.createdAt < filter.from - CLOCK_SLACK_MS) break;
      if (t.type !== 'single' && t.type !== 'pending') continue;
      const out = mine.includes(t.debitAccountId);
      if ((filter.direction === 'out' && !out) || (filter.direction === 'in' && out)) continue;
      if (filter.kind && t.code !== filter.kind) continue;
      if ((filter.from !== undefined && t.createdAt < filter.from) || (filter.to !== undefined && t.createdAt >= filter.to)) continue;
      rows.push(t);
      if (rows.length > filter.limit) break;
    }
    const page = rows.slice(0, filter.limit);
    const people = await this.#o.identity.people(page.map((t) => otherOwner(userId, t)).filter((id): id is string => id !== undefined));
    const holds = this.#holdStates(page.filter((t) => t.type === 'pending').map((t) => t.id));
    const transactions = page.map((t) => this.#view(userId, toTransferRow(t), holds.get(t.id) ?? null, people));
    return { transactions, nextCursor: rows.length > filter.limit ? (page.at(-1)?.seq ?? null) : null };
  }

  /** One transaction of the person's, or `WALLET_TRANSFER_NOT_FOUND` (also for other people's). */
  async transaction(userId: string, id: string): Promise<WalletTransaction> {
    const row = transferById(this.#o.database.db, id);
    const mine = row && (row.type === 'single' || row.type === 'pending') && (row.debitAccountId.startsWith(`w:${userId}:`) || row.creditAccountId.startsWith(`w:${userId}:`));
    if (!row || !mine) throw new AtriumError({ code: 'WALLET_TRANSFER_NOT_FOUND' });
    const other = otherOwner(userId, row);
    const people = await this.#o.identity.people(other ? [other] : []);
    const holds = this.#holdStates(row.type === 'pending' ? [row.id] : []);
    return this.#view(userId, toTransferRow(row), holds.get(row.id) ?? null, people);
  }

  /** The states of holds for their bills, by id (a pending transfer's id is its hold's), in one read. */
  #holdStates(ids: string[]): Map<string, { status: string; posted: number | null }> {
    if (ids.length === 0) return new Map();
    const rows = this.#o.database.db
      .select({ id: ledgerHolds.id, status: ledgerHolds.status, posted: ledgerHolds.postedAmount })
      .from(ledgerHolds)
      .where(inArray(ledgerHolds.id, ids))
      .all();
    return new Map(rows.map((r) => [r.id, { status: r.status, posted: r.posted }]));
  }

  /** Every transaction matching `filter` (all pages), for export. At most `max`. */
  async exportAll(userId: string, filter: Omit<TransactionFilter, 'limit' | 'before'>, max = 100_000): Promise<WalletTransaction[]> {
    const out: WalletTransaction[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await this.transactions(userId, { ...filter, before, limit: 500 });
      out.push(...page.transactions);
      if (page.nextCursor === null || out.length >= max) return out.slice(0, max);
      before = page.nextCursor;
    }
  }

  /** The ledger invariant check, for admins only. */
  invariants(userId: string): InvariantReport {
    if (!this.isAdmin(userId)) throw new AtriumError({ code: 'FORBIDDEN', detail: 'Only operators listed in ATRIUM_ADMIN_USER_IDS may run the ledger check.' });
    return checkInvariants(this.#o.database.db, this.#o.clock.now());
  }

  /** Releases expired holds and prunes old idempotency keys; the host runs this every minute. */
  async maintain(): Promise<{ expired: number; pruned: number }> {
    const expired = await this.#o.ledger.expireDue();
    const pruned = await this.#o.idempotency.prune();
    return { expired, pruned };
  }

  #view(userId: string, t: Transfer | ReturnType<typeof toTransferRow>, hold: { status: string; posted: number | null } | null, people: Map<string, { id: string; handle: string; displayName: string }>): WalletTransaction {
    const out = t.debitAccountId.startsWith(`w:${userId}:`);
    const other = out ? t.creditAccountId : t.debitAccountId;
    const otherId = ownerOf(other);
    const meta = (t.meta ?? {}) as Record<string, unknown>;
    // Money through an escrow (a chat transfer, a red packet) shows the person on the other side of it.
    const escrowedWith = withOf(meta);
    const found = other.startsWith('w:') ? people.get(otherId) : escrowedWith ? people.get(escrowedWith) : undefined;
    const counterparty: Counterparty = found
      ? { type: 'person', id: found.id, handle: found.handle, displayName: found.displayName }
      : other.startsWith('m:') || typeof meta.merchantId === 'string' // a payment, or its exchange leg
        ? { type: 'merchant', id: typeof meta.merchantId === 'string' ? meta.merchantId : otherId, name: typeof meta.merchantName === 'string' ? meta.merchantName : otherId }
        : { type: 'system', name: otherId };
    const status = hold === null || hold.status === 'posted' ? 'succeeded' : (hold.status as WalletTransaction['status']);
    const amount = hold?.status === 'posted' && hold.posted !== null ? hold.posted : t.amount;
    const last4 = typeof meta.last4 === 'string' ? meta.last4 : null;
    return {
      id: t.id,
      seq: t.seq,
      kind: t.code,
      direction: out ? 'out' : 'in',
      amount,
      currency: t.currency as Currency,
      status,
      counterparty,
      note: typeof meta.note === 'string' ? meta.note : null,
      card: last4 ? { brand: typeof meta.brand === 'string' ? meta.brand : null, last4 } : null,
      createdAt: t.createdAt,
    };
  }
}

function ownerOf(account: string): string {
  return account.slice(2, account.lastIndexOf(':'));
}

/** The person on the other side: the other wallet's owner, or the person an escrow stood between (`meta.with`). */
function otherOwner(userId: string, t: { debitAccountId: string; creditAccountId: string; meta: string | null }): string | undefined {
  const other = t.debitAccountId.startsWith(`w:${userId}:`) ? t.creditAccountId : t.debitAccountId;
  if (other.startsWith('w:')) return ownerOf(other);
  return t.meta?.includes('"with"') ? withOf(JSON.parse(t.meta) as Record<string, unknown>) : undefined;
}

function withOf(meta: Record<string, unknown> | null | undefined): string | undefined {
  return typeof meta?.with === 'string' ? meta.with : undefined;
}

function toTransferRow(t: HistoryRow): Omit<Transfer, 'replayed'> {
  return { ...t, currency: t.currency as Currency, meta: t.meta ? (JSON.parse(t.meta) as Record<string, unknown>) : null };
}
