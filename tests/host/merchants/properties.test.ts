/**
 * Property test (fast-check): random concurrent order payments and refunds, through the merchant service and the
 * ledger, keep every ledger invariant; an order is paid at most once; refunds never add up to more than was paid
 * and never exceed 50 per order; the merchant's balance is exactly what was paid minus what was refunded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import { checkInvariants } from '../../../host/src/wallet/invariants.ts';
import { startTestHost } from '../../helpers/host.ts';

const PIN = '480915';
const EXPECTED = new Set(['ORDER_NOT_PAYABLE', 'WALLET_INSUFFICIENT_FUNDS', 'REFUND_EXCEEDS_PAID', 'REFUND_ORDER_NOT_PAID', 'REFUND_EXISTS', 'REFUND_LIMIT_REACHED']);

type Cmd = { kind: 'pay'; order: number; payer: number } | { kind: 'refund'; order: number; amount: number; no: number };
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ kind: fc.constant('pay' as const), order: fc.nat(5), payer: fc.nat(2) }),
  fc.record({ kind: fc.constant('refund' as const), order: fc.nat(5), amount: fc.integer({ min: 1, max: 1_500 }), no: fc.nat(12) }),
);

describe('merchants: payment and refund properties (fast-check)', () => {
  it('random concurrent payments and refunds keep the ledger and the orders consistent', async () => {
    await using t = await startTestHost();
    const { merchants, pins, ledger } = t.host.services.wallet;
    const payers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await t.signUp(`payer${i}`);
      await pins.set(s.userId, PIN);
      payers.push(s.userId);
    }
    const owner = await t.signUp('owner');
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cmd, { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 5 }), fc.array(fc.integer({ min: 100, max: 3_000 }), { minLength: 6, maxLength: 6 }), async (rounds, amounts) => {
        run++;
        const merchant = await merchants.create(owner.userId, { name: `Shop ${run}`, city: 'Beijing', countryCode: 'CN' });
        for (const p of payers) await ledger.submit({ type: 'single', debit: { kind: 'system', owner: 'funding.test' }, credit: { kind: 'person', owner: p }, amount: 4_000, currency: 'CNY', code: 'topup' });
        const orders: { id: string; outTradeNo: string }[] = [];
        for (const [i, amount] of amounts.entries()) orders.push((await merchants.createOrder(merchant.id, { outTradeNo: `R${run}-O${i}`, amount, currency: 'CNY', description: 'x' })).order);
        let k = 0;
        for (const round of rounds) {
          const results = await Promise.allSettled(
            round.map((c) => {
              const order = orders[c.order]!;
              if (c.kind === 'pay') {
                const claim = { scope: payers[c.payer]!, key: `r${run}-${k++}`, fingerprint: 'f', epoch: t.clock.now() };
                return merchants.pay(payers[c.payer]!, order.id, PIN, claim, (o) => ({ status: o.ok ? 200 : o.error.status, contentType: 'application/json', body: '{}' }));
              }
              return merchants.refund(merchant.id, order.outTradeNo, { outRefundNo: `N${c.no}`, amount: c.amount, reason: '' });
            }),
          );
          for (const r of results) if (r.status === 'rejected') assert.ok(isAtriumError(r.reason) && EXPECTED.has(r.reason.code), String(r.reason));
          assert.ok(checkInvariants(t.database.db, t.clock.now()).ok);
        }
        let paid = 0;
        let refunded = 0;
        for (const o of orders) {
          const now = merchants.order(merchant.id, o.outTradeNo);
          const payments = t.database.db.all<{ n: number }>(sql`select count(*) as n from ledger_transfers where code = 'payment' and json_extract(meta, '$.orderId') = ${o.id}`)[0]!.n;
          assert.equal(payments, now.status === 'SUCCESS' ? 1 : 0, 'an order is paid at most once');
          const rows = merchants.refunds(merchant.id, o.outTradeNo);
          assert.equal(rows.reduce((s, r) => s + r.amount, 0), now.refundedAmount);
          assert.ok(now.refundedAmount <= (now.status === 'SUCCESS' ? now.amount : 0));
          assert.ok(now.refundCount <= 50);
          if (now.status === 'SUCCESS') paid += now.amount;
          refunded += now.refundedAmount;
        }
        const balance = t.database.db.all<{ b: number }>(sql`select coalesce(sum(balance), 0) as b from ledger_accounts where owner_id = ${merchant.id}`)[0]!.b;
        assert.equal(balance, paid - refunded);
      }),
      { numRuns: 25 },
    );
  });
});
