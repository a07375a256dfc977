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
  /** Waits (up to 2,000 turns of the event loop) until an fsync is asked for; asserts that exactly one is held. */
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
      for (let i = 0; i < 2_000 && held.length === 0; i++) await nextTurn();
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
 * Runs `act` with fsyncs held and checks that it is not answered before the log is on disk: it asks for an
 * fsync, is still pending 20 turns later, and settles once that fsync has run. Resolves with its result.
 * @example const res = await answeredAfterFsync('the replay', () => t.call('POST', '/v1/wallet/transfers', …));
 */
export async function answeredAfterFsync<T>(what: string, act: () => Promise<T>): Promise<T> {
  using fsyncs = holdFsyncs();
  let answered = false;
  const pending = act().then((value) => ((answered = true), value));
  await fsyncs.firstHeld(what);
  for (let i = 0; i < 20; i++) await nextTurn();
  assert.equal(answered, false, `${what}: not answered before the fsync ends`);
  fsyncs.held.shift()!();
  return await pending;
}
