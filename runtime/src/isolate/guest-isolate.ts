/** @module One hardened isolate with one context: the only object that calls into guest code. */

import ivm from 'isolated-vm';
import { GUEST_GLOBALS } from '../../../sdk/src/protocol.ts';
import { RuntimeError, type RuntimeCode } from '../codes.ts';
import type { RuntimeLimits } from '../config.ts';
import type { CompileCache } from './compile-cache.ts';
import { BOOT_GLOBALS, preludeSource, unframeOutput, wrapBundle } from './prelude.ts';

/** Why an isolate was disposed by the runtime (not by isolated-vm itself). */
export type KillReason = Extract<RuntimeCode, 'TIMEOUT' | 'CPU_BUDGET_EXCEEDED' | 'MEMORY_LIMIT' | 'SESSION_CRASHED' | 'RATE_LIMITED'>;

/**
 * A hardened isolate. Calls into it use async isolated-vm methods with a `timeout` and pass JSON strings only:
 * never a Reference, ExternalCopy, the ivm module or a host Error (reference/sandbox.md pitfall 6).
 */
export class GuestIsolate {
  readonly isolate: ivm.Isolate;
  readonly context: ivm.Context;
  readonly createdAt: number;
  #entry: ivm.Reference<(envelope: string) => string>;
  #check: ivm.Reference<(code: string) => string>;
  #arm: ivm.Reference<() => string>;
  /** Bundles loaded so far (the app's, then its sub-packages'). */
  #loads = 0;
  #killReason: KillReason | undefined;
  #lastCpuNs = 0n;

  /**
   * Called when isolated-vm reports a catastrophic error (V8 state may be corrupt). The runtime child sets it to
   * report and exit, so that the supervisor replaces the process (isolated-vm's README: stop serving, end it).
   */
  static onCatastrophe: (message: string) => void = () => undefined;

  private constructor(
    isolate: ivm.Isolate,
    context: ivm.Context,
    entry: ivm.Reference<(envelope: string) => string>,
    check: ivm.Reference<(code: string) => string>,
    arm: ivm.Reference<() => string>,
  ) {
    this.isolate = isolate;
    this.context = context;
    this.#entry = entry;
    this.#check = check;
    this.#arm = arm;
    this.createdAt = Date.now();
  }

  /** Creates an isolate, one context and runs the trusted prelude in it. */
  static async create(limits: RuntimeLimits): Promise<GuestIsolate> {
    const isolate = new ivm.Isolate({
      memoryLimit: limits.memoryLimitMb,
      onCatastrophicError: (message) => GuestIsolate.onCatastrophe(message),
    });
    try {
      const context = await isolate.createContext();
      await context.eval(preludeSource(limits), { timeout: limits.entryTimeoutMs });
      const entry = await context.global.get(GUEST_GLOBALS.ENTRY, { reference: true });
      const check = await context.global.get(BOOT_GLOBALS.CHECK, { reference: true });
      const arm = await context.global.get(BOOT_GLOBALS.ARM, { reference: true });
      if (entry.typeof !== 'function' || check.typeof !== 'function' || arm.typeof !== 'function') throw new Error('prelude did not install its entries');
      await context.eval(`delete globalThis.${BOOT_GLOBALS.CHECK}; delete globalThis.${BOOT_GLOBALS.ARM};`, { timeout: limits.entryTimeoutMs });
      const guest = new GuestIsolate(
        isolate,
        context,
        entry as ivm.Reference<(envelope: string) => string>,
        check as ivm.Reference<(code: string) => string>,
        arm as ivm.Reference<() => string>,
      );
      return guest;
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /** True once disposed (by us, by a memory kill, or by a crash). */
  get disposed(): boolean {
    return this.isolate.isDisposed;
  }

  /** Why the runtime disposed it, if it did. */
  get killReason(): KillReason | undefined {
    return this.#killReason;
  }

  /** CPU used by the isolate so far, ns; the last value read once it is disposed. */
  cpuNs(): bigint {
    if (!this.isolate.isDisposed) {
      try {
        this.#lastCpuNs = this.isolate.cpuTime;
      } catch {
        // disposed between the check and the read: keep the last value
      }
    }
    return this.#lastCpuNs;
  }

  /**
   * Compiles a bundle (through the host-side cache) and runs its top level under the timeout: first the app's,
   * later a sub-package's (the prelude's boot trampoline is armed again for each after the first).
   */
  async load(code: string, cacheKey: string, cache: CompileCache, timeoutMs: number): Promise<void> {
    try {
      if (this.#loads++ > 0) {
        const armed: unknown = await this.#arm.apply(undefined, [], { timeout: timeoutMs });
        if (armed !== '') throw bootFailure(armed);
      }
      const verify = async (source: string): Promise<void> => {
        const verdict: unknown = await this.#check.apply(undefined, [source], { timeout: timeoutMs });
        if (verdict !== '') throw bootFailure(verdict);
      };
      const script = await cache.compile(this.isolate, code, cacheKey, wrapBundle, verify);
      let verdict: unknown;
      try {
        verdict = await script.run(this.context, { timeout: timeoutMs });
      } finally {
        script.release();
      }
      if (verdict !== '') throw bootFailure(verdict);
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      throw this.#classify(error, 'APP_ERROR');
    }
  }

  /** Calls `__atriumEntry(envelope)` under `timeoutMs`; resolves with the prelude's framed string output. */
  async enter(envelope: string, timeoutMs: number): Promise<string> {
    if (this.isolate.isDisposed) throw new RuntimeError(this.#killReason ?? 'SESSION_CRASHED');
    try {
      const out: unknown = await this.#entry.apply(undefined, [envelope], { timeout: timeoutMs });
      if (typeof out !== 'string') throw new RuntimeError('APP_BAD_OUTPUT');
      return out;
    } catch (error) {
      if (error instanceof RuntimeError) throw error;
      // An unhandled rejection left by the guest makes isolated-vm fail the call after the entry returned
      // (laverdet/isolated-vm#273): the isolate is fine, the entry's output is lost, the app is told.
      throw this.#classify(error, 'APP_ERROR');
    }
  }

  /** Heap in use (`used_heap_size + externally_allocated_size`), bytes; 0 once disposed. */
  heapBytes(): number {
    if (this.isolate.isDisposed) return 0;
    try {
      // The synchronous read takes the idle isolate's lock in ~3 µs; the async one hops to a worker thread
      // and back (~50 µs, more under load), once per entry.
      const stats = this.isolate.getHeapStatisticsSync();
      return stats.used_heap_size + stats.externally_allocated_size;
    } catch {
      return 0;
    }
  }

  /** Disposes the isolate, remembering why; the CPU it used is read first. Safe to call twice. */
  kill(reason: KillReason): void {
    this.cpuNs();
    if (this.#killReason === undefined) this.#killReason = reason;
    this.dispose();
  }

  /** Releases the context and disposes the isolate (never reused after a session). */
  dispose(): void {
    this.cpuNs();
    if (this.isolate.isDisposed) return;
    try {
      this.#entry.release();
      this.#check.release();
      this.#arm.release();
      this.context.release();
    } catch {
      // already released
    }
    try {
      this.isolate.dispose();
    } catch {
      // already disposed
    }
  }

  /** Maps an isolated-vm failure to a code without passing its text (which may hold host paths) along. */
  #classify(error: unknown, fallback: RuntimeCode): RuntimeError {
    if (this.#killReason) return new RuntimeError(this.#killReason, undefined, { cause: error });
    const text = error instanceof Error ? error.message : '';
    if (/timed out/i.test(text)) return new RuntimeError('TIMEOUT', undefined, { cause: error });
    if (/memory limit/i.test(text)) return new RuntimeError('MEMORY_LIMIT', undefined, { cause: error });
    if (this.isolate.isDisposed) return new RuntimeError('SESSION_CRASHED', undefined, { cause: error });
    if (fallback === 'APP_ERROR') {
      return new RuntimeError('APP_ERROR', 'An error or a promise rejection escaped the app unhandled', { cause: error });
    }
    return new RuntimeError(fallback, undefined, { cause: error });
  }
}

/** Turns the prelude's framed failure for a bundle that does not parse or throws at its top level into an error. */
function bootFailure(verdict: unknown): RuntimeError {
  if (typeof verdict !== 'string') return new RuntimeError('APP_BAD_OUTPUT');
  let message = 'The app failed to start';
  try {
    const parsed: unknown = JSON.parse(unframeOutput(verdict).output);
    if (parsed && typeof parsed === 'object' && 'message' in parsed && typeof parsed.message === 'string') {
      message = `The app failed to start: ${parsed.message.slice(0, 300)}`;
    }
  } catch {
    // keep the generic message
  }
  return new RuntimeError('APP_ERROR', message);
}
