/**
 * @module Helpers for messaging tests: people who are contacts, groups, and sending as someone.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestHost, TestResponse, TestSession } from '../../helpers/host.ts';

/** Makes `a` and `b` contacts. */
export async function befriend(t: TestHost, a: TestSession, b: TestSession): Promise<void> {
  const asked = await t.call('POST', '/v1/contacts/requests', { token: a.accessToken, json: { handle: b.handle } });
  assert.equal(asked.status, 201, asked.text);
  const accepted = await t.call('POST', `/v1/contacts/requests/${asked.body.id}/accept`, { token: b.accessToken });
  assert.equal(accepted.status, 200, accepted.text);
}

/** Asserts the status and returns the body. */
export function ok(res: TestResponse, status = 200): any {
  assert.equal(res.status, status, res.text);
  return res.body;
}

/** Opens the 1:1 chat of two contacts; returns its id. */
export async function direct(t: TestHost, a: TestSession, b: TestSession): Promise<string> {
  return ok(await t.call('POST', '/v1/conversations/direct', { token: a.accessToken, json: { userId: b.userId } })).id;
}

/** Creates a group owned by `owner` with `members` (who must be the owner's contacts); returns its id. */
export async function group(t: TestHost, owner: TestSession, members: TestSession[], name = 'Group'): Promise<string> {
  return ok(await t.call('POST', '/v1/conversations', { token: owner.accessToken, json: { name, memberIds: members.map((m) => m.userId) } }), 201).id;
}

/** Sends a text; returns the response. */
export async function send(t: TestHost, who: TestSession, conversationId: string, text: string, extra: Record<string, unknown> = {}): Promise<TestResponse> {
  return t.call('POST', `/v1/conversations/${conversationId}/messages`, { token: who.accessToken, json: { clientId: randomUUID(), text, ...extra } });
}

/** Everything in someone's inbox after `cursor` (following `more`). */
export async function syncAll(t: TestHost, who: TestSession, cursor = 0): Promise<{ updates: any[]; cursor: number }> {
  const updates: any[] = [];
  for (;;) {
    const body = ok(await t.call('GET', `/v1/sync?cursor=${cursor}`, { token: who.accessToken }));
    assert.equal(body.kind, 'delta', JSON.stringify(body).slice(0, 300));
    updates.push(...body.updates);
    cursor = body.cursor;
    if (!body.more) return { updates, cursor };
  }
}
