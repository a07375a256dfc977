import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import emvqr from 'emvqr';
import { isAtriumError } from '../../../host/src/core/errors.ts';
import { buildMpm, crc16, crcHex, parseMpm, parseTlv } from '../../../host/src/wallet/emvco.ts';

/** Published payloads (shared/reference/payments.md §4.4): the EMVCo spec example, UnionPay, PayNow, Mastercard, Pix. */
const VECTORS = {
  spec: '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A',
  unionpay: '00020101021252044131153137210116372101160123456789ABCDE6010Phnom Penh5913Merchant Shop5802KH540510.005303840622501081234567802090124444446304A0BA',
  paynow: '00020101021126490009SG.PAYNOW010120210202012345X0301104082021123151820007SG.SGQR0113202012345X123020701.000103068286710402010503123060400000708201912315204000053037025802SG5911RATINAN LEE6009SINGAPORE610682876162140110987654321X630429FD',
  mastercard: '000201010211057704736a2f41a3-c54c-fce8-32d2-0324e1c32e22*3440e5bf-81ca-4c5f-a1b2-cf989f09a03952045024530384054031005802US5913Test Merchant6008New York62080304123463046F6D',
  pix: '00020126650014br.gov.bcb.pix0119nubank@thalesog.com0220Gerado por Pix-Utils52040000530398654041.005802BR5914Thales Ogliari6009Sao Paulo62070503***63046069',
};

const invalid = (e: unknown) => isAtriumError(e, 'WALLET_QR_INVALID');

describe('wallet: EMVCo MPM QR payloads', () => {
  it('computes CRC-16/CCITT-FALSE (check value 29B1) over UTF-8 bytes', () => {
    assert.equal(crc16('123456789'), 0x29b1);
    for (const [name, payload] of Object.entries(VECTORS)) assert.equal(crcHex(payload.slice(0, -4)), payload.slice(-4), name);
  });

  it('parses the EMVCo specification example, counting lengths in characters', () => {
    const p = parseMpm(VECTORS.spec);
    assert.equal(p.initiation, 'dynamic');
    assert.deepEqual([p.merchantName, p.merchantCity, p.countryCode, p.merchantCategoryCode], ['BEST TRANSPORT', 'BEIJING', 'CN', '4111']);
    assert.deepEqual([p.currency, p.amount, p.amountMinor], ['CNY', '23.72', 2372]);
    assert.deepEqual(p.language, { language: 'ZH', name: '最佳运输', city: '北京' });
    assert.deepEqual(p.merchantAccounts.map((m) => [m.id, m.gui]), [['29', 'D15600000000'], ['31', 'D15600000001']]);
    assert.equal(p.additionalData['03'], '1234');
    assert.equal(p.additionalData['09'], 'ME');
    assert.equal(p.atrium, undefined);
  });

  it('parses the other published payloads (UnionPay primitive ID 15, PayNow, Mastercard, Pix)', () => {
    const unionpay = parseMpm(VECTORS.unionpay);
    assert.deepEqual([unionpay.merchantAccounts[0]?.id, unionpay.merchantAccounts[0]?.value, unionpay.currency, unionpay.amount], ['15', '37210116372101160123456789ABCDE', 'USD', '10.00']);
    const paynow = parseMpm(VECTORS.paynow);
    assert.deepEqual([paynow.initiation, paynow.merchantAccounts[0]?.gui, paynow.merchantName, paynow.postalCode, paynow.currency], ['static', 'SG.PAYNOW', 'RATINAN LEE', '828761', undefined]);
    const mastercard = parseMpm(VECTORS.mastercard);
    assert.deepEqual([mastercard.merchantAccounts[0]?.id, mastercard.merchantCity, mastercard.amountMinor], ['05', 'New York', 10000]);
    const pix = parseMpm(VECTORS.pix);
    assert.deepEqual([pix.merchantAccounts[0]?.gui, pix.merchantAccounts[0]?.fields?.['01'], pix.amount, pix.additionalData['05']], ['br.gov.bcb.pix', 'nubank@thalesog.com', '1.00', '***']);
  });

  it('refuses damaged, truncated and incomplete payloads', () => {
    const flip = VECTORS.pix.replace('Sao Paulo', 'Sao Paulx');
    assert.throws(() => parseMpm(flip), invalid);
    assert.throws(() => parseMpm(VECTORS.pix.slice(0, -1)), invalid);
    assert.throws(() => parseMpm(`X${VECTORS.pix}`), invalid);
    assert.throws(() => parseMpm('https://atrium.test/a/app'), invalid);
    assert.throws(() => parseTlv('0002010'), invalid);
    // a well-formed payload without a merchant name
    const body = '000201010211' + '26190010app.atrium0101m' + '52040000' + '5303156' + '5802CN' + '6007BEIJING' + '6304';
    assert.throws(() => parseMpm(body + crcHex(body)), (e: unknown) => invalid(e) && /Merchant name/.test((e as Error).message));
  });

  it('builds static and dynamic Atrium codes that parse back, with local-language names in ID 64', () => {
    const base = { merchantId: 'mch_7k2q', merchantName: 'BEST TRANSPORT', merchantCity: 'BEIJING', countryCode: 'CN', currency: 'CNY' } as const;
    const staticCode = buildMpm({ ...base, local: { language: 'zh', name: '最佳运输', city: '北京' } });
    assert.match(staticCode, /^000201010211/);
    const s = parseMpm(staticCode);
    assert.deepEqual([s.initiation, s.amount, s.atrium?.merchantId, s.atrium?.orderId, s.language?.name], ['static', undefined, 'mch_7k2q', undefined, '最佳运输']);
    const expiresAt = Date.UTC(2026, 10, 23, 11, 0, 0);
    const dynamic = buildMpm({ ...base, currency: 'THB', countryCode: 'TH', order: { id: 'ord_abc123', amount: 12_345, expiresAt }, storeLabel: 'Counter 2' });
    const d = parseMpm(dynamic);
    assert.deepEqual([d.initiation, d.currency, d.amount, d.amountMinor, d.atrium?.orderId, d.atrium?.expiresAt, d.additionalData['03']], ['dynamic', 'THB', '123.45', 12_345, 'ord_abc123', expiresAt, 'Counter 2']);
  });

  it('refuses names that break the spec: over 25/15 characters or not ASCII in 59/60', () => {
    const base = { merchantId: 'm1', merchantName: 'SHOP', merchantCity: 'CITY', countryCode: 'CN', currency: 'CNY' } as const;
    assert.throws(() => buildMpm({ ...base, merchantName: 'A'.repeat(26) }), invalid);
    assert.throws(() => buildMpm({ ...base, merchantCity: 'B'.repeat(16) }), invalid);
    assert.throws(() => buildMpm({ ...base, merchantName: '最佳运输' }), invalid);
    assert.throws(() => buildMpm({ ...base, order: { id: 'o', amount: 0, expiresAt: 0 } }), invalid);
  });

  it('emits codes an independent EMVCo parser (emvqr) accepts, with the same fields, and it rejects a broken CRC', () => {
    const code = buildMpm({
      merchantId: 'mch_7k2q',
      merchantName: 'BEST TRANSPORT',
      merchantCity: 'BEIJING',
      countryCode: 'CN',
      currency: 'CNY',
      merchantCategoryCode: '5812', // emvqr looks every MCC up; it has no entry for the spec's "0000"
      order: { id: 'ord_1', amount: 2_372, expiresAt: Date.UTC(2026, 10, 23, 11) },
      local: { language: 'zh', name: '最佳运输', city: '北京' },
      storeLabel: 'Counter 2',
    });
    const decoded = emvqr.decode(code) as Record<string, { data: unknown }>;
    assert.equal(decoded['54']?.data, '23.72');
    assert.equal(decoded['59']?.data, 'BEST TRANSPORT');
    assert.equal(decoded['60']?.data, 'BEIJING');
    assert.match(String(decoded['53']?.data), /^156/);
    const account = decoded['26']?.data as Record<string, { data: string }>;
    assert.deepEqual([account['00']?.data, account['01']?.data, account['02']?.data], ['app.atrium', 'mch_7k2q', 'ord_1']);
    assert.equal(decoded['64']?.data, '0002ZH0104最佳运输0202北京'); // emvqr leaves ID 64 as text; the length (20 characters) agrees
    assert.throws(() => emvqr.decode(`${code.slice(0, -4)}0000`), /checksum/);
    // and it agrees with our parser on the spec example
    assert.equal((emvqr.decode(VECTORS.spec) as Record<string, { data: unknown }>)['54']?.data, parseMpm(VECTORS.spec).amount);
  });
});
