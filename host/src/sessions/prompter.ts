/**
 * @module Asks the person something on the device running a mini-app (consent, modal, action sheet, scan)
 * and waits for the answer. Prompts go out through the socket hub; answers come back through the bus, so the
 * process holding the socket need not be the one holding the session.
 */
import type { Bus } from '../bus/bus.ts';
import { AtriumError } from '../core/errors.ts';
import type { SocketHub } from '../realtime/hub.ts';
import type { AppPrompt } from './protocol.ts';

/** What a prompt asks (everything but the routing fields). */
export type PromptBody = AppPrompt extends infer P ? (P extends AppPrompt ? Omit<P, 't' | 'session' | 'promptId'> : never) : never;

/** The person's answer, as `app.prompt.reply` carries it. */
export type PromptResult =
  | { kind: 'consent'; allow: boolean }
  | { kind: 'modal'; confirm: boolean; content?: string | undefined }
  | { kind: 'actionSheet'; tapIndex: number }
  | { kind: 'scan'; text: string | null }
  | { kind: 'share'; conversationId: string | null; clientId: string }
  | { kind: 'pay'; paid: boolean };

const REPLY = 'sessions.prompt.reply';

/** What a prompt of each kind answers when its session ends: a refusal. */
const CANCELLED: { [K in PromptResult['kind']]: Extract<PromptResult, { kind: K }> } = {
  consent: { kind: 'consent', allow: false },
  modal: { kind: 'modal', confirm: false },
  actionSheet: { kind: 'actionSheet', tapIndex: -1 },
  scan: { kind: 'scan', text: null },
  share: { kind: 'share', conversationId: null, clientId: 'cancelled' },
  pay: { kind: 'pay', paid: false },
};

/** Sends prompts and matches replies. */
export class Prompter {
  readonly #hub: SocketHub;
  readonly #bus: Bus;
  readonly #pending = new Map<string, { resolve: (r: PromptResult) => void; kind: string }>();
  #next = 1;

  constructor(options: { hub: SocketHub; bus: Bus }) {
    this.#hub = options.hub;
    this.#bus = options.bus;
    options.bus.subscribe(REPLY, (event) => {
      const { session, promptId, result } = event as { session: string; promptId: number; result: PromptResult };
      const key = `${session}:${promptId}`;
      const waiting = this.#pending.get(key);
      if (!waiting || waiting.kind !== result.kind) return;
      this.#pending.delete(key);
      waiting.resolve(result);
    });
  }

  /**
   * Shows `body` on `deviceId` for `session` and resolves with the answer; rejects with `PROMPT_TIMEOUT` after
   * `timeoutMs` (the sheet is then stale and its late answer ignored).
   */
  ask(deviceId: string, session: string, body: PromptBody, timeoutMs = 120_000): Promise<PromptResult> {
    const promptId = this.#next++;
    const key = `${session}:${promptId}`;
    return new Promise<PromptResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(key);
        reject(new AtriumError({ code: 'PROMPT_TIMEOUT', detail: 'The person did not answer in time.' }));
      }, timeoutMs);
      timer.unref();
      this.#pending.set(key, {
        kind: body.kind,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result);
        },
      });
      this.#hub.sendToDevice(deviceId, { t: 'app.prompt', session, promptId, ...body });
    });
  }

  /**
   * Routes an `app.prompt.reply` from a socket to whichever process is waiting for it. The caller must have
   * checked that the replying person owns `session`.
   */
  reply(session: string, promptId: number, result: PromptResult): void {
    this.#bus.publish(REPLY, { session, promptId, result });
  }

  /** Fails every prompt of `session` (it ended). */
  cancelAll(session: string): void {
    for (const [key, waiting] of this.#pending) {
      if (!key.startsWith(`${session}:`)) continue;
      this.#pending.delete(key);
      waiting.resolve(CANCELLED[waiting.kind as PromptResult['kind']] ?? CANCELLED.modal);
    }
  }
}
