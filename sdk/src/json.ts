/**
 * @module JSON checks for values that cross the isolate boundary (setData values, bridge arguments): a deep
 * copy that refuses functions, symbols, bigints and cycles instead of letting `JSON.stringify` drop them.
 */
import type { Json } from './protocol.ts';

/** Deepest JSON value accepted. */
export const MAX_JSON_DEPTH = 100;

/**
 * Deep-copies `value` as JSON: `undefined` object fields are dropped (array holes become `null`), non-finite
 * numbers become `null`, objects with `toJSON` (dates) are converted; functions, symbols, bigints, cycles and
 * nesting deeper than 100 throw a TypeError naming the path.
 * @example toJson({ at: new Date(0), skip: undefined }); // { at: '1970-01-01T00:00:00.000Z' }
 */
export function toJson(value: unknown, path = 'value'): Json {
  const seen: object[] = [];
  const copy = (input: unknown, where: string, depth: number): Json | undefined => {
    if (input === null || typeof input === 'string' || typeof input === 'boolean') return input;
    if (typeof input === 'number') return Number.isFinite(input) ? input : null;
    if (input === undefined) return undefined;
    if (typeof input !== 'object') throw new TypeError(`${where} is a ${typeof input}; only JSON values may be used`);
    if (depth > MAX_JSON_DEPTH) throw new TypeError(`${where} is nested deeper than ${MAX_JSON_DEPTH}`);
    const withToJson = input as { toJSON?: unknown };
    if (typeof withToJson.toJSON === 'function') return copy((withToJson.toJSON as () => unknown).call(input), where, depth + 1);
    if (seen.includes(input)) throw new TypeError(`${where} refers to itself (a cycle)`);
    seen.push(input);
    try {
      if (Array.isArray(input)) return input.map((item, i) => copy(item, `${where}[${i}]`, depth + 1) ?? null);
      const out: Record<string, Json> = {};
      for (const key of Object.keys(input)) {
        if (key === '__proto__') continue;
        const item = copy((input as Record<string, unknown>)[key], `${where}.${key}`, depth + 1);
        if (item !== undefined) out[key] = item;
      }
      return out;
    } finally {
      seen.pop();
    }
  };
  return copy(value, path, 0) ?? null;
}

/** True for a plain object: not null, not an array, and made by `{}`, `JSON.parse` or `Object.create(null)`. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
