/**
 * @module Holds the process's `fs.fsync` calls until a test lets each one run, to check that nothing is
 * acknowledged before the write-ahead log is on disk.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

/** The fsyncs held so far, in call order; each entry lets its fsync run. Dispose to restore `fs.fsync` (and run the rest). */
export interface HeldFsyncs extends Disposable {
  readonly held: Array<() => void>;
}

/**
 * Replaces `fs.fsync` (for ESM importers too) with one that waits until the test releases it.
 * @example using fsyncs = holdFsyncs(); …; fsyncs.held.shift()!();
 */
export function holdFsyncs(): HeldFsyncs {
  const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
  const original = fs.fsync;
  const held: Array<() => void> = [];
  fs.fsync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    held.push(() => original(fd, callback));
  }) as typeof fs.fsync;
  syncBuiltinESMExports();
  return {
    held,
    [Symbol.dispose]() {
      fs.fsync = original;
      syncBuiltinESMExports();
      for (const release of held.splice(0)) release();
    },
  };
}
