/**
 * @module Holds the process's `fs.fsync` calls until a test lets each one run, to check that nothing is
 * acknowledged before the write-ahead log is on disk.
 */
import assert from 'node:assert/strict';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** The fsyncs held so far, in call order; each entry lets its fsync run. Dispose to restore `fs.fsync` (and run the rest). */
export interface HeldFsyncs extends Disposable {
  readonly held: Array<() => void>;
  /** Waits (up to 5 s, turn by turn) until an fsync is asked for; asserts that exactly one is held. */
  firstHeld(what: string): Promise<void>;
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
    async firstHeld(what) {
      for (const deadline = Date.now() + 5_000; held.length === 0 && Date.now() < deadline; ) await nextTurn();
      assert.equal(held.length, 1, `${what} asked for an fsync`);
    },
    [Symbol.dispose]() {
      fs.fsync = original;
      syncBuiltinESMExports();
      for (const release of held.splice(0)) release();
    },
  };
}

/**
 * Opens the window a reader can see: with fsyncs held, runs `first` (a request that commits, then waits for its
 * fsync), then `act` (one that reads that commit back, e.g. a retry), and checks that `act` is not answered while
 * the log is not on disk — still pending 20 turns later — and is once the fsyncs run. Resolves with both results.
 * @example const [first, retry] = await answeredAfterFsync('the replay', () => pay(key), () => pay(key));
 */
export async function answeredAfterFsync<F, T>(what: string, first: () => Promise<F>, act: () => Promise<T>): Promise<[F, T]> {
  using fsyncs = holdFsyncs();
  const committed = first();
  await fsyncs.firstHeld(`${what}: the first request`);
  let answered = false;
  const pending = act().then((value) => ((answered = true), value));
  for (let i = 0; i < 20; i++) await nextTurn();
  assert.equal(answered, false, `${what}: not answered before the fsync ends`);
  for (const deadline = Date.now() + 5_000; !answered; ) {
    if (Date.now() > deadline) assert.fail(`${what}: never answered once the fsyncs ran`);
    for (const release of fsyncs.held.splice(0)) release();
    await nextTurn();
  }
  return [await committed, await pending];
}
