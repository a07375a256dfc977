/**
 * @module `atrium`: the bridge client apps call. Every API of `BRIDGE_APIS` is a method (`'storage.get'` is
 * `atrium.storage.get`), typed from its zod schemas, returning a promise that rejects with an `AtriumError`
 * `{ code, message }`. Only types are imported from the registry, so no zod code lands in the app's bundle;
 * the runtime validates the arguments. Timers are granted by the host: `atrium.setTimeout` and friends.
 */
import { AtriumError } from '../errors.ts';
import { activeSink } from '../guest/context.ts';
import { toJson } from '../json.ts';
import type { Json } from '../protocol.ts';
import type { BridgeApiName, BridgeArgs, BridgeResult } from './registry.ts';

type PublicName = Exclude<BridgeApiName, `timer.${string}`>;
type Method<N extends BridgeApiName> = {} extends BridgeArgs<N> ? (args?: BridgeArgs<N>) => Promise<BridgeResult<N>> : (args: BridgeArgs<N>) => Promise<BridgeResult<N>>;
type TopLevel = Exclude<PublicName, `${string}.${string}`>;
type Namespace = PublicName extends infer N ? (N extends `${infer Space}.${string}` ? Space : never) : never;

/** The host-granted timers (the isolate has no timers of its own). */
export interface AtriumTimers {
  /** Runs `fn` once after `delay` ms; returns an id for `clearTimeout`. */
  setTimeout<A extends unknown[]>(fn: (...args: A) => unknown, delay?: number, ...args: A): number;
  /** Runs `fn` every `delay` ms; returns an id for `clearInterval`. */
  setInterval<A extends unknown[]>(fn: (...args: A) => unknown, delay?: number, ...args: A): number;
  clearTimeout(id: number | undefined): void;
  clearInterval(id: number | undefined): void;
}

/** The type of `atrium`. */
export type AtriumClient = { [N in TopLevel]: Method<N> } & {
  [S in Namespace]: { [N in PublicName as N extends `${S}.${infer Rest}` ? Rest : never]: Method<N> };
} & AtriumTimers;

/**
 * Calls a bridge API by name (what every `atrium.*` method does).
 * @example const { value } = await callBridge('storage.get', { key: 'todos' });
 */
export function callBridge<N extends BridgeApiName>(api: N, args?: BridgeArgs<N>): Promise<BridgeResult<N>> {
  const sink = activeSink();
  if (!sink) return Promise.reject(new AtriumError('NOT_STARTED', `atrium.${api}: the app has not been started (call startApp in the bundle entry)`));
  let json: Json;
  try {
    json = toJson(args ?? {}, `atrium.${api} arguments`);
  } catch (error) {
    return Promise.reject(new AtriumError('INVALID_ARGUMENT', error instanceof Error ? error.message : String(error)));
  }
  return sink.call(api, json) as Promise<BridgeResult<N>>;
}

const timers: AtriumTimers = {
  setTimeout: (fn, delay, ...args) => requireSink('setTimeout').setTimer(fn as (...a: unknown[]) => unknown, delay, false, args),
  setInterval: (fn, delay, ...args) => requireSink('setInterval').setTimer(fn as (...a: unknown[]) => unknown, delay, true, args),
  clearTimeout: (id) => activeSink()?.clearTimer(id),
  clearInterval: (id) => activeSink()?.clearTimer(id),
};

function requireSink(name: string): NonNullable<ReturnType<typeof activeSink>> {
  const sink = activeSink();
  if (!sink) throw new AtriumError('NOT_STARTED', `atrium.${name}: the app has not been started`);
  return sink;
}

/** A callable that is also a namespace: `atrium.storage` (no API) has `get`, `set`, … */
function endpoint(name: string): unknown {
  const children = new Map<string, unknown>();
  const call = (args?: unknown): Promise<unknown> => callBridge(name as BridgeApiName, args as never);
  return new Proxy(call, {
    get(target, prop) {
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      if (prop === 'name' || prop === 'length') return Reflect.get(target, prop);
      let child = children.get(prop);
      if (child === undefined) children.set(prop, (child = endpoint(`${name}.${prop}`)));
      return child;
    },
  });
}

const roots = new Map<string, unknown>();

/**
 * The bridge: `atrium.login()`, `atrium.storage.get({ key })`, `atrium.request({ url })`, `atrium.showToast(…)`,
 * `atrium.setTimeout(fn, ms)`, … (see the README's reference table).
 * @example
 * const { value } = await atrium.storage.get({ key: 'todos' });
 * await atrium.showToast({ title: 'Loaded', icon: 'success' });
 */
export const atrium: AtriumClient = new Proxy(Object.freeze({ ...timers }), {
  get(target, prop) {
    if (typeof prop !== 'string' || prop === 'then') return undefined;
    if (Object.hasOwn(target, prop)) return (target as Record<string, unknown>)[prop];
    let root = roots.get(prop);
    if (root === undefined) roots.set(prop, (root = endpoint(prop)));
    return root;
  },
}) as unknown as AtriumClient;
