/**
 * @module `setData` semantics: path keys (`'user.name'`, `'items[3].done'`) set deep values in page data,
 * creating objects and arrays on the way, as WeChat's `this.setData` does.
 */
import { isRecord, toJson } from '../json.ts';
import type { Json } from '../protocol.ts';

/** One step of a data path: an object key or an array index. */
export type PathSegment = string | number;

const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
/** Largest array index a path may create (keeps a typo from allocating a huge array). */
export const MAX_PATH_INDEX = 100_000;

/**
 * Parses a setData key: a name, then any of `.name` and `[index]`.
 * @example parsePath('items[3].done'); // ['items', 3, 'done']
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const fail = (why: string): never => {
    throw new TypeError(`setData: bad path "${path}": ${why}`);
  };
  let i = 0;
  const readName = (): string => {
    const start = i;
    while (i < path.length && path[i] !== '.' && path[i] !== '[' && path[i] !== ']') i++;
    if (i === start) fail(`expected a name at ${start}`);
    const name = path.slice(start, i);
    if (FORBIDDEN.has(name)) fail(`"${name}" may not be used as a key`);
    return name;
  };
  segments.push(readName());
  while (i < path.length) {
    const c = path[i];
    if (c === '.') {
      i++;
      segments.push(readName());
    } else if (c === '[') {
      const close = path.indexOf(']', i);
      const digits = close < 0 ? '' : path.slice(i + 1, close);
      if (!/^\d{1,9}$/.test(digits)) fail(`expected [index] at ${i}`);
      const index = Number(digits);
      if (index > MAX_PATH_INDEX) fail(`index ${index} is above ${MAX_PATH_INDEX}`);
      segments.push(index);
      i = close + 1;
    } else {
      fail(`unexpected "${c ?? ''}" at ${i}`);
    }
  }
  return segments;
}

/** Sets `value` at `segments` inside `root` (mutating it); `undefined` deletes an object key or nulls an array slot. */
export function setPath(root: Record<string, Json>, segments: readonly PathSegment[], value: Json | undefined): void {
  let container: Record<string, Json> | Json[] = root;
  for (let s = 0; s < segments.length; s++) {
    const segment = segments[s] as PathSegment;
    const last = s === segments.length - 1;
    if (Array.isArray(container)) {
      if (typeof segment !== 'number') throw new TypeError(`setData: "${segment}" is not an index of an array`);
      while (container.length < segment) container.push(null);
      if (last) {
        container[segment] = value === undefined ? null : value;
        return;
      }
      const next: Json | undefined = container[segment];
      if (next === null || next === undefined || typeof next !== 'object') container[segment] = typeof segments[s + 1] === 'number' ? [] : {};
      container = container[segment] as Record<string, Json> | Json[];
    } else {
      const key = String(segment);
      if (last) {
        if (value === undefined) delete container[key];
        else container[key] = value;
        return;
      }
      const next: Json | undefined = Object.hasOwn(container, key) ? container[key] : undefined;
      if (next === null || next === undefined || typeof next !== 'object') container[key] = typeof segments[s + 1] === 'number' ? [] : {};
      container = container[key] as Record<string, Json> | Json[];
    }
  }
}

/**
 * Applies a setData patch to `data` in place: each key is a path, each value is deep-copied as JSON.
 * @example
 * const data = { items: [{ done: false }] };
 * applySetData(data, { 'items[0].done': true, 'user.name': 'Ada' }); // data: { items: [{ done: true }], user: { name: 'Ada' } }
 */
export function applySetData(data: Record<string, Json>, patch: unknown): void {
  if (!isRecord(patch)) throw new TypeError('setData expects an object of { path: value }');
  for (const path of Object.keys(patch)) {
    const raw = patch[path];
    setPath(data, parsePath(path), raw === undefined ? undefined : toJson(raw, `setData["${path}"]`));
  }
}
