/**
 * @module The messages the guest framework understands: protocol.ts's `GuestInbound`, plus `{ t: 'flush' }`.
 *
 * Why `flush`: `await` continuations are microtasks, and isolated-vm runs them in the checkpoint *after* the
 * dispatcher has returned its string. So what a handler does after `await atrium.storage.get(…)` (setData, more
 * bridge calls) cannot be in the result of the `reply` entry that resumed it. The guest keeps such effects in its
 * outbox and returns them from the next entry; the runtime sends `{ t: 'flush' }` right after every other entry
 * to collect them at once (it costs one cheap entry; a flush runs no app code but renders).
 * keep in sync with sdk/src/protocol.ts (GuestInbound) — proposed there as an addition.
 */
import { isRecord } from '../json.ts';
import type { GuestInbound } from '../protocol.ts';

/** Collect what async continuations produced since the last entry. */
export interface GuestFlush {
  t: 'flush';
}

/** Everything the dispatcher accepts. */
export type GuestMessage = GuestInbound | GuestFlush;

const APP_HOOKS = new Set(['launch', 'show', 'hide', 'error']);
const PAGE_HOOKS = new Set(['load', 'restore', 'show', 'hide', 'unload', 'reachBottom', 'pullDownRefresh']);

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isQuery = (v: unknown): boolean => isRecord(v) && Object.values(v).every((x) => typeof x === 'string');

/**
 * Parses and shape-checks a message string from the runtime; returns undefined when it is not one.
 * @example parseGuestMessage('{"t":"timer","id":3}'); // { t: 'timer', id: 3 }
 */
export function parseGuestMessage(json: string): GuestMessage | undefined {
  let msg: unknown;
  try {
    msg = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isRecord(msg)) return undefined;
  switch (msg.t) {
    case 'flush':
    case 'snapshot':
      return msg as unknown as GuestMessage;
    case 'timer':
      return isId(msg.id) ? (msg as unknown as GuestMessage) : undefined;
    case 'reply':
      if (!isId(msg.id)) return undefined;
      if (msg.ok === true) return msg as unknown as GuestMessage;
      return msg.ok === false && isRecord(msg.error) && typeof msg.error.code === 'string' ? (msg as unknown as GuestMessage) : undefined;
    case 'event':
      return isId(msg.pageId) && typeof msg.handler === 'string' ? (msg as unknown as GuestMessage) : undefined;
    case 'app':
      if (typeof msg.hook !== 'string' || !APP_HOOKS.has(msg.hook)) return undefined;
      if (msg.hook === 'error') return typeof msg.error === 'string' ? (msg as unknown as GuestMessage) : undefined;
      return isRecord(msg.options) && typeof msg.options.path === 'string' && isQuery(msg.options.query) ? (msg as unknown as GuestMessage) : undefined;
    case 'page':
      if (typeof msg.hook !== 'string' || !PAGE_HOOKS.has(msg.hook) || !isId(msg.pageId)) return undefined;
      if (msg.hook === 'load' || msg.hook === 'restore') return typeof msg.route === 'string' && isQuery(msg.query) ? (msg as unknown as GuestMessage) : undefined;
      return msg as unknown as GuestMessage;
    default:
      return undefined;
  }
}
