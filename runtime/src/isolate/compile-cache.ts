/** @module Compiled-code cache per app version: `cachedData` produced here, on the trusted side, never accepted from uploads. */

import { createHash } from 'node:crypto';
import type ivm from 'isolated-vm';

/** What `compileScript` returns with the cached-data options (the typings leave these fields out). */
type CompiledScript = ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };

interface CacheEntry {
  digest: string;
  data: ivm.ExternalCopy<ArrayBuffer>;
  lastUsed: number;
}

/** A bounded LRU of V8 code caches keyed by app version (`cacheKey`) and checked against the code's digest. */
export interface CompileCache {
  /**
   * Compiles `code` (already wrapped by the caller's `wrap`) in `isolate`, using or producing the cached data for
   * `cacheKey`. `verify` runs first whenever this code has not been compiled here before.
   */
  compile(
    isolate: ivm.Isolate,
    code: string,
    cacheKey: string,
    wrap: (code: string) => string,
    verify: (code: string) => Promise<void>,
  ): Promise<ivm.Script>;
  /** Number of cached versions. */
  readonly size: number;
  /** Drops every entry. */
  clear(): void;
}

/**
 * Creates a compile cache. CVE-2022-39266: cached data is machine code, so it is only ever produced by our own
 * compile in this process and keyed by V8 version implicitly (it never leaves the process).
 */
export function createCompileCache(maxEntries = 256): CompileCache {
  const entries = new Map<string, CacheEntry>();
  let tick = 0;

  function remember(cacheKey: string, digest: string, data: ivm.ExternalCopy<ArrayBuffer>): void {
    const old = entries.get(cacheKey);
    if (old) old.data.release();
    entries.set(cacheKey, { digest, data, lastUsed: ++tick });
    if (entries.size <= maxEntries) return;
    let oldestKey: string | undefined;
    let oldest = Infinity;
    for (const [key, entry] of entries) {
      if (entry.lastUsed < oldest) {
        oldest = entry.lastUsed;
        oldestKey = key;
      }
    }
    if (oldestKey !== undefined) {
      entries.get(oldestKey)?.data.release();
      entries.delete(oldestKey);
    }
  }

  return {
    async compile(isolate, code, cacheKey, wrap, verify) {
      const digest = createHash('sha256').update(code).digest('base64url');
      const filename = `atrium-app:${cacheKey.replace(/[^\w.@-]/g, '_').slice(0, 100)}`;
      const entry = entries.get(cacheKey);
      if (entry && entry.digest === digest) {
        entry.lastUsed = ++tick;
        const script = (await isolate.compileScript(wrap(code), { filename, cachedData: entry.data })) as CompiledScript;
        if (script.cachedDataRejected !== true) return script;
        script.release();
      }
      if (!entry || entry.digest !== digest) await verify(code);
      const script = (await isolate.compileScript(wrap(code), { filename, produceCachedData: true })) as CompiledScript;
      if (script.cachedData) remember(cacheKey, digest, script.cachedData);
      return script;
    },
    get size() {
      return entries.size;
    },
    clear() {
      for (const entry of entries.values()) entry.data.release();
      entries.clear();
    },
  };
}
