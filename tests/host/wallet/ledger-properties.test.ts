/**
 * Property tests: random rounds of concurrent transfers and holds (posted, voided, expired) keep every invariant,
 * and the ledger agrees exactly with a sequential model (a batch applies its operations in submission order).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { readAccount, type LedgerOp } from '../../../host/src/wallet/ledger.ts';
import { person, startLedger, WORLD } from './helpers.ts';

const PEOPLE = ['ada', 'bob', 'cyd', 'dan'];
const CURRENCIES = ['CNY', 'THB'] as const;

type Cmd =
  | { kind: 'topup'; to: number; amount: number; currency: 0 | 1 }
  | { kind: 'transfer'; from: number; to: number; amount: number; currency: 0 | 1; replayOf?: number }
  | { kind: 'hold'; from: number; to: number; amount: number; currency: 0 | 1; ttl: number }
  | { kind: 'post'; hold: number; amount: number | undefined }
  | { kind: 'void'; hold: number }
  | { kind: 'exchange'; from: number; to: number; amount: number; credit: number; currency: 0 | 1 };

const who = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const cur = fc.constantFrom<0 | 1>(0, 1);
const amount = fc.integer({ min: 1, max: 5_000 });
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('topup' as const), to: who, amount, currency: cur }),
  { arbitrary: fc.record({ kind: fc.constant('transfer' as const), from: who, to: who, amount, currency: cur, replayOf: fc.option(fc.nat(30), { nil: undefined }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('hold' as const), from: who, to: who, amount, currency: cur, ttl: fc.integer({ min: 1, max: 3 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('post' as const), hold: fc.nat(20), amount: fc.option(fc.integer({ min: 0, max: 6_000 }), { nil: undefined }) }), weight: 2 },
  fc.record({ kind: fc.constant('void' as const), hold: fc.nat(20) }),
  fc.record({ kind: fc.constant('exchange' as const), from: who, to: who, amount, credit: amount, currency: cur }),
);
/** Rounds of concurrent commands; after each round the clock moves 0–2 ticks and due holds expire. */
const rounds = fc.array(fc.record({ cmds: fc.array(cmd, { maxLength: 25 }), ticks: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 8 });

interface ModelHold {
  id: string;
  from: string;
  to: string;
  amount: number;
  expiresAt: number;
  status: 'pending' | 'posted' | 'voided' | 'expired';
}

describe('wallet: ledger properties (fast-check)', () => {
  it('random concurrent transfers and holds keep every invariant and match a sequential model', async () => {
    await fc.assert(
      fc.asyncProperty(rounds, async (plan) => {
        await using t = startLedger();
        const TICK = 1_000;
        const balance = new Map<string, number>();
        const held = new Map<string, number>();
        const holds: ModelHold[] = [];
        const sent: { id: string; op: LedgerOp; ok: boolean }[] = [];
        const acct = (owner: string, c: string): string => `w:${owner}:${c}`;
        const get = (m: Map<string, number>, k: string): number => m.get(k) ?? 0;
        const add = (m: Map<string, number>, k: string, d: number): void => void m.set(k, get(m, k) + d);
        let n = 0;
        // Everyone starts with some money, so that holds and transfers compete for it.
        await Promise.all(
          PEOPLE.flatMap((owner) => CURRENCIES.map((currency) => t.ledger.submit({ type: 'single', id: `tr_s${n++}`, debit: WORLD, credit: person(owner), amount: 8_000, currency, code: 'topup' }))),
        );
        for (const owner of PEOPLE) for (const c of CURRENCIES) add(balance, acct(owner, c), 8_000);

        for (const round of plan) {
          const now = t.clock.now();
          const submitted: { promise: Promise<unknown>; expect: string | 'ok' }[] = [];
          for (const c of round.cmds) {
            let op: LedgerOp | undefined;
            let expect: string = 'ok';
            if (c.kind === 'topup') {
              const currency = CURRENCIES[c.currency];
              op = { type: 'single', id: `tr_m${n++}`, debit: WORLD, credit: person(PEOPLE[c.to]!), amount: c.amount, currency, code: 'topup' };
              add(balance, acct(PEOPLE[c.to]!, currency), c.amount);
            } else if (c.kind === 'exchange') {
              // from's balance in one currency, to's in the other, through the FX accounts
              const from = PEOPLE[c.from]!;
              const to = PEOPLE[c.to]!;
              const [payIn, receiveIn] = [CURRENCIES[c.currency], CURRENCIES[1 - c.currency]!];
              op = { type: 'exchange', id: `tr_m${n++}`, debit: person(from), credit: person(to), debitAmount: c.amount, debitCurrency: payIn, creditAmount: c.credit, creditCurrency: receiveIn, rate: '1', code: 'payment' };
              if (get(balance, acct(from, payIn)) - get(held, acct(from, payIn)) >= c.amount) {
                add(balance, acct(from, payIn), -c.amount);
                add(balance, acct(to, receiveIn), c.credit);
              } else expect = 'WALLET_INSUFFICIENT_FUNDS';
            } else if (c.kind === 'transfer' || c.kind === 'hold') {
              const currency = CURRENCIES[c.currency];
              const from = PEOPLE[c.from]!;
              const to = PEOPLE[c.to]!;
              if (from === to) continue; // refused before queueing (tested elsewhere)
              const replay = c.kind === 'transfer' && c.replayOf !== undefined ? sent.filter((s) => s.op.type === 'single' && s.ok)[c.replayOf] : undefined;
              if (replay) {
                op = replay.op; // an identical resubmission: answered with the first, moves nothing
              } else if (c.kind === 'transfer') {
                op = { type: 'single', id: `tr_m${n++}`, debit: person(from), credit: person(to), amount: c.amount, currency, code: 'p2p' };
                if (get(balance, acct(from, currency)) - get(held, acct(from, currency)) >= c.amount) {
                  add(balance, acct(from, currency), -c.amount);
                  add(balance, acct(to, currency), c.amount);
                } else expect = 'WALLET_INSUFFICIENT_FUNDS';
              } else {
                const id = `tr_m${n++}`;
                op = { type: 'pending', id, debit: person(from), credit: person(to), amount: c.amount, currency, code: 'payment', expiresAt: now + c.ttl * TICK };
                if (get(balance, acct(from, currency)) - get(held, acct(from, currency)) >= c.amount) {
                  add(held, acct(from, currency), c.amount);
                  holds.push({ id, from: acct(from, currency), to: acct(to, currency), amount: c.amount, expiresAt: now + c.ttl * TICK, status: 'pending' });
                } else expect = 'WALLET_INSUFFICIENT_FUNDS';
              }
            } else {
              const h = holds[c.hold];
              if (!h) continue;
              const postAmount = c.kind === 'post' ? (c.amount ?? h.amount) : 0;
              op = c.kind === 'post' ? { type: 'post', id: `tr_m${n++}`, holdId: h.id, amount: c.amount } : { type: 'void', id: `tr_m${n++}`, holdId: h.id };
              if (h.status !== 'pending') expect = 'WALLET_HOLD_RESOLVED';
              else if (h.expiresAt <= now) expect = 'WALLET_HOLD_EXPIRED';
              else if (postAmount > h.amount) expect = 'WALLET_HOLD_EXCEEDED';
              else {
                h.status = c.kind === 'post' ? 'posted' : 'voided';
                add(held, h.from, -h.amount);
                add(balance, h.from, -postAmount);
                add(balance, h.to, postAmount);
              }
            }
            if (!op) continue;
            sent.push({ id: op.id!, op, ok: expect === 'ok' });
            submitted.push({ promise: t.ledger.submit(op), expect });
          }
          const results = await Promise.allSettled(submitted.map((s) => s.promise));
          results.forEach((r, i) => {
            const expect = submitted[i]!.expect;
            if (expect === 'ok') assert.equal(r.status, 'fulfilled', `op ${i}: ${r.status === 'rejected' ? String(r.reason) : ''}`);
            else assert.ok(r.status === 'rejected' && isAtriumError(r.reason) && r.reason.code === expect, `op ${i}: expected ${expect}, got ${r.status === 'rejected' ? String(r.reason) : 'success'}`);
          });

          t.clock.advance(round.ticks * TICK);
          for (const h of holds) {
            if (h.status === 'pending' && h.expiresAt <= t.clock.now()) {
              h.status = 'expired';
              add(held, h.from, -h.amount);
            }
          }
          await t.ledger.expireDue();

          const report = checkInvariants(t.database.db, t.clock.now());
          assert.ok(report.ok, JSON.stringify(report.violations));
          for (const owner of PEOPLE) {
            for (const c of CURRENCIES) {
              const row = readAccount(t.database.db, acct(owner, c));
              assert.equal(row?.balance ?? 0, get(balance, acct(owner, c)), `${owner} ${c} balance`);
              assert.equal(row?.held ?? 0, get(held, acct(owner, c)), `${owner} ${c} held`);
              assert.ok((row?.balance ?? 0) - (row?.held ?? 0) >= 0);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
