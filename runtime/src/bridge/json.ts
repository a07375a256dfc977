/** @module Defensive JSON for guest strings: length checked before parsing, prototype keys dropped, depth bounded. */

import { isPlainObject, isRecord } from '../../../sdk/src/json.ts';
import type { Json } from '../../../sdk/src/protocol.ts';
import { failure } from '../codes.ts';
import type { Outcome } from '../session/types.ts';

/** Keys that a naive merge would turn into prototype pollution; dropped while parsing (reference/sandbox.md §2.4.4). */
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const MAYBE_FORBIDDEN = /__proto__|constructor|prototype|\\u/;

function reviver(key: string, value: unknown): unknown {
  return FORBIDDEN_KEYS.has(key) ? undefined : value;
}

/**
 * `JSON.parse` that drops `__proto__`/`constructor`/`prototype` keys at any depth. A reviver makes the parse
 * several times slower, so it is used only when such a key could be in the text, spelled out or through a `\u`
 * escape. Throws on text that is not JSON.
 */
export function parseWithoutPrototypeKeys(text: string): unknown {
  return MAYBE_FORBIDDEN.test(text) ? JSON.parse(text, reviver) : JSON.parse(text);
}

/** The result of a defensive parse. */
export type SafeParse = { ok: true; value: Json } | { ok: false; reason: 'type' | 'length' | 'syntax' | 'depth' };

/**
 * Parses a guest string: `typeof` and length are checked before `JSON.parse`, `__proto__`/`constructor`/`prototype`
 * keys are dropped by a reviver, and nesting deeper than `maxDepth` is refused.
 */
export function parseGuestJson(text: unknown, maxChars: number, maxDepth: number): SafeParse {
  if (typeof text !== 'string') return { ok: false, reason: 'type' };
  if (text.length > maxChars) return { ok: false, reason: 'length' };
  let value: Json;
  try {
    value = parseWithoutPrototypeKeys(text) as Json;
  } catch {
    return { ok: false, reason: 'syntax' };
  }
  if (jsonDepth(value, maxDepth) > maxDepth) return { ok: false, reason: 'depth' };
  return { ok: true, value };
}

/**
 * Nesting depth of a JSON value (iterative; stops counting once above `limit`). It runs over every entry's output,
 * whole view trees included, so it allocates nothing per node: two parallel stacks, and `for…in` over objects
 * (values here come from `JSON.parse`, so every enumerable key is an own data property).
 */
export function jsonDepth(value: Json, limit: number): number {
  if (value === null || typeof value !== 'object') return 0;
  const nodes: Json[] = [value];
  const depths: number[] = [1];
  let deepest = 0;
  while (nodes.length > 0) {
    const node = nodes.pop() as Json;
    const depth = depths.pop() as number;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) return deepest;
    }
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child = node[i];
        if (child !== null && typeof child === 'object') {
          nodes.push(child as Json);
          depths.push(depth + 1);
        }
      }
    } else {
      const record = node as { [key: string]: Json };
      for (const key in record) {
        const child = record[key];
        if (child !== null && typeof child === 'object') {
          nodes.push(child as Json);
          depths.push(depth + 1);
        }
      }
    }
  }
  return deepest;
}

/** Size of a JSON value once serialized, UTF-8 bytes. */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

/** True for a JSON object (not an array, not null): the SDK's `isRecord`, typed for JSON values. */
export function isJsonObject(value: unknown): value is { [key: string]: Json } {
  return isRecord(value);
}

/**
 * Bounds an event detail before it crosses the IPC: JSON-serializable, at most `maxChars`, at most `maxDepth`
 * deep, and with `__proto__`/`constructor`/`prototype` keys dropped. (A detail too deep for the child's schema
 * would otherwise fail there, and one too deep for `JSON.stringify` would fail the send itself.)
 */
export function checkEventDetail(detail: unknown, maxChars: number, maxDepth: number): Outcome<{ detail: Json }> {
  // Most taps carry nothing, or an empty object: nothing to bound, copy or clean.
  if (detail === undefined || detail === null) return { ok: true, detail: null };
  if (isEmptyPlainObject(detail)) return { ok: true, detail: {} };
  let text: string | undefined;
  try {
    text = JSON.stringify(detail ?? null);
  } catch {
    text = undefined;
  }
  if (text === undefined) return { ok: false, ...failure('INVALID_ARGUMENT', 'The event detail is not JSON') };
  if (text.length > maxChars) return { ok: false, ...failure('PAYLOAD_TOO_LARGE', 'The event detail is too large') };
  const parsed = parseGuestJson(text, maxChars, maxDepth);
  if (!parsed.ok) return { ok: false, ...failure('INVALID_ARGUMENT', 'The event detail is too deep') };
  return { ok: true, detail: parsed.value };
}

function isEmptyPlainObject(value: unknown): boolean {
  return isPlainObject(value) && Reflect.ownKeys(value).length === 0;
}
