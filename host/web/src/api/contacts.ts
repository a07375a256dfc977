/**
 * @module Calls of `/v1/contacts`: contacts, contact requests and blocks.
 */
import { request } from './client.ts';
import type { Block, Contact, ContactRequest } from './types.ts';

/** Who to ask: by handle, or by a scanned card's code. */
export type RequestTarget = { handle: string } | { cardCode: string };

/** My contacts. */
export async function listContacts(): Promise<Contact[]> {
  return (await request<{ contacts: Contact[] }>('GET', '/v1/contacts')).contacts;
}

/** Removes a contact (both ways). */
export function removeContact(userId: string): Promise<void> {
  return request('DELETE', `/v1/contacts/${encodeURIComponent(userId)}`);
}

/** Requests sent to me and by me. */
export function listRequests(): Promise<{ incoming: ContactRequest[]; outgoing: ContactRequest[] }> {
  return request('GET', '/v1/contacts/requests');
}

/** Asks someone to be my contact; when they had asked me already, this makes us contacts at once. */
export function sendRequest(target: RequestTarget, message: string): Promise<unknown> {
  return request('POST', '/v1/contacts/requests', { body: { ...target, message } });
}

/** Accepts, declines or (for my own request) withdraws a request. */
export function answerRequest(requestId: string, answer: 'accept' | 'decline' | 'withdraw'): Promise<unknown> {
  const path = `/v1/contacts/requests/${encodeURIComponent(requestId)}`;
  return answer === 'withdraw' ? request('DELETE', path) : request('POST', `${path}/${answer}`);
}

/** The people I block. */
export async function listBlocks(): Promise<Block[]> {
  return (await request<{ blocks: Block[] }>('GET', '/v1/contacts/blocks')).blocks;
}

/** Blocks or unblocks someone. */
export function setBlocked(userId: string, blocked: boolean): Promise<void> {
  return request(blocked ? 'PUT' : 'DELETE', `/v1/contacts/blocks/${encodeURIComponent(userId)}`);
}
