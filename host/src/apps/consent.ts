/**
 * @module Consent: which permission scopes a person allowed or denied each app, remembered until revoked.
 */
import { and, eq } from 'drizzle-orm';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { appGrants } from './schema.ts';

/** What to do with a call that needs `scope`: go ahead, refuse, or ask the person in a consent sheet. */
export type ConsentDecision = 'allow' | 'deny' | 'ask';

/** A remembered answer. */
export interface Grant {
  scope: string;
  state: 'allow' | 'deny';
  updatedAt: number;
}

/** Grants per (person, app, scope). */
export class ConsentService {
  readonly #database: Database;
  readonly #clock: Clock;

  constructor(options: { database: Database; clock: Clock }) {
    this.#database = options.database;
    this.#clock = options.clock;
  }

  /**
   * Decides a call needing `scope`. A scope the manifest does not declare is refused outright
   * (`PERMISSION_NOT_DECLARED`); a remembered answer is used; otherwise the person is asked.
   */
  async decide(userId: string, appId: string, scope: string, declared: readonly string[]): Promise<ConsentDecision> {
    if (!declared.includes(scope)) throw new AtriumError({ code: 'PERMISSION_NOT_DECLARED', detail: `Add "${scope}" to req_permissions in the manifest.` });
    const [row] = await this.#database.db
      .select()
      .from(appGrants)
      .where(and(eq(appGrants.userId, userId), eq(appGrants.appId, appId), eq(appGrants.scope, scope)));
    return row ? (row.state as 'allow' | 'deny') : 'ask';
  }

  /** Remembers the person's answer from the consent sheet. */
  async record(userId: string, appId: string, scope: string, state: 'allow' | 'deny'): Promise<void> {
    const updatedAt = this.#clock.now();
    await this.#database.write((tx) =>
      tx
        .insert(appGrants)
        .values({ userId, appId, scope, state, updatedAt })
        .onConflictDoUpdate({ target: [appGrants.userId, appGrants.appId, appGrants.scope], set: { state, updatedAt } }),
    );
  }

  /** The person's remembered answers for an app. */
  async list(userId: string, appId: string): Promise<Grant[]> {
    const rows = await this.#database.db.select().from(appGrants).where(and(eq(appGrants.userId, userId), eq(appGrants.appId, appId)));
    return rows.map((r) => ({ scope: r.scope, state: r.state as 'allow' | 'deny', updatedAt: r.updatedAt })).sort((a, b) => a.scope.localeCompare(b.scope));
  }

  /** Forgets an answer: the app must ask again. Returns false when there was none. */
  async revoke(userId: string, appId: string, scope: string): Promise<boolean> {
    const removed = await this.#database.write((tx) =>
      tx.delete(appGrants).where(and(eq(appGrants.userId, userId), eq(appGrants.appId, appId), eq(appGrants.scope, scope))).returning(),
    );
    return removed.length > 0;
  }
}
