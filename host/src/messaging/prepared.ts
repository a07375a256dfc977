/**
 * @module Prepared statements for the send path. Building a query with drizzle and compiling it in SQLite costs
 * more than running it; a message send runs the same few statements every time, so each is built once per
 * database handle (the reader and the writer are different handles) and then only bound and run.
 */
import type { Db } from '../db/database.ts';

const caches = new WeakMap<Db, Map<string, unknown>>();

/**
 * The statement `key` for `db`, built by `build` the first time.
 * @example const q = prepared(db, 'members', (d) => d.select().from(t).where(eq(t.id, sql.placeholder('id'))).prepare());
 */
export function prepared<T>(db: Db, key: string, build: (db: Db) => T): T {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let statement = cache.get(key) as T | undefined;
  if (statement === undefined) cache.set(key, (statement = build(db)));
  return statement;
}
