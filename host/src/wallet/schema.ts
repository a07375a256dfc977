/**
 * @module Tables of the wallet domain: the double-entry ledger (accounts, immutable transfers, holds), its outbox,
 * idempotency records, and payment PINs.
 *
 * Balance convention: `balance` = credits − debits, so a person's wallet (a liability of the operator) is
 * positive, and the operator's system accounts (funding sources, the world) go negative. Per currency the sum of
 * all balances is zero. Accounts carry no foreign keys from transfers on purpose: the invariant check proves
 * every transfer's accounts exist, and the group-commit hot path stays at four statements per transfer.
 *
 * Keys (migration 0009_ledger_keys): accounts have a public text id (`w:<userId>:CNY`) and an integer key
 * (`num`, the rowid) that transfers and holds refer to. An account's history is a chain: the account row names
 * its newest transfer (`last_seq`) and every transfer names, for each of its two accounts, that account's
 * previous transfer (`debit_prev`, `credit_prev`). Appending a transfer writes no index entry per account
 * (random pages of a history index were most of a transfer's cost); reading history follows the chain backwards
 * by rowid. The invariant check proves the chains are exactly each account's transfers.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** One account per (owner, purpose, currency). Ids are derived (`w:<userId>:CNY`, `s:funding.test:CNY`). */
export const ledgerAccounts = sqliteTable(
  'ledger_accounts',
  {
    /** The integer key transfers and holds refer to (the rowid). */
    num: integer('num').primaryKey(),
    /** The public id, `w:<userId>:CNY`. */
    id: text('id').notNull(),
    /** `person` (a wallet) or `system` (operator accounts). */
    kind: text('kind').notNull(),
    /** The user id for wallets; the system account's name otherwise. */
    ownerId: text('owner_id').notNull(),
    currency: text('currency').notNull(),
    /** Posted balance, credits − debits, minor units. */
    balance: integer('balance').notNull().default(0),
    /** Sum of open holds debiting this account; available = balance − held. */
    held: integer('held').notNull().default(0),
    /** 1 for system accounts that may go below zero; wallets never may. */
    allowNegative: integer('allow_negative').notNull().default(0),
    createdAt: integer('created_at').notNull(),
    /** The seq of this account's newest transfer (the head of its history chain); null before the first. */
    lastSeq: integer('last_seq'),
  },
  (t) => [uniqueIndex('ledger_accounts_id_unique').on(t.id), index('ledger_accounts_owner_idx').on(t.ownerId, t.currency)],
);

/**
 * An immutable movement from `debitAccount` to `creditAccount`. `type`: `single` (posted at once),
 * `pending` (a hold: reserves, moves nothing), `post` (settles part or all of a hold, `pendingId`), `void` and
 * `expire` (release a hold; `amount` is what was held, nothing moves). Only `single` and `post` change balances.
 */
export const ledgerTransfers = sqliteTable(
  'ledger_transfers',
  {
    /** Ledger sequence: commit order, for bills and statements. The rowid, so transfers append to the table. */
    seq: integer('seq').primaryKey(),
    id: text('id').notNull(),
    type: text('type').notNull(),
    /** `ledger_accounts.num` of the debited account. */
    debitAccount: integer('debit_account').notNull(),
    /** `ledger_accounts.num` of the credited account. */
    creditAccount: integer('credit_account').notNull(),
    /** The debited account's previous transfer (its history chain); null for its first. */
    debitPrev: integer('debit_prev'),
    /** The credited account's previous transfer; null for its first. */
    creditPrev: integer('credit_prev'),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    /** What the movement is for: `topup`, `withdraw`, `p2p`, `payment`, `refund`, ... */
    code: text('code').notNull(),
    pendingId: text('pending_id'),
    /** Free-form details (note, funding reference), JSON. */
    meta: text('meta'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('ledger_transfers_id_unique').on(t.id),
    // No index by account: history is the chain (`debit_prev`, `credit_prev`), see the module comment.
    // A hold resolves at most once: one post, void or expire per pending transfer.
    uniqueIndex('ledger_transfers_pending_unique').on(t.pendingId).where(sql`${t.pendingId} is not null`),
  ],
);

/** The state of each hold (its pending transfer has the same id). `status` moves once, from `pending`. */
export const ledgerHolds = sqliteTable(
  'ledger_holds',
  {
    id: text('id').primaryKey(),
    /** `ledger_accounts.num` of the account the hold reserves on. */
    debitAccount: integer('debit_account').notNull(),
    /** `ledger_accounts.num` of the account a post pays. */
    creditAccount: integer('credit_account').notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency').notNull(),
    /** `pending`, `posted`, `voided` or `expired`. */
    status: text('status').notNull(),
    postedAmount: integer('posted_amount'),
    expiresAt: integer('expires_at').notNull(),
    resolvedAt: integer('resolved_at'),
  },
  (t) => [index('ledger_holds_expiry_idx').on(t.status, t.expiresAt)],
);

/**
 * Events written in the same transaction as the transfer they describe, for webhooks and notifications. The
 * event's data is its transfer (immutable, by `transfer_seq`): a relay joins it, the hot path writes no copy.
 */
export const ledgerOutbox = sqliteTable(
  'ledger_outbox',
  {
    seq: integer('seq').primaryKey(),
    topic: text('topic').notNull(),
    /** `ledger_transfers.seq` of the transfer the event is about. */
    transferSeq: integer('transfer_seq').notNull(),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
  },
  // No index: a relay reads forward from its last delivered seq (the rowid), and the hot path stays cheap.
);

/** Stripe-style idempotency: the first response to (scope, key) is stored and replayed. Kept ≥ 24 h. */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    /** Whose key: the caller's user id (or a merchant id later). */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** SHA-256 over method, path and body: the same key with other parameters is refused. */
    fingerprint: text('fingerprint').notNull(),
    /** `started` while the request runs (wrapped routes only), then `done`. */
    state: text('state').notNull(),
    status: integer('status'),
    contentType: text('content_type'),
    body: text('body'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index('idempotency_keys_expiry_idx').on(t.expiresAt)],
);

/** A person's payment PIN (argon2id) and its wrong-try counter. */
export const walletPins = sqliteTable('wallet_pins', {
  userId: text('user_id').primaryKey(),
  pinHash: text('pin_hash').notNull(),
  failedCount: integer('failed_count').notNull().default(0),
  lockedUntil: integer('locked_until'),
  updatedAt: integer('updated_at').notNull(),
});

export type LedgerAccountRow = typeof ledgerAccounts.$inferSelect;
export type LedgerTransferRow = typeof ledgerTransfers.$inferSelect;
export type LedgerHoldRow = typeof ledgerHolds.$inferSelect;

/** A person's receive code: scanning it lets anyone (not only contacts) pay them an amount they enter. Resettable. */
export const walletReceiveCodes = sqliteTable(
  'wallet_receive_codes',
  {
    userId: text('user_id').primaryKey(),
    code: text('code').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('wallet_receive_codes_code_unique').on(t.code)],
);
