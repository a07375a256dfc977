/**
 * @module The ledger's invariant check: what must hold after any sequence of operations, crashes included.
 *
 * 1. Per currency, the sum of all balances is zero (double entry: every transfer debits one account and credits
 *    another by the same amount).
 * 2. Every account's balance equals the fold of its posted transfers (`single` and `post`: credits − debits),
 *    and its `held` equals the sum of its open holds.
 * 3. No wallet (an account that may not go negative) has a negative balance or available balance.
 * 4. Every transfer names accounts that exist, in its own currency; every resolved hold has exactly one
 *    resolving transfer, and open holds none.
 * 5. Every account's history chain (its `last_seq`, then each transfer's `debit_prev` / `credit_prev`) lists
 *    exactly its transfers, newest first: bills and statements read history that way.
 * It reads inside one read transaction, so it sees one consistent snapshot even while payments run.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';

/** One broken invariant, with enough detail to find the rows. */
export interface Violation {
  invariant: 'sum_zero' | 'balance_matches_transfers' | 'held_matches_holds' | 'no_negative_wallet' | 'transfer_accounts_exist' | 'hold_resolved_once' | 'history_chain';
  detail: string;
}

/** What the check found. */
export interface InvariantReport {
  ok: boolean;
  checkedAt: number;
  accounts: number;
  transfers: number;
  /** Per currency: the sum of balances (must be 0) and the total held on wallets. */
  currencies: { currency: string; sum: number; held: number; accounts: number }[];
  violations: Violation[];
}

/** Runs every check against `db` (the read handle). At most 100 violations are listed. */
export function checkInvariants(db: Db, now: number): InvariantReport {
  const violations: Violation[] = [];
  const add = (v: Violation): void => {
    if (violations.length < 100) violations.push(v);
  };
  const currencies = db.all<{ currency: string; sum: number; held: number; accounts: number }>(
    sql`select currency, coalesce(sum(balance), 0) as sum, coalesce(sum(held), 0) as held, count(*) as accounts from ledger_accounts group by currency order by currency`,
  );
  for (const c of currencies) if (c.sum !== 0) add({ invariant: 'sum_zero', detail: `${c.currency}: balances sum to ${c.sum}` });

  const drift = db.all<{ id: string; balance: number; folded: number }>(sql`
    select a.id, a.balance, coalesce(f.total, 0) as folded
    from ledger_accounts a
    left join (
      select account, sum(delta) as total from (
        select credit_account as account, amount as delta from ledger_transfers where type in ('single', 'post')
        union all
        select debit_account as account, -amount as delta from ledger_transfers where type in ('single', 'post')
      ) group by account
    ) f on f.account = a.num
    where a.balance <> coalesce(f.total, 0)
    limit 100`);
  for (const d of drift) add({ invariant: 'balance_matches_transfers', detail: `${d.id}: balance ${d.balance}, transfers fold to ${d.folded}` });

  const heldDrift = db.all<{ id: string; held: number; open: number }>(sql`
    select a.id, a.held, coalesce(h.total, 0) as open
    from ledger_accounts a
    left join (select debit_account as account, sum(amount) as total from ledger_holds where status = 'pending' group by debit_account) h on h.account = a.num
    where a.held <> coalesce(h.total, 0)
    limit 100`);
  for (const d of heldDrift) add({ invariant: 'held_matches_holds', detail: `${d.id}: held ${d.held}, open holds ${d.open}` });

  const negative = db.all<{ id: string; balance: number; held: number }>(
    sql`select id, balance, held from ledger_accounts where allow_negative = 0 and (balance < 0 or held < 0 or balance - held < 0) limit 100`,
  );
  for (const n of negative) add({ invariant: 'no_negative_wallet', detail: `${n.id}: balance ${n.balance}, held ${n.held}` });

  const orphans = db.all<{ id: string }>(sql`
    select t.id from ledger_transfers t
    left join ledger_accounts d on d.num = t.debit_account
    left join ledger_accounts c on c.num = t.credit_account
    where d.id is null or c.id is null or d.currency <> t.currency or c.currency <> t.currency
    limit 100`);
  for (const o of orphans) add({ invariant: 'transfer_accounts_exist', detail: `transfer ${o.id} names a missing account or another currency` });

  const holds = db.all<{ id: string; status: string; resolutions: number; posted: number | null; postedSum: number | null }>(sql`
    select h.id, h.status, count(t.seq) as resolutions, h.posted_amount as posted, sum(case when t.type = 'post' then t.amount end) as postedSum
    from ledger_holds h left join ledger_transfers t on t.pending_id = h.id
    group by h.id
    having (h.status = 'pending' and count(t.seq) <> 0) or (h.status <> 'pending' and count(t.seq) <> 1)
       or (h.status = 'posted' and (sum(case when t.type = 'post' then t.amount end) is not h.posted_amount or h.posted_amount > h.amount))
    limit 100`);
  for (const h of holds) add({ invariant: 'hold_resolved_once', detail: `hold ${h.id} (${h.status}) has ${h.resolutions} resolving transfers` });

  // Each account's postings in seq order: its chain's head must be the newest, every link the one before.
  const links = db.all<{ seq: number; account: string; stored: number | null; expected: number | null }>(sql`
    with postings as (
      select seq, debit_account as account, debit_prev as stored from ledger_transfers
      union all
      select seq, credit_account, credit_prev from ledger_transfers
    ), chain as (
      select seq, account, stored, lag(seq) over (partition by account order by seq) as expected from postings
    )
    select chain.seq, coalesce(a.id, chain.account) as account, stored, expected from chain left join ledger_accounts a on a.num = chain.account
    where stored is not expected
    limit 100`);
  for (const l of links) add({ invariant: 'history_chain', detail: `${l.account}: transfer ${l.seq} links to ${l.stored ?? 'nothing'}, its previous transfer is ${l.expected ?? 'none'}` });
  const heads = db.all<{ id: string; head: number | null; newest: number | null }>(sql`
    select a.id, a.last_seq as head, p.newest from ledger_accounts a
    left join (
      select account, max(seq) as newest from (select debit_account as account, seq from ledger_transfers union all select credit_account, seq from ledger_transfers) group by account
    ) p on p.account = a.num
    where a.last_seq is not p.newest
    limit 100`);
  for (const h of heads) add({ invariant: 'history_chain', detail: `${h.id}: history starts at ${h.head ?? 'nothing'}, its newest transfer is ${h.newest ?? 'none'}` });

  const [counts] = db.all<{ accounts: number; transfers: number }>(
    sql`select (select count(*) from ledger_accounts) as accounts, (select count(*) from ledger_transfers) as transfers`,
  );
  return { ok: violations.length === 0, checkedAt: now, accounts: counts?.accounts ?? 0, transfers: counts?.transfers ?? 0, currencies, violations };
}
