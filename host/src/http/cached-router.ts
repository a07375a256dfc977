/**
 * @module A hono router that remembers its answers. hono's RegExpRouter refuses a static segment next to a
 * parameter (`/book/new` beside `/book/:id`), so a real API falls back to the TrieRouter, which walks the trie
 * on every request: several microseconds with this host's ~100 routes. Match results depend only on method and
 * path and hono only reads them, so the last answers are kept (bounded, oldest out first).
 */
import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';

/** How many (method, path) answers are kept. @default 4096 */
export const ROUTE_CACHE_SIZE = 4096;

/**
 * Wraps a router with a bounded cache of match results.
 * @example new OpenAPIHono({ router: new CachedRouter() })
 */
export class CachedRouter<T> implements Router<T> {
  readonly name: string;
  readonly #inner: Router<T>;
  readonly #cache = new Map<string, Result<T>>();
  readonly #size: number;

  constructor(inner: Router<T> = new TrieRouter<T>(), size = ROUTE_CACHE_SIZE) {
    this.#inner = inner;
    this.#size = size;
    this.name = `CachedRouter(${inner.name})`;
  }

  add(method: string, path: string, handler: T): void {
    this.#cache.clear();
    this.#inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    const hit = this.#cache.get(key);
    if (hit) return hit;
    const result = this.#inner.match(method, path);
    if (this.#cache.size >= this.#size) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(key, result);
    return result;
  }
}
