/**
 * @module Calls of `/v1/auth`: sign up, sign in, sign out, password, and scan-to-login tickets.
 */
import { request } from './client.ts';
import type { LoginTicket, LoginTicketState, LoginTicketView, Session } from './types.ts';

/** What sign-up asks for. */
export interface SignUpInput {
  handle: string;
  displayName: string;
  password: string;
  phone?: string;
  locale?: string;
}

/** Creates an account and signs this browser in (refresh token as an HttpOnly cookie). */
export function signUp(input: SignUpInput): Promise<Session> {
  return request('POST', '/v1/auth/signup', { body: input, auth: false, sessionCookie: true });
}

/** Signs in with handle and password. */
export function signIn(handle: string, password: string): Promise<Session> {
  return request('POST', '/v1/auth/signin', { body: { handle, password }, auth: false, sessionCookie: true });
}

/** Signs this device out (the server also clears the refresh cookie). */
export function signOut(): Promise<void> {
  return request('POST', '/v1/auth/signout');
}

/** Changes the password; every other device is signed out. */
export function changePassword(currentPassword: string, newPassword: string): Promise<{ revokedDevices: number }> {
  return request('POST', '/v1/auth/password', { body: { currentPassword, newPassword } });
}

/** Starts scan-to-login: a ticket to show as a QR code. */
export function createLoginTicket(signal?: AbortSignal): Promise<LoginTicket> {
  return request('POST', '/v1/auth/login-tickets', { auth: false, signal });
}

/** Long-polls a ticket (the server holds it up to 25 s); `confirmed` carries the session. */
export function waitForLoginTicket(ticket: LoginTicket, signal?: AbortSignal): Promise<LoginTicketState> {
  const path = `/v1/auth/login-tickets/${encodeURIComponent(ticket.ticketId)}/wait`;
  return request('POST', path, { body: { secret: ticket.secret }, auth: false, sessionCookie: true, signal });
}

/** On the signed-in device: which device asks to sign in (marks the ticket scanned). */
export function viewLoginTicket(ticketId: string): Promise<LoginTicketView> {
  return request('GET', `/v1/auth/login-tickets/${encodeURIComponent(ticketId)}`);
}

/** Confirms (signs the waiting browser in as me) or refuses a ticket. */
export function answerLoginTicket(ticketId: string, answer: 'confirm' | 'cancel'): Promise<void> {
  return request('POST', `/v1/auth/login-tickets/${encodeURIComponent(ticketId)}/${answer}`);
}
