/**
 * @module Scan-to-login, as WeChat does on desktop: a signed-out browser shows a ticket as a QR code, a
 * signed-in device scans it and confirms, and the waiting browser (holding the ticket's secret) is signed in.
 */
import { eq } from 'drizzle-orm';
import type { Bus } from '../bus/bus.ts';
import type { HostConfig } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { hashSecret, newId, newSecret, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import { assertUnderLimit, type RateLimiter } from '../http/rate-limiter.ts';
import { deviceNameFromUserAgent } from './device-name.ts';
import { loginTickets, type LoginTicketRow } from './schema.ts';
import type { Caller, ClientInfo, IdentityService, Session } from './service.ts';

/** The states a waiting browser can observe. */
export type TicketState = 'pending' | 'scanned' | 'confirmed' | 'cancelled' | 'expired';

/** A new ticket, for the waiting browser only (the secret is never shown again). */
export interface NewTicket {
  ticketId: string;
  secret: string;
  /** The link the QR code encodes; any phone camera opens it in the shell. */
  url: string;
  expiresAt: number;
}

/** What the scanning device is shown before it confirms. */
export interface TicketView {
  ticketId: string;
  status: TicketState;
  requester: { deviceName: string; userAgent: string };
  createdAt: number;
  expiresAt: number;
}

/** What the waiting browser learns from a wait. */
export type TicketWait = { status: 'pending' | 'scanned'; expiresAt: number } | { status: 'confirmed'; session: Session };

/** Options of {@link LoginTicketService}. */
export interface LoginTicketServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  config: HostConfig;
  bus: Bus;
  identity: IdentityService;
  limiter: RateLimiter;
}

/** How long after expiry a confirmed ticket may still be collected by the waiting browser. */
const COLLECT_GRACE_MS = 60_000;

const topic = (ticketId: string): string => `identity.ticket.${ticketId}`;

/** Creates, shows, confirms and collects login tickets. */
export class LoginTicketService {
  readonly #o: LoginTicketServiceOptions;

  constructor(options: LoginTicketServiceOptions) {
    this.#o = options;
  }

  /** A new ticket for a signed-out browser. */
  async create(client: ClientInfo): Promise<NewTicket> {
    const { database, clock, random, config, limiter } = this.#o;
    const key = `ticket:addr:${client.address}`;
    assertUnderLimit(limiter, clock, key, config.rateLimits.ticketsPerAddress);
    limiter.hit(key, config.rateLimits.windowMs);
    const now = clock.now();
    const ticketId = newId(random, 'lt');
    const secret = newSecret(random, 'lts');
    const expiresAt = now + config.loginTicketTtlMs;
    await database.write((tx) =>
      tx.insert(loginTickets).values({
        id: ticketId,
        secretHash: hashSecret(secret),
        requesterUserAgent: client.userAgent.slice(0, 512),
        requesterName: client.deviceName ?? deviceNameFromUserAgent(client.userAgent),
        status: 'pending',
        createdAt: now,
        expiresAt,
        updatedAt: now,
      }),
    );
    return { ticketId, secret, url: `${config.publicUrl}/l/${ticketId}`, expiresAt };
  }

  /** Shows a signed-in person which device asks to sign in, and marks the ticket scanned. */
  async view(caller: Caller, ticketId: string): Promise<TicketView> {
    const row = await this.#database.write(async (tx) => {
      const row = await this.#load(tx, ticketId);
      this.#assertOpen(row);
      if (row.status === 'scanned' && row.approverDeviceId !== caller.deviceId) {
        throw new AtriumError({ code: 'TICKET_USED', detail: 'Another device already scanned this code.' });
      }
      if (row.status === 'pending') {
        const now = this.#o.clock.now();
        await tx.update(loginTickets).set({ status: 'scanned', approverDeviceId: caller.deviceId, userId: caller.userId, updatedAt: now }).where(eq(loginTickets.id, ticketId));
        return { ...row, status: 'scanned' };
      }
      return row;
    });
    this.#o.bus.publish(topic(ticketId), { status: 'scanned' });
    return this.#toView(row);
  }

  /** Confirms the sign-in: the waiting browser becomes a device of the caller. */
  async confirm(caller: Caller, ticketId: string): Promise<void> {
    await this.#decide(caller, ticketId, 'confirmed');
  }

  /** Refuses the sign-in; the waiting browser is told and must make a new ticket. */
  async cancel(caller: Caller, ticketId: string): Promise<void> {
    await this.#decide(caller, ticketId, 'cancelled');
  }

  /**
   * Long poll for the waiting browser: resolves as soon as the ticket changes, or with its current state
   * after `timeoutMs`. A confirmed ticket is collected here, once: the session is created and returned.
   */
  async wait(ticketId: string, secret: string, timeoutMs: number, signal?: AbortSignal): Promise<TicketWait> {
    const { bus, clock } = this.#o;
    // Subscribe before the first read so a change between the two is not missed.
    let changed = false;
    let wake: (() => void) | undefined;
    const unsubscribe = bus.subscribe(topic(ticketId), () => {
      changed = true;
      wake?.();
    });
    let timer: NodeJS.Timeout | undefined;
    const onAbort = (): void => wake?.();
    try {
      const first = await this.#poll(ticketId, secret);
      if (first.status === 'confirmed' || signal?.aborted) return first;
      if (!changed) {
        const budget = Math.max(0, Math.min(timeoutMs, first.expiresAt - clock.now()));
        signal?.addEventListener('abort', onAbort);
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, budget);
        });
      }
      return await this.#poll(ticketId, secret);
    } finally {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  get #database(): Database {
    return this.#o.database;
  }

  async #poll(ticketId: string, secret: string): Promise<TicketWait> {
    const { clock, identity } = this.#o;
    const row = await this.#load(this.#database.db, ticketId);
    if (row.secretHash !== hashSecret(secret)) throw new AtriumError({ code: 'TICKET_SECRET_INVALID' });
    if (row.status !== 'confirmed') {
      this.#assertOpen(row);
      return { status: row.status === 'scanned' ? 'scanned' : 'pending', expiresAt: row.expiresAt };
    }
    const collected = await this.#database.write(async (tx) => {
      const fresh = await this.#load(tx, ticketId);
      if (fresh.status === 'consumed') throw new AtriumError({ code: 'TICKET_USED' });
      if (fresh.expiresAt + COLLECT_GRACE_MS <= clock.now()) throw new AtriumError({ code: 'TICKET_EXPIRED' });
      if (!fresh.userId) throw new Error(`confirmed ticket ${ticketId} has no user`);
      const client: ClientInfo = { userAgent: fresh.requesterUserAgent, address: 'qr', deviceName: fresh.requesterName };
      const { deviceId, refresh } = await identity.createDevice(tx, fresh.userId, client, 'qr');
      await tx.update(loginTickets).set({ status: 'consumed', deviceId, updatedAt: clock.now() }).where(eq(loginTickets.id, ticketId));
      return { userId: fresh.userId, deviceId, refresh };
    });
    return { status: 'confirmed', session: await identity.sessionFor(collected.userId, collected.deviceId, collected.refresh) };
  }

  async #decide(caller: Caller, ticketId: string, status: 'confirmed' | 'cancelled'): Promise<void> {
    await this.#database.write(async (tx) => {
      const row = await this.#load(tx, ticketId);
      this.#assertOpen(row);
      if (row.status === 'scanned' && row.approverDeviceId !== caller.deviceId) {
        throw new AtriumError({ code: 'TICKET_USED', detail: 'Another device already scanned this code.' });
      }
      await tx
        .update(loginTickets)
        .set({ status, userId: caller.userId, approverDeviceId: caller.deviceId, updatedAt: this.#o.clock.now() })
        .where(eq(loginTickets.id, ticketId));
    });
    this.#o.bus.publish(topic(ticketId), { status });
  }

  async #load(db: Database['db'], ticketId: string): Promise<LoginTicketRow> {
    const [row] = await db.select().from(loginTickets).where(eq(loginTickets.id, ticketId)).limit(1);
    if (!row) throw new AtriumError({ code: 'TICKET_NOT_FOUND' });
    return row;
  }

  /** Throws unless the ticket can still be scanned or decided. */
  #assertOpen(row: LoginTicketRow): void {
    if (row.status === 'consumed' || row.status === 'confirmed') throw new AtriumError({ code: 'TICKET_USED' });
    if (row.status === 'cancelled') throw new AtriumError({ code: 'TICKET_CANCELLED' });
    if (row.expiresAt <= this.#o.clock.now()) throw new AtriumError({ code: 'TICKET_EXPIRED', detail: 'Show a new QR code and scan again.' });
  }

  #toView(row: LoginTicketRow): TicketView {
    return {
      ticketId: row.id,
      status: row.status as TicketState,
      requester: { deviceName: row.requesterName, userAgent: row.requesterUserAgent },
      createdAt: row.createdAt,
      expiresAt: row.expiresAt,
    };
  }
}
