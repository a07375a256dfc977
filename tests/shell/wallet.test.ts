/**
 * @module The shell's wallet pieces that run without a browser: scanned payment codes open the pay sheet, and
 * typed amounts become minor units exactly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildMpm } from '../../host/src/wallet/emvco.ts';
import { parseAmount } from '../../host/web/src/lib/money.ts';
import { scanTarget } from '../../host/web/src/lib/scan-target.ts';

const ORIGINS = ['https://atrium.example', 'http://127.0.0.1:8080'];

describe('scanned payment codes', () => {
  it('opens the pay sheet for an EMVCo payload, static or dynamic, ASCII or with a local-language name', () => {
    const payloads = [
      buildMpm({ merchantId: 'mch_1', merchantName: 'BEST TRANSPORT', merchantCity: 'BEIJING', countryCode: 'CN', currency: 'CNY' }),
      buildMpm({ merchantId: 'mch_1', merchantName: 'BEST TRANSPORT', merchantCity: 'BEIJING', countryCode: 'CN', currency: 'CNY', order: { id: 'ord_1', amount: 1250, expiresAt: Date.now() + 3_600_000 } }),
      buildMpm({ merchantId: 'mch_1', merchantName: 'BEST TRANSPORT', merchantCity: 'BEIJING', countryCode: 'CN', currency: 'CNY', local: { language: 'ZH', name: '最佳运输', city: '北京' } }),
    ];
    for (const payload of payloads) {
      assert.deepEqual(scanTarget(`${payload}\n`, ORIGINS), { kind: 'pay', path: `/pay?qr=${encodeURIComponent(payload)}` });
    }
  });

  it('opens the pay sheet for this host’s receive and order links only', () => {
    assert.deepEqual(scanTarget('https://atrium.example/r/rc0123456789abcdef', ORIGINS), { kind: 'pay', path: '/r/rc0123456789abcdef' });
    assert.deepEqual(scanTarget('http://127.0.0.1:8080/pay?order=ord_abc123', ORIGINS), { kind: 'pay', path: '/pay?order=ord_abc123' });
    assert.equal(scanTarget('https://evil.example/r/rc0123456789abcdef', ORIGINS).kind, 'text');
    assert.equal(scanTarget('https://atrium.example/r/../../x', ORIGINS).kind, 'text');
  });

  it('leaves text that only looks like a payload as text', () => {
    assert.equal(scanTarget('000201 hello', ORIGINS).kind, 'text');
    assert.equal(scanTarget('0002016304ZZZZ', ORIGINS).kind, 'text');
  });
});

describe('typed amounts', () => {
  it('reads decimals with a point or a comma into minor units, without floating point', () => {
    assert.equal(parseAmount('12', 'CNY'), 1200);
    assert.equal(parseAmount('12.5', 'CNY'), 1250);
    assert.equal(parseAmount(' 12,05 ', 'EUR'), 1205);
    assert.equal(parseAmount('0.29', 'USD'), 29); // 0.29 * 100 is 28.999… in floating point
    assert.equal(parseAmount('1234567.89', 'THB'), 123456789);
  });

  it('refuses zero, negatives, too many decimals and junk', () => {
    for (const text of ['', '0', '0.00', '-1', '1.234', '1e3', 'abc', '1.2.3', '.5']) assert.equal(parseAmount(text, 'CNY'), undefined, text);
  });
});
