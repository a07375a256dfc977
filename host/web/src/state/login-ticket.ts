/**
 * @module Scan-to-login on the signed-out browser: shows a ticket, long-polls it, and replaces it when it
 * expires, is used or is refused, until a phone confirms and the session arrives.
 */
import { useEffect, useState } from 'preact/hooks';
import { createLoginTicket, waitForLoginTicket } from '../api/auth.ts';
import { hasCode, isAbort } from '../api/problem.ts';
import type { LoginTicket } from '../api/types.ts';
import { backoff, sleep, whenVisible } from '../lib/sleep.ts';
import { adoptSession } from './session.ts';

/** Where the scan-to-login stands. */
export interface LoginTicketProgress {
  ticket: LoginTicket | undefined;
  /** `creating` before the first ticket; `failing` while the server cannot be reached. */
  status: 'creating' | 'pending' | 'scanned' | 'failing';
  /** Shown for a few seconds on the new code after the phone refused the last one. */
  notice: 'cancelled' | undefined;
  error: unknown;
}

const NOTICE_MS = 5_000;
/** Codes after which this ticket is over and a new one is needed. */
const TICKET_OVER = ['TICKET_EXPIRED', 'TICKET_USED', 'TICKET_NOT_FOUND', 'TICKET_SECRET_INVALID'];

type Report = (update: (previous: LoginTicketProgress) => LoginTicketProgress) => void;

/** Runs scan-to-login while the component is mounted; a confirmed ticket signs this tab in. */
export function useLoginTicket(): LoginTicketProgress {
  const [progress, setProgress] = useState<LoginTicketProgress>({ ticket: undefined, status: 'creating', notice: undefined, error: undefined });
  useEffect(() => {
    const controller = new AbortController();
    runTickets(controller.signal, setProgress).catch((error: unknown) => {
      if (!isAbort(error) && !controller.signal.aborted) console.error('scan-to-login stopped', error);
    });
    return () => controller.abort();
  }, []);
  return progress;
}

async function runTickets(signal: AbortSignal, report: Report): Promise<void> {
  let failures = 0;
  let notice: LoginTicketProgress['notice'];
  while (!signal.aborted) {
    await whenVisible(signal); // no new tickets for a tab nobody looks at
    let ticket: LoginTicket;
    try {
      ticket = await createLoginTicket(signal);
      failures = 0;
    } catch (error) {
      if (isAbort(error)) throw error;
      report((previous) => ({ ...previous, status: 'failing', error }));
      await sleep(backoff(++failures), signal);
      continue;
    }
    report(() => ({ ticket, status: 'pending', notice, error: undefined }));
    if (notice) {
      const shown = ticket;
      setTimeout(() => report((previous) => (previous.ticket === shown ? { ...previous, notice: undefined } : previous)), NOTICE_MS);
    }
    const outcome = await waitOn(ticket, signal, report);
    if (outcome === 'confirmed') return;
    notice = outcome === 'cancelled' ? 'cancelled' : undefined;
  }
}

async function waitOn(ticket: LoginTicket, signal: AbortSignal, report: Report): Promise<'confirmed' | 'cancelled' | 'over'> {
  let failures = 0;
  for (;;) {
    try {
      const state = await waitForLoginTicket(ticket, signal);
      failures = 0;
      if (state.status === 'confirmed') {
        if (!state.session) return 'over';
        adoptSession(state.session);
        return 'confirmed';
      }
      const status = state.status;
      report((previous) => ({ ...previous, status, error: undefined }));
    } catch (error) {
      if (isAbort(error)) throw error;
      if (hasCode(error, 'TICKET_CANCELLED')) return 'cancelled';
      if (hasCode(error, ...TICKET_OVER)) return 'over';
      report((previous) => ({ ...previous, error }));
      await sleep(hasCode(error, 'RATE_LIMITED') && error.retryAfter ? error.retryAfter * 1000 : backoff(++failures), signal);
    }
  }
}
