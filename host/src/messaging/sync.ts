/**
 * @module Sync: a device sends the `seq` of the last update it applied (its cursor) and gets exactly the
 * updates after it, in order, or — when it is too far behind — a snapshot of its conversations and the cursor
 * to continue from. Committed updates arrive on the bus (`messaging.updates`); each process pushes them to the
 * sockets it holds and wakes its long polls. A pushed update carries `cseq` (per conversation) or `pseq`
 * (personal), both consecutive: a device that sees one skip a number missed a push and syncs from its cursor.
 */
import { inArray } from 'drizzle-orm';
import type { Bus } from '../bus/bus.ts';
import type { HostConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { prepareFrame, type PreparedFrame, type SocketHub } from '../realtime/hub.ts';
import type { ConversationService } from './conversations.ts';
import { logHead, readInbox, UPDATES_TOPIC, type FanoutBatch } from './inbox.ts';
import type { MessageService } from './messages.ts';
import { messages } from './schema.ts';
import type { ConversationView, UpdateType, UpdateView } from './views.ts';

/** The answer to a sync. */
export type SyncResult =
  | {
      kind: 'delta';
      updates: UpdateView[];
      /** The seq of the last update given (the cursor to send next time). */
      cursor: number;
      /** True when more updates wait beyond this page: sync again at once. */
      more: boolean;
    }
  | {
      kind: 'snapshot';
      /** Why: the device is too far behind, or its cursor is ahead of the server's log. */
      reason: 'too_far_behind' | 'cursor_ahead';
      conversations: ConversationView[];
      /** Continue from here; history comes from `GET /v1/conversations/{id}/messages`. */
      cursor: number;
    };

/** The bus topic of ephemeral events (typing): `{ recipients: string[], message }`; never stored. */
export const EPHEMERAL_TOPIC = 'messaging.ephemeral';

/** Options of {@link SyncService}. */
export interface SyncServiceOptions {
  database: Database;
  config: HostConfig;
  bus: Bus;
  hub: SocketHub;
  conversations: ConversationService;
  messages: MessageService;
}

/** Sync, the long poll, and delivery to this process's sockets. */
export class SyncService {
  readonly #o: SyncServiceOptions;
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #unsubscribe: Array<() => void>;

  constructor(options: SyncServiceOptions) {
    this.#o = options;
    this.#unsubscribe = [
      options.bus.subscribe(UPDATES_TOPIC, (event) => this.#deliver((event as { batches: FanoutBatch[] }).batches)),
      options.bus.subscribe(EPHEMERAL_TOPIC, (event) => {
        const { recipients, message } = event as { recipients: string[]; message: unknown };
        const frame = prepareFrame(JSON.stringify(message));
        for (const userId of recipients) options.hub.sendLocalToUser(userId, frame);
      }),
    ];
  }

  /** The updates after `cursor`, or a snapshot when the device is too far behind. */
  async sync(userId: string, cursor: number, limit?: number): Promise<SyncResult> {
    const { database, config } = this.#o;
    const db = database.db;
    const head = await logHead(db);
    if (cursor > head) return this.#snapshot(userId, head, 'cursor_ahead');
    const pageSize = Math.min(limit ?? config.messaging.syncPageSize, config.messaging.syncPageSize);
    const rows = await readInbox(db, userId, cursor, Math.max(pageSize, config.messaging.syncMaxDelta) + 1);
    if (rows.length > config.messaging.syncMaxDelta) return this.#snapshot(userId, head, 'too_far_behind');
    const more = rows.length > pageSize;
    const page = rows.slice(0, pageSize);
    const messageIds = [...new Set(page.flatMap((r) => (r.messageId && (r.type === 'message' || r.type === 'recall' || r.type === 'money') ? [r.messageId] : [])))];
    const messageRows = messageIds.length === 0 ? [] : await db.select().from(messages).where(inArray(messages.id, messageIds));
    const views = new Map((await this.#o.messages.views(db, messageRows)).map((v) => [v.id, v]));
    const updates = page.map((r): UpdateView => {
      const update: UpdateView = { seq: r.gseq, type: r.type as UpdateType, conversationId: r.conversationId, at: r.createdAt };
      if (r.userId === null) update.cseq = r.lseq;
      else update.pseq = r.lseq;
      const message = r.messageId ? views.get(r.messageId) : undefined;
      if (message && (r.type === 'message' || r.type === 'recall' || r.type === 'money')) update.message = message;
      if (r.data) update.data = JSON.parse(r.data) as Record<string, unknown>;
      return update;
    });
    return { kind: 'delta', updates, cursor: page.at(-1)?.gseq ?? cursor, more };
  }

  /**
   * Long poll: answers at once when there is something after `cursor`, else waits up to `waitMs` for the next
   * update (or until `signal` aborts: the client went away or the host is stopping) and answers then.
   */
  async wait(userId: string, cursor: number, waitMs: number, signal?: AbortSignal, limit?: number): Promise<SyncResult> {
    // Register before the first read, so an update committed in between still wakes us.
    let woken = false;
    let wake: (() => void) | undefined;
    const waiter = (): void => {
      woken = true;
      wake?.();
    };
    let set = this.#waiters.get(userId);
    if (!set) this.#waiters.set(userId, (set = new Set()));
    set.add(waiter);
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => wake?.();
    try {
      const first = await this.sync(userId, cursor, limit);
      if (first.kind === 'snapshot' || first.updates.length > 0 || waitMs <= 0 || signal?.aborted) return first;
      if (!woken) {
        signal?.addEventListener('abort', onAbort);
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, waitMs);
        });
      }
      return await this.sync(userId, cursor, limit);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      set.delete(waiter);
      if (set.size === 0) this.#waiters.delete(userId);
    }
  }

  /** Sends an ephemeral event (not stored) to the given people's sockets, wherever they are connected. */
  sendEphemeral(recipients: readonly string[], message: unknown): void {
    if (recipients.length > 0) this.#o.bus.publish(EPHEMERAL_TOPIC, { recipients, message });
  }

  /** Stops listening to the bus. */
  close(): void {
    for (const off of this.#unsubscribe) off();
    for (const set of this.#waiters.values()) for (const waiter of set) waiter();
  }

  async #snapshot(userId: string, head: number, reason: 'too_far_behind' | 'cursor_ahead'): Promise<SyncResult> {
    // The head is read before the state: anything committed in between is in both, and replaying it is harmless.
    return { kind: 'snapshot', reason, conversations: await this.#o.conversations.list(userId), cursor: head };
  }

  /** Pushes committed updates to this process's sockets (one serialization per update) and wakes long polls. */
  #deliver(batches: readonly FanoutBatch[]): void {
    const { hub } = this.#o;
    for (const batch of batches) {
      let frame: PreparedFrame | undefined;
      for (const userId of batch.userIds) {
        if (this.#waiters.size > 0) {
          const waiters = this.#waiters.get(userId);
          if (waiters) for (const waiter of [...waiters]) waiter();
        }
        if (!hub.hasLocalUser(userId)) continue;
        frame ??= prepareFrame(`{"t":"chat.update","seq":${batch.seq},${batch.cseq === undefined ? `"pseq":${batch.pseq}` : `"cseq":${batch.cseq}`},"update":${JSON.stringify(batch.update)}}`);
        hub.sendLocalToUser(userId, frame);
      }
    }
  }
}
