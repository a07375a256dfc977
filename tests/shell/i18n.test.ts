/**
 * @module The shell's message catalogs: every locale complete, every message valid ICU with the same
 * arguments as English, every API error code explained.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { CODES } from '../../host/src/core/codes.ts';
import { LOCALES } from '../../host/web/src/i18n/locales.ts';

type Catalog = Record<string, string>;

const catalogs = new Map<string, Catalog>(
  LOCALES.map((locale) => [locale, JSON.parse(readFileSync(new URL(`../../host/web/src/i18n/messages/${locale}.json`, import.meta.url), 'utf8')) as Catalog]),
);
const english = catalogs.get('en') ?? {};

/** The names of the ICU arguments used anywhere in `elements`, sorted. */
function argumentNames(elements: MessageFormatElement[], into: Set<string> = new Set()): Set<string> {
  for (const element of elements) {
    switch (element.type) {
      case TYPE.argument:
      case TYPE.number:
      case TYPE.date:
      case TYPE.time:
        into.add(element.value);
        break;
      case TYPE.select:
      case TYPE.plural:
        into.add(element.value);
        for (const option of Object.values(element.options)) argumentNames(option.value, into);
        break;
      case TYPE.tag:
        into.add(element.value);
        argumentNames(element.children, into);
        break;
      default:
        break;
    }
  }
  return into;
}

function sorted(names: Set<string>): string[] {
  return [...names].sort();
}

describe('shell messages', () => {
  it('has a catalog for every supported locale', () => {
    assert.deepEqual([...catalogs.keys()], [...LOCALES]);
    assert.ok(Object.keys(english).length > 50, 'the English catalog looks empty');
  });

  it('gives every locale every key that any other locale has', () => {
    const allKeys = new Set([...catalogs.values()].flatMap((catalog) => Object.keys(catalog)));
    const gaps: string[] = [];
    for (const [locale, catalog] of catalogs) {
      const missing = [...allKeys].filter((key) => !Object.hasOwn(catalog, key));
      if (missing.length > 0) gaps.push(`${locale} misses ${missing.join(', ')}`);
    }
    assert.deepEqual(gaps, []);
  });

  it('has no empty messages', () => {
    const empty = [...catalogs].flatMap(([locale, catalog]) => Object.entries(catalog).filter(([, text]) => text.trim() === '').map(([key]) => `${locale}:${key}`));
    assert.deepEqual(empty, []);
  });

  it('parses every message as ICU MessageFormat', () => {
    const invalid: string[] = [];
    for (const [locale, catalog] of catalogs) {
      for (const [key, text] of Object.entries(catalog)) {
        try {
          parse(text);
        } catch (error) {
          invalid.push(`${locale}:${key}: ${(error as Error).message}`);
        }
      }
    }
    assert.deepEqual(invalid, []);
  });

  it('uses the same ICU argument names as English in every translation', () => {
    const mismatches: string[] = [];
    for (const [locale, catalog] of catalogs) {
      if (locale === 'en') continue;
      for (const [key, text] of Object.entries(catalog)) {
        const reference = english[key];
        if (reference === undefined) continue; // reported by the completeness test
        let expected: string[];
        let actual: string[];
        try {
          expected = sorted(argumentNames(parse(reference)));
          actual = sorted(argumentNames(parse(text)));
        } catch {
          continue; // reported by the parse test
        }
        if (expected.join() !== actual.join()) mismatches.push(`${locale}:${key} uses {${actual.join(', ')}}, English uses {${expected.join(', ')}}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });

  it('explains every API error code in English (and so, by completeness, in every locale)', () => {
    const missing = Object.keys(CODES).filter((code) => !Object.hasOwn(english, `errors.${code}`));
    assert.deepEqual(missing, []);
  });

  it('translates rather than copies English', () => {
    for (const [locale, catalog] of catalogs) {
      if (locale === 'en') continue;
      const same = Object.keys(catalog).filter((key) => catalog[key] === english[key]);
      assert.ok(same.length <= Object.keys(english).length * 0.1, `${locale} keeps ${same.length} messages in English: ${same.join(', ')}`);
    }
  });
});
