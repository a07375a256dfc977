/** @module Compiled-code cache per app version: `cachedData` produced here, on the trusted side, never accepted from uploads. */

import { createHash } from 'node:crypto';
import type ivm from 'isolated-vm';

/** What `compileScript` returns with the cached-data options (the typings leave these fields out). */
type CompiledScript = ivm.Script & { cachedData?: ivm.ExternalCopy<ArrayBuffer>; cachedDataRejected?: boolean };

interface CacheEntry {
  digest: string;
  /**
   * The code the data was made from, kept only until its first run has re-made the data (`recordRun` compares
   * it): holding every cached version's source would keep up to `maxEntries` bundles in memory.
   */
  code: string | undefined;
  data: ivm.ExternalCopy<ArrayBuffer>;
  lastUsed: number;
  /** Whether `data` was made after the code had run (see `recordRun`). */
  ran: boolean;
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
  /**
   * Called once a launch of `cacheKey` has run its code in `isolate` (top level and first page): the first time,
   * the cached data is made again from that isolate, so it also holds the functions the run compiled. V8
   * compiles functions lazily, on first call, and cached data made at compile time holds the top level only
   * (11 KB for a 250 KB bundle, measured): every launch then re-parsed and compiled the bundle's functions as it
   * ran them (~10 ms). Compiling the same source again in the isolate that ran it returns V8's compiled script
   * from the isolate's own cache, functions included, and its cached data carries them (run 10.7 → 0.8 ms).
   */
  recordRun(isolate: ivm.Isolate, code: string, cacheKey: string, wrap: (code: string) => string): Promise<void>;
  /** Size of the cached data held for `cacheKey`, bytes (undefined when none). */
  dataBytes(cacheKey: string): number | undefined;
  /** Number of cached versions. */
  readonly size: number;
  /** Drops every entry. */
  clear(): void;
}

function fileName(cacheKey: string): string {
  return `atrium-app:${cacheKey.replace(/[^\w.@-]/g, '_').slice(0, 100)}`;
}

/**
 * Creates a compile cache. CVE-2022-39266: cached data is machine code, so it is only ever produced by our own
 * compile in this process and keyed by V8 version implicitly (it never leaves the process).
 */
export function createCompileCache(maxEntries = 256): CompileCache {
  const entries = new Map<string, CacheEntry>();
  let tick = 0;

  function remember(cacheKey: string, digest: string, code: string, data: ivm.ExternalCopy<ArrayBuffer>): void {
    const old = entries.get(cacheKey);
    if (old) old.data.release();
    entries.set(cacheKey, { digest, code, data, lastUsed: ++tick, ran: false });
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
      const entry = entries.get(cacheKey);
      const digest = createHash('sha256').update(code).digest('base64url');
      const filename = fileName(cacheKey);
      if (entry && entry.digest === digest) {
        entry.lastUsed = ++tick;
        const script = (await isolate.compileScript(wrap(code), { filename, cachedData: entry.data })) as CompiledScript;
        if (script.cachedDataRejected !== true) return script;
        script.release();
      }
      if (!entry || entry.digest !== digest) await verify(code);
      const script = (await isolate.compileScript(wrap(code), { filename, produceCachedData: true })) as CompiledScript;
      if (script.cachedData) remember(cacheKey, digest, code, script.cachedData);
      return script;
    },
    async recordRun(isolate, code, cacheKey, wrap) {
      const entry = entries.get(cacheKey);
      if (!entry || entry.ran || entry.code !== code || isolate.isDisposed) return;
      entry.ran = true;
      entry.code = undefined;
      const script = (await isolate.compileScript(wrap(code), { filename: fileName(cacheKey), produceCachedData: true })) as CompiledScript;
      script.release();
      // The entry may have been replaced or dropped meanwhile; keep the data only for the same code.
      if (script.cachedData && entries.get(cacheKey) === entry) {
        entry.data.release();
        entry.data = script.cachedData;
      }
    },
    dataBytes(cacheKey) {
      return entries.get(cacheKey)?.data.copy().byteLength;
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
