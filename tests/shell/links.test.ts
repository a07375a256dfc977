/**
 * @module Where the shell's links lead: scanned codes, `?next=` after sign-in, and browser languages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { negotiateLocale } from '../../host/web/src/i18n/locales.ts';
import { scanTarget } from '../../host/web/src/lib/scan-target.ts';
import { safeNext } from '../../host/web/src/paths.ts';

const ORIGINS = ['https://atrium.example', 'http://127.0.0.1:8080'];

describe('scanned codes', () => {
  it('opens a login ticket link of this host on the confirm screen', () => {
    assert.deepEqual(scanTarget('https://atrium.example/l/lt_70mq16bgjwz0', ORIGINS), { kind: 'login', ticketId: 'lt_70mq16bgjwz0', path: '/l/lt_70mq16bgjwz0' });
  });

  it('opens a card link of this host on the add-contact screen', () => {
    assert.deepEqual(scanTarget(' http://127.0.0.1:8080/c/v45ak0ky1w54a8kc\n', ORIGINS), { kind: 'card', cardCode: 'v45ak0ky1w54a8kc', path: '/c/v45ak0ky1w54a8kc' });
  });

  it('opens a group invite link of this host on the join screen, and only well-formed tokens', () => {
    assert.deepEqual(scanTarget('https://atrium.example/j/inv_Ab3-x_9Qk2LmPz', ORIGINS), { kind: 'invite', token: 'inv_Ab3-x_9Qk2LmPz', path: '/j/inv_Ab3-x_9Qk2LmPz' });
    assert.deepEqual(scanTarget('http://127.0.0.1:8080/j/inv_Ab3-x_9Qk2LmPz/', ORIGINS).kind, 'invite');
    assert.equal(scanTarget('https://evil.example/j/inv_Ab3-x_9Qk2LmPz', ORIGINS).kind, 'text', 'another host');
    assert.equal(scanTarget('https://atrium.example/j/short', ORIGINS).kind, 'text', 'too short to be a token');
    assert.equal(scanTarget('https://atrium.example/j/inv_%2e%2e%2fsettings', ORIGINS).kind, 'text');
    assert.equal(scanTarget('https://atrium.example/j/inv_Ab3x9Qk2/extra', ORIGINS).kind, 'text');
  });

  it('shows links of other hosts as text with an openable URL', () => {
    assert.deepEqual(scanTarget('https://evil.example/l/lt_70mq16bgjwz0', ORIGINS), { kind: 'text', text: 'https://evil.example/l/lt_70mq16bgjwz0', url: 'https://evil.example/l/lt_70mq16bgjwz0' });
  });

  it('shows atrium:// launch links and plain text without a URL to open', () => {
    assert.deepEqual(scanTarget('atrium://app/shop', ORIGINS), { kind: 'text', text: 'atrium://app/shop', url: undefined });
    assert.deepEqual(scanTarget('hello', ORIGINS), { kind: 'text', text: 'hello', url: undefined });
    assert.equal(scanTarget('javascript:alert(1)', ORIGINS).kind, 'text');
    assert.equal((scanTarget('javascript:alert(1)', ORIGINS) as { url?: string }).url, undefined);
  });

  it('does not open unknown paths of this host', () => {
    assert.equal(scanTarget('https://atrium.example/settings', ORIGINS).kind, 'text');
    assert.equal(scanTarget('https://atrium.example/l/../settings', ORIGINS).kind, 'text');
  });
});

describe('returning after sign-in', () => {
  it('keeps paths of the shell', () => {
    assert.equal(safeNext('/l/lt_1'), '/l/lt_1');
  });

  it('refuses other origins and schemes', () => {
    for (const next of ['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '', undefined]) {
      assert.equal(safeNext(next), '/home', String(next));
    }
  });
});

describe('browser languages', () => {
  it('picks the first supported language by its base language', () => {
    assert.equal(negotiateLocale(['de-DE', 'it-CH', 'en']), 'it');
    assert.equal(negotiateLocale(['zh-TW']), 'zh-CN');
    assert.equal(negotiateLocale(['th-TH', 'en']), 'th');
    assert.equal(negotiateLocale(['zh-CN']), 'zh-CN');
  });

  it('falls back to English', () => {
    assert.equal(negotiateLocale(['fr-FR', 'de']), 'en');
    assert.equal(negotiateLocale([]), 'en');
  });
});
