/**
 * @module The runtime child process entry: runs every isolate, holds no database handle and no keys, and talks to
 * its supervisor over IPC only. Started by `createRuntimeSupervisor` with `fork(…, { execArgv: ['--no-node-snapshot'] })`.
 */

import type { Json } from '../../../sdk/src/protocol.ts';
import type { BridgeResult } from '../bridge/registry.ts';
import { failure, toFailure } from '../codes.ts';
import type { RuntimeLimits } from '../config.ts';
import { GuestIsolate } from '../isolate/guest-isolate.ts';
import { SessionManager } from '../session/manager.ts';
import type { AppBundle, Outcome, RuntimeOutput } from '../session/types.ts';
import { loadViewOps } from '../view/ops.ts';
import { parseToChild, type ChildBatch, type ChildRequest, type FromChild, type ToChild } from './ipc.ts';

const HEARTBEAT_MS = 500;
/** Longest wait for the host to send a sub-package's bundle, ms. */
const SUBPACKAGE_TIMEOUT_MS = 10_000;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

let outbox: FromChild[] = [];

let flushSoon = false;

/**
 * Queues a message for the supervisor; everything queued in one event-loop turn leaves in one IPC write (each
 * write costs a system call and a wake-up of the host, ~0.1 ms here). Patches leave as soon as the code that
 * made them yields (a microtask), with whatever else it queued: a person is waiting for them, and the entry
 * that collects an event's continuations may still be running. A fatal message flushes at once: the process
 * exits right after it.
 */
function send(message: FromChild): void {
  if (!process.connected) return;
  outbox.push(message);
  if (message.type === 'fatal') flush();
  else {
    if (outbox.length === 1) setImmediate(flush);
    if (message.type === 'output' && message.output.type === 'patches' && !flushSoon) {
      flushSoon = true;
      queueMicrotask(() => {
        flushSoon = false;
        flush();
      });
    }
  }
}

function flush(): void {
  const batch = outbox;
  outbox = [];
  if (batch.length === 0 || !process.connected) return;
  process.send?.(batch.length === 1 ? batch[0] : ({ type: 'batch', messages: batch } satisfies ChildBatch));
}

const pendingBridge = new Map<number, { resolve: (result: BridgeResult) => void; timer: NodeJS.Timeout }>();
let nextCallId = 1;
let manager: SessionManager | undefined;

/**
 * App code by cache key, most recently launched last, so a launch of a version this child already ran does
 * not carry the whole bundle over IPC again (~240 KB of JSON each way for the samples).
 */
const bundleSources = new Map<string, string>();
const MAX_BUNDLE_SOURCES = 64;

function rememberSource(cacheKey: string, code: string): void {
  bundleSources.delete(cacheKey);
  bundleSources.set(cacheKey, code);
  if (bundleSources.size > MAX_BUNDLE_SOURCES) bundleSources.delete(bundleSources.keys().next().value!);
}

function bridge(sessionId: string, api: string, args: Json): Promise<BridgeResult> {
  const callId = nextCallId++;
  return new Promise((resolve) => {
    // The session answers the guest on its own timeout; this timer only forgets a host that never answers.
    const timer = setTimeout(() => {
      if (pendingBridge.delete(callId)) resolve({ ok: false, ...failure('BRIDGE_TIMEOUT') });
    }, (manager?.limits.maxBridgeTimeoutMs ?? 600_000) + 1000);
    timer.unref();
    pendingBridge.set(callId, { resolve, timer });
    send({ type: 'bridge', callId, sessionId, api, args });
  });
}

const pendingSubpackages = new Map<number, { resolve: (result: Outcome<{ bundle: AppBundle }>) => void; timer: NodeJS.Timeout }>();

/** Asks the supervisor (the host) for a sub-package's bundle, the first time a session opens one of its pages. */
function loadSubpackage(sessionId: string, name: string): Promise<Outcome<{ bundle: AppBundle }>> {
  const callId = nextCallId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (pendingSubpackages.delete(callId)) resolve({ ok: false, ...failure('TIMEOUT', 'The host did not send the sub-package in time') });
    }, SUBPACKAGE_TIMEOUT_MS);
    timer.unref();
    pendingSubpackages.set(callId, { resolve, timer });
    send({ type: 'subpackage', callId, sessionId, name });
  });
}

function emit(output: RuntimeOutput): void {
  if (output.type === 'log' && output.message.length > 4000) output.message = output.message.slice(0, 4000);
  send({ type: 'output', output });
}

async function handle(request: ChildRequest): Promise<Outcome<Record<string, unknown>>> {
  if (!manager) return { ok: false, ...failure('RUNTIME_UNAVAILABLE') };
  switch (request.op) {
    case 'launch': {
      const { cacheKey } = request.bundle;
      const code = request.bundle.code ?? bundleSources.get(cacheKey);
      if (code === undefined) return { ok: false, ...failure('BUNDLE_NOT_LOADED') };
      rememberSource(cacheKey, code);
      return manager.launch(request.sessionId, { code, cacheKey }, request.options);
    }
    case 'event':
      return manager.event(request.sessionId, request.pageId, request.handler, request.detail);
    case 'navigate':
      return manager.navigate(request.sessionId, request.api, request.args);
    case 'snapshot':
      return manager.snapshot(request.sessionId);
    case 'close':
      return manager.close(request.sessionId);
    case 'stats': {
      const memory = process.memoryUsage();
      return { ok: true, stats: { ...manager.stats(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed }, sessionIds: manager.sessionIds() };
    }
  }
}

async function init(limits: Partial<RuntimeLimits>, viewModule: string | undefined): Promise<void> {
  const view = await loadViewOps(viewModule);
  manager = new SessionManager({ limits, view, bridge, emit, loadSubpackage });
  await manager.start();
  const heartbeat = setInterval(() => {
    if (!manager) return;
    const memory = process.memoryUsage();
    send({ type: 'heartbeat', stats: { ...manager.stats(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed } });
  }, HEARTBEAT_MS);
  heartbeat.unref();
  send({ type: 'ready', pid: process.pid });
}

process.on('message', (raw: unknown) => {
  let message: ToChild | undefined;
  try {
    message = parseToChild(raw);
  } catch {
    message = undefined;
  }
  if (!message) {
    if (isObject(raw) && raw.type === 'request' && typeof raw.rid === 'number') {
      send({ type: 'response', rid: raw.rid, outcome: { ok: false, ...failure('INVALID_ARGUMENT', 'Malformed request') } });
    }
    emit({ type: 'log', level: 'error', message: 'runtime child: malformed message from the supervisor' });
    return;
  }
  if (message.type === 'init') {
    init(message.limits as Partial<RuntimeLimits>, message.viewModule).catch((error: unknown) => {
      send({ type: 'fatal', message: `runtime child failed to start: ${error instanceof Error ? error.message : String(error)}` });
      process.exit(1);
    });
  } else if (message.type === 'request') {
    const { rid, request } = message;
    handle(request).then(
      (outcome) => send({ type: 'response', rid, outcome }),
      (error: unknown) => send({ type: 'response', rid, outcome: { ok: false, ...toFailure(error) } }),
    );
  } else if (message.type === 'subpackage-reply') {
    const waiting = pendingSubpackages.get(message.callId);
    if (!waiting) return;
    pendingSubpackages.delete(message.callId);
    clearTimeout(waiting.timer);
    waiting.resolve(message.result);
  } else {
    const waiting = pendingBridge.get(message.callId);
    if (!waiting) return;
    pendingBridge.delete(message.callId);
    clearTimeout(waiting.timer);
    waiting.resolve(message.result as BridgeResult);
  }
});

GuestIsolate.onCatastrophe = (message) => {
  send({ type: 'fatal', message: `isolated-vm catastrophic error: ${message.slice(0, 500)}` });
  setTimeout(() => process.exit(70), 50);
};

process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (error) => {
  send({ type: 'fatal', message: `runtime child crashed: ${error.message}` });
  process.exit(70);
});
process.on('unhandledRejection', (reason) => {
  send({ type: 'output', output: { type: 'log', level: 'error', message: `runtime child: unhandled rejection: ${String(reason).slice(0, 500)}` } });
});
