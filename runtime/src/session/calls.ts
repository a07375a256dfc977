/** @module Routing the bridge calls an entry returned: validation, runtime-side APIs, and the host with caps and timeouts. */

import type { Json } from '../../../sdk/src/protocol.ts';
import type { BridgeApi } from '../bridge/registry.ts';
import { sanitizeBridgeResult, type BridgeResult } from '../bridge/registry.ts';
import { validateCall } from '../bridge/validate-call.ts';
import { failure, toFailure, type RuntimeFailure } from '../codes.ts';
import type { RuntimeLimits } from '../config.ts';
import type { RawCall } from './guest-output.ts';
import { isNavigationApi, type NavigationApi } from './navigation.ts';
import { GuestTimers } from './timers.ts';
import { toJson, type HostBridge, type RuntimeClock } from './types.ts';

/** The session side a router answers through. */
export interface CallReplier {
  readonly alive: boolean;
  reply(id: number, outcome: { ok: true; result: Json } | RuntimeFailure): void;
  enqueue<T>(task: () => Promise<T>): Promise<T>;
}

/** Options of a session's call router. */
export interface CallRouterOptions {
  sessionId: string;
  limits: RuntimeLimits;
  clock: RuntimeClock;
  bridge: HostBridge;
  /** Scopes the manifest declares. */
  scopes: ReadonlySet<string>;
  navigate: (api: NavigationApi, args: Json) => Promise<void>;
  fireTimer: (id: number) => Promise<unknown>;
}

/**
 * Answers every call exactly once with a reply entry. Unknown APIs, undeclared scopes and invalid args are refused
 * here and never reach the host; host calls are capped in flight and bounded by a wall timeout.
 */
export class CallRouter {
  readonly #session: CallReplier;
  readonly #options: CallRouterOptions;
  readonly #timers: GuestTimers;
  readonly #firing = new Set<number>();
  #inFlight = 0;

  constructor(session: CallReplier, options: CallRouterOptions) {
    this.#session = session;
    this.#options = options;
    this.#timers = new GuestTimers({
      clock: options.clock,
      max: options.limits.maxTimers,
      minMs: options.limits.minTimerMs,
      fire: (id) => this.#fire(id),
    });
  }

  /** Calls waiting for the host. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Active guest timers. */
  get timers(): number {
    return this.#timers.size;
  }

  /** Validates and dispatches the calls of one entry's output. */
  route(calls: readonly RawCall[]): void {
    const { limits, scopes } = this.#options;
    calls.forEach((call, index) => {
      if (index >= limits.maxCallsPerEntry) {
        this.#session.reply(call.id, failure('RATE_LIMITED', `At most ${limits.maxCallsPerEntry} bridge calls per entry`));
        return;
      }
      const checked = validateCall(call.api, call.args, scopes, limits);
      if (!checked.ok) {
        this.#session.reply(call.id, checked.error);
        return;
      }
      const { api, args } = checked.call;
      if (api.side === 'runtime') this.#runtimeCall(call.id, api, args);
      else this.#hostCall(call.id, api, args);
    });
  }

  /** Stops timers; answers still in flight are dropped. */
  close(): void {
    this.#timers.clearAll();
    this.#firing.clear();
  }

  #runtimeCall(id: number, api: BridgeApi, args: Json): void {
    const session = this.#session;
    if (isNavigationApi(api.name)) {
      const name = api.name;
      session
        .enqueue(async () => {
          try {
            await this.#options.navigate(name, args);
            return { ok: true as const, result: null };
          } catch (error) {
            return toFailure(error);
          }
        })
        .then((outcome) => session.reply(id, outcome))
        .catch(() => undefined);
      return;
    }
    const fields = args as { id: number; ms?: number; repeat?: boolean };
    try {
      if (api.name === 'timer.set') this.#timers.set(fields.id, fields.ms ?? 0, fields.repeat === true);
      else this.#timers.clear(fields.id);
      session.reply(id, { ok: true, result: null });
    } catch (error) {
      session.reply(id, toFailure(error));
    }
  }

  #hostCall(id: number, api: BridgeApi, args: Json): void {
    const { limits, clock, bridge, sessionId } = this.#options;
    if (this.#inFlight >= limits.maxInFlightCalls) {
      this.#session.reply(id, failure('RATE_LIMITED', `At most ${limits.maxInFlightCalls} bridge calls can wait at once`));
      return;
    }
    this.#inFlight++;
    const timeoutMs = Math.min(api.timeoutMs, limits.maxBridgeTimeoutMs);
    let timer: unknown;
    const timedOut = new Promise<BridgeResult>((resolve) => {
      timer = clock.setTimeout(() => resolve({ ok: false, ...failure('BRIDGE_TIMEOUT', `${api.name} did not answer within ${timeoutMs} ms`) }), timeoutMs);
    });
    const answered = Promise.resolve()
      .then(() => bridge(sessionId, api.name, args))
      .then(sanitizeBridgeResult, () => ({ ok: false as const, ...failure('BRIDGE_FAILED') }));
    Promise.race([answered, timedOut]).then((result) => {
      clock.clearTimeout(timer);
      this.#inFlight--;
      if (!this.#session.alive) return;
      this.#session.reply(id, result.ok ? { ok: true, result: toJson(result.result) } : { code: result.code, message: result.message });
    }, () => undefined);
  }

  #fire(id: number): void {
    if (this.#firing.has(id) || !this.#session.alive) return;
    this.#firing.add(id);
    this.#session
      .enqueue(async () => {
        this.#firing.delete(id);
        return this.#options.fireTimer(id);
      })
      .catch(() => undefined);
  }
}
