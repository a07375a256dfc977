/**
 * @module Money in chat: transfers in 1:1 chats and red packets in 1:1 chats and groups.
 *
 * Every state change that moves money is ONE ledger operation, and everything that goes with it — the packet or
 * transfer row, the chat message or its `money` update, the idempotency record — is written in that operation's
 * savepoint through the ledger's hooks, so it commits (durably, by group commit) or rolls back with the money.
 * The money in flight waits in an escrow account per transfer or packet (a system account
 * `s:transfer.<id>:<CUR>` / `s:redpacket.<id>:<CUR>`): its balance must equal what is still owed, which
 * {@link moneyInvariants} proves next to the ledger's own invariants.
 *
 * Opening a share reads the packet inside the operation (`prepare`), sizes the share from what is left, and
 * moves it with a compare-and-set on (`remaining_amount`, `remaining_count`) — the ledger runs operations one
 * after another in its write transaction, so concurrent opens see each other's effect and never over-spend; a
 * person's second open hits the claim's primary key. Expiry (24 h) is run by {@link ChatMoneyService.expireDue}
 * on the injectable clock: the host calls it from a ticker, tests call it after moving their clock.
 */
import { and, eq, lte, sql } from 'drizzle-orm';
import type { Bus } from '../bus/bus.ts';
import type { ContactsService } from '../contacts/service.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database, Db } from '../db/database.ts';
import type { IdentityService, Person } from '../identity/service.ts';
import type { Currency } from '../wallet/currencies.ts';
import type { IdempotencyClaim, IdempotencyService, StoredResponse } from '../wallet/idempotency.ts';
import { accountId, type AccountRef, type Ledger, type LedgerOp, type Outcome, type SubmitHooks, type TransferOp } from '../wallet/ledger.ts';
import type { PinService } from '../wallet/pin.ts';
import { derivedId } from '../wallet/service.ts';
import { ledgerAccounts } from '../wallet/schema.ts';
import { appendConversationEventSync, Fanout } from './inbox.ts';
import { activeMemberIdsSync, appendMessageSync, requireMember, type Membership } from './log.ts';
import { readRedPacket, toRedPacketView, toTransferView } from './money-views.ts';
import { nextShare, uniformDraw, type SplitMode } from './red-packet-split.ts';
import { chatTransfers, conversationMembers, messages, redPacketClaims, redPackets, type ChatTransferRow, type RedPacketRow } from './schema.ts';
import { toMessageView, type MessageView, type RedPacketView } from './views.ts';

/** Limits on money in chat. */
export interface MoneyLimits {
  /** How long a transfer waits for its recipient, and a red packet for its openers. @default 24 h */
  ttlMs: number;
  /** Most shares in one red packet. @default 100 */
  maxShares: number;
  /** Largest red packet per currency, minor units (WeChat: 200 CNY). */
  maxRedPacket: Record<Currency, number>;
}

/** WeChat's personal red packets are capped at 200 CNY; the others are about the same value, rounded. */
export const DEFAULT_MONEY_LIMITS: MoneyLimits = {
  ttlMs: 24 * 3600_000,
  maxShares: 100,
  maxRedPacket: { CNY: 200_00, HKD: 200_00, USD: 30_00, EUR: 30_00, THB: 1000_00 },
};

/** Options of {@link ChatMoneyService}. */
export interface ChatMoneyOptions {
  database: Database;
  clock: Clock;
  random: Random;
  bus: Bus;
  ledger: Ledger;
  pins: PinService;
  idempotency: IdempotencyService;
  contacts: ContactsService;
  identity: IdentityService;
  limits?: Partial<MoneyLimits>;
}

/** A transfer to send: to the other person of a 1:1 chat. */
export interface NewTransfer {
  amount: number;
  currency: Currency;
  note: string;
  pin: string;
}

/** A red packet to send. `total` is split into `shares` (equal packets: the total must divide evenly). */
export interface NewRedPacket {
  mode: SplitMode;
  total: number;
  shares: number;
  currency: Currency;
  note: string;
  pin: string;
}

/** What a money route answers: the message as it is now, and for an open, the share. */
export interface MoneyResult {
  message: MessageView;
  /** The amount of the share just opened (opens only). */
  amount?: number;
}

/** Renders an outcome into the response stored under the idempotency key (and sent). */
export type Render = (outcome: Outcome<MoneyResult>) => StoredResponse;

/** A red packet with the people named in it. */
export interface RedPacketDetail {
  redPacket: RedPacketView;
  people: Person[];
}

/** One broken invariant of money in chat. */
export interface MoneyViolation {
  invariant: 'escrow_matches_packet' | 'packet_sums_to_total' | 'packet_share_count' | 'escrow_matches_transfer';
  detail: string;
}

const person = (userId: string): AccountRef => ({ kind: 'person', owner: userId });
/** The escrow account of a transfer or red packet. */
export const transferEscrow = (id: string): AccountRef => ({ kind: 'system', owner: `transfer.${id}` });
export const packetEscrow = (id: string): AccountRef => ({ kind: 'system', owner: `redpacket.${id}` });

/** Transfers and red packets in chat. Every call acts for `userId` and only in conversations they are in. */
export class ChatMoneyService {
  readonly #o: ChatMoneyOptions;
  readonly #limits: MoneyLimits;
  readonly #draw: (max: number) => number;

  constructor(options: ChatMoneyOptions) {
    this.#o = options;
    this.#limits = { ...DEFAULT_MONEY_LIMITS, ...options.limits };
    this.#draw = uniformDraw(options.random);
  }

  /** The limits in force (for the shell's hints). */
  get limits(): MoneyLimits {
    return this.#limits;
  }

  /**
   * Sends a transfer to the other person of a 1:1 chat; needs the PIN. The money moves into the transfer's escrow
   * and the transfer message appears, in one ledger operation.
   */
  async sendTransfer(userId: string, conversationId: string, input: NewTransfer, claim: IdempotencyClaim, render: Render): Promise<StoredResponse> {
    const { database, pins, clock } = this.#o;
    const membership = await requireMember(database.db, conversationId, userId);
    if (membership.conversation.kind !== 'direct') throw new AtriumError({ code: 'CHAT_TRANSFER_DIRECT_ONLY', detail: 'In a group, send a red packet instead.' });
    const peerId = await this.#assertCanPay(membership, userId);
    await pins.verify(userId, input.pin);
    const transferId = derivedId('tf', claim);
    const note = input.note.trim() || null;
    return this.#run(
      { type: 'single', id: derivedId('tr', claim), debit: person(userId), credit: transferEscrow(transferId), amount: input.amount, currency: input.currency, code: 'chat.transfer', meta: { conversationId, transferId, to: peerId, with: peerId, ...(note ? { note } : {}) } },
      claim,
      render,
      {
        settle: (tx, fanout, transfer) => {
          const now = clock.now();
          const row: ChatTransferRow = {
            id: transferId, conversationId, messageId: '', senderId: userId, recipientId: peerId, amount: input.amount, currency: input.currency, note, status: 'pending',
            expiresAt: now + this.#limits.ttlMs, createdAt: now, resolvedAt: null, sendTransferId: transfer.id, resolveTransferId: null,
          };
          const { view } = this.#append(tx, fanout, now, conversationId, userId, 'transfer', note, row);
          return { message: view };
        },
      },
    );
  }

  /** The recipient accepts a pending transfer: the money moves from escrow into their wallet. */
  async acceptTransfer(userId: string, conversationId: string, transferId: string, claim: IdempotencyClaim, render: Render): Promise<StoredResponse> {
    return this.#resolveTransfer(userId, conversationId, transferId, 'accepted', claim, render);
  }

  /** The recipient declines a pending transfer: the money returns to the sender at once. */
  async declineTransfer(userId: string, conversationId: string, transferId: string, claim: IdempotencyClaim, render: Render): Promise<StoredResponse> {
    return this.#resolveTransfer(userId, conversationId, transferId, 'declined', claim, render);
  }

  /**
   * Sends a red packet; needs the PIN. In a 1:1 chat it is one share (for the other person); in a group at most
   * one share per member and {@link MoneyLimits.maxShares}. Every share is at least 1 minor unit.
   */
  async sendRedPacket(userId: string, conversationId: string, input: NewRedPacket, claim: IdempotencyClaim, render: Render): Promise<StoredResponse> {
    const { database, pins, clock } = this.#o;
    const membership = await requireMember(database.db, conversationId, userId);
    if (membership.conversation.kind === 'direct') await this.#assertCanPay(membership, userId);
    this.#checkPacket(membership, input);
    await pins.verify(userId, input.pin);
    const packetId = derivedId('rp', claim);
    const note = input.note.trim() || null;
    return this.#run(
      { type: 'single', id: derivedId('tr', claim), debit: person(userId), credit: packetEscrow(packetId), amount: input.total, currency: input.currency, code: 'redpacket.send', meta: { conversationId, packetId, shares: input.shares, mode: input.mode, ...(note ? { note } : {}) } },
      claim,
      render,
      {
        settle: (tx, fanout, transfer) => {
          const now = clock.now();
          const row: RedPacketRow = {
            id: packetId, conversationId, messageId: '', senderId: userId, mode: input.mode, currency: input.currency, total: input.total, shares: input.shares,
            remainingAmount: input.total, remainingCount: input.shares, note, status: 'active', refundedAmount: 0, expiresAt: now + this.#limits.ttlMs, createdAt: now,
            finishedAt: null, sendTransferId: transfer.id, refundTransferId: null,
          };
          const { view } = this.#append(tx, fanout, now, conversationId, userId, 'redpacket', note, row);
          return { message: view };
        },
      },
    );
  }

  /**
   * Opens one share of a red packet for `userId`: sized from what is left at that moment, moved from the escrow
   * in one ledger transfer. Each person opens at most one share; the sender may open one in a group, not in a
   * 1:1 chat.
   */
  async openRedPacket(userId: string, conversationId: string, packetId: string, claim: IdempotencyClaim, render: Render): Promise<StoredResponse> {
    const { database, clock } = this.#o;
    const membership = await requireMember(database.db, conversationId, userId);
    const found = this.#visiblePacket(database.db, membership, packetId);
    if (membership.conversation.kind === 'direct' && found.senderId === userId) throw new AtriumError({ code: 'REDPACKET_OWN', detail: 'The other person opens it; what they leave returns to you after 24 hours.' });
    let share = 0;
    return this.#run(
      { type: 'single', id: derivedId('tr', claim), debit: packetEscrow(packetId), credit: person(userId), amount: 1, currency: found.currency as Currency, code: 'redpacket.open', meta: { conversationId, packetId, with: found.senderId } },
      claim,
      render,
      {
        prepare: (tx, op) => {
          const now = clock.now();
          requireMemberSync(tx, conversationId, userId);
          const row = tx.select().from(redPackets).where(eq(redPackets.id, packetId)).get();
          if (!row) throw new AtriumError({ code: 'REDPACKET_NOT_FOUND' });
          const mine = tx.select({ amount: redPacketClaims.amount }).from(redPacketClaims).where(and(eq(redPacketClaims.packetId, packetId), eq(redPacketClaims.userId, userId))).get();
          if (mine) throw new AtriumError({ code: 'REDPACKET_ALREADY_OPENED', detail: `You got ${mine.amount} (minor units) from it.`, extensions: { amount: mine.amount } });
          if (row.status === 'expired' || now >= row.expiresAt) throw new AtriumError({ code: 'REDPACKET_EXPIRED' });
          if (row.status !== 'active' || row.remainingCount < 1) throw new AtriumError({ code: 'REDPACKET_EMPTY' });
          share = nextShare(row.mode as SplitMode, row.remainingAmount, row.remainingCount, this.#draw);
          const left = row.remainingCount - 1;
          // Compare-and-set on (remaining_amount, remaining_count): the share was sized from exactly this state.
          const changed = tx
            .update(redPackets)
            .set({ remainingAmount: row.remainingAmount - share, remainingCount: left, status: left === 0 ? 'finished' : 'active', finishedAt: left === 0 ? now : null })
            .where(and(eq(redPackets.id, packetId), eq(redPackets.status, 'active'), eq(redPackets.remainingAmount, row.remainingAmount), eq(redPackets.remainingCount, row.remainingCount)))
            .run();
          if (changed.changes !== 1) throw new AtriumError({ code: 'REDPACKET_EMPTY', detail: 'The red packet changed while opening; try again.' });
          tx.insert(redPacketClaims).values({ packetId, userId, position: row.shares - row.remainingCount + 1, amount: share, transferId: op.id ?? '', createdAt: now }).run();
          return { ...op, amount: share };
        },
        settle: (tx, fanout) => ({ message: this.#pushUpdate(tx, fanout, clock.now(), conversationId, found.messageId), amount: share }),
      },
    );
  }

  /** A red packet with who got how much, and the people in it (members who can see its message only). */
  async redPacket(userId: string, conversationId: string, packetId: string): Promise<RedPacketDetail> {
    const db = this.#o.database.db;
    const membership = await requireMember(db, conversationId, userId);
    this.#visiblePacket(db, membership, packetId);
    const found = readRedPacket(db, packetId);
    if (!found) throw new AtriumError({ code: 'REDPACKET_NOT_FOUND' });
    const people = await this.#o.identity.people([found.view.senderId, ...found.view.claims.map((c) => c.userId)]);
    return { redPacket: found.view, people: [...people.values()] };
  }

  /**
   * Returns what is due: pending transfers and the unopened rest of red packets older than 24 h go back to their
   * senders, one ledger operation each. Safe to run concurrently and repeatedly (each row moves once).
   */
  async expireDue(): Promise<{ transfers: number; redPackets: number }> {
    const { database, clock } = this.#o;
    const now = clock.now();
    const transfers = database.db.select({ id: chatTransfers.id, conversationId: chatTransfers.conversationId }).from(chatTransfers).where(and(eq(chatTransfers.status, 'pending'), lte(chatTransfers.expiresAt, now))).limit(1000).all();
    const packets = database.db.select().from(redPackets).where(and(eq(redPackets.status, 'active'), lte(redPackets.expiresAt, now))).limit(1000).all();
    const results = await Promise.allSettled([
      ...transfers.map((t) => this.#settleTransfer(t.conversationId, t.id, 'expired', undefined)),
      ...packets.map((p) => this.#refundPacket(p)),
    ]);
    const done = results.map((r) => r.status === 'fulfilled');
    return { transfers: done.slice(0, transfers.length).filter(Boolean).length, redPackets: done.slice(transfers.length).filter(Boolean).length };
  }

  async #resolveTransfer(userId: string, conversationId: string, transferId: string, to: 'accepted' | 'declined', claim: IdempotencyClaim, render: Render): Promise<StoredResponse> {
    const db = this.#o.database.db;
    await requireMember(db, conversationId, userId);
    const row = db.select().from(chatTransfers).where(and(eq(chatTransfers.id, transferId), eq(chatTransfers.conversationId, conversationId))).get();
    if (!row) throw new AtriumError({ code: 'CHAT_TRANSFER_NOT_FOUND' });
    if (row.recipientId !== userId) throw new AtriumError({ code: 'CHAT_TRANSFER_NOT_RECIPIENT' });
    return this.#settleTransfer(conversationId, transferId, to, { userId, claim, render });
  }

  /** Moves a pending transfer's escrow to the recipient (`accepted`) or back to the sender (`declined`, `expired`). */
  async #settleTransfer(conversationId: string, transferId: string, to: 'accepted' | 'declined' | 'expired', by: { userId: string; claim: IdempotencyClaim; render: Render } | undefined): Promise<StoredResponse> {
    const { database, clock } = this.#o;
    const row = database.db.select().from(chatTransfers).where(eq(chatTransfers.id, transferId)).get();
    if (!row) throw new AtriumError({ code: 'CHAT_TRANSFER_NOT_FOUND' });
    const op: TransferOp = {
      type: 'single',
      id: by ? derivedId('tr', by.claim) : newId(this.#o.random, 'tr'),
      debit: transferEscrow(transferId),
      credit: person(to === 'accepted' ? row.recipientId : row.senderId),
      amount: row.amount,
      currency: row.currency as Currency,
      code: to === 'accepted' ? 'chat.transfer.accept' : 'chat.transfer.return',
      // `with`: the person on the other side of the escrow, shown in the bill of whoever gets the money.
      meta: { conversationId, transferId, reason: to, with: to === 'accepted' ? row.senderId : row.recipientId },
    };
    return this.#run(op, by?.claim, by?.render ?? plainRender, {
      prepare: (tx, prepared) => {
        const now = clock.now();
        if (by) requireMemberSync(tx, conversationId, by.userId);
        const current = tx.select().from(chatTransfers).where(eq(chatTransfers.id, transferId)).get();
        if (!current) throw new AtriumError({ code: 'CHAT_TRANSFER_NOT_FOUND' });
        if (current.status !== 'pending') throw new AtriumError({ code: 'CHAT_TRANSFER_RESOLVED', detail: `The transfer is already ${current.status}.`, extensions: { status: current.status } });
        if (to === 'expired' ? current.expiresAt > now : current.expiresAt <= now) {
          throw to === 'expired' ? new AtriumError({ code: 'CHAT_TRANSFER_RESOLVED', detail: 'The transfer has not expired yet.' }) : new AtriumError({ code: 'CHAT_TRANSFER_EXPIRED' });
        }
        const changed = tx
          .update(chatTransfers)
          .set({ status: to, resolvedAt: now, resolveTransferId: prepared.id ?? null })
          .where(and(eq(chatTransfers.id, transferId), eq(chatTransfers.status, 'pending')))
          .run();
        if (changed.changes !== 1) throw new AtriumError({ code: 'CHAT_TRANSFER_RESOLVED' });
        return prepared;
      },
      settle: (tx, fanout) => ({ message: this.#pushUpdate(tx, fanout, clock.now(), conversationId, row.messageId) }),
    });
  }

  /** Returns the unopened rest of an expired red packet to its sender. */
  async #refundPacket(packet: RedPacketRow): Promise<StoredResponse> {
    const { clock } = this.#o;
    const op: TransferOp = { type: 'single', id: newId(this.#o.random, 'tr'), debit: packetEscrow(packet.id), credit: person(packet.senderId), amount: Math.max(1, packet.remainingAmount), currency: packet.currency as Currency, code: 'redpacket.refund', meta: { conversationId: packet.conversationId, packetId: packet.id } };
    return this.#run(op, undefined, plainRender, {
      prepare: (tx, prepared) => {
        const now = clock.now();
        const row = tx.select().from(redPackets).where(eq(redPackets.id, packet.id)).get();
        if (!row || row.status !== 'active' || row.expiresAt > now) throw new AtriumError({ code: 'REDPACKET_EMPTY', detail: 'Nothing to return.' });
        const changed = tx
          .update(redPackets)
          .set({ status: 'expired', refundedAmount: row.remainingAmount, remainingAmount: 0, remainingCount: 0, finishedAt: now, refundTransferId: prepared.id ?? null })
          .where(and(eq(redPackets.id, packet.id), eq(redPackets.status, 'active'), eq(redPackets.remainingAmount, row.remainingAmount)))
          .run();
        if (changed.changes !== 1) throw new AtriumError({ code: 'REDPACKET_EMPTY' });
        return { ...prepared, amount: row.remainingAmount };
      },
      settle: (tx, fanout) => ({ message: this.#pushUpdate(tx, fanout, clock.now(), packet.conversationId, packet.messageId) }),
    });
  }

  /**
   * Submits one ledger operation with everything that goes with it. `prepare` may replace the operation (in its
   * savepoint); `settle` runs after it succeeded, still in the savepoint, and returns the result; the idempotency
   * record (when there is a claim) is written there too. Updates are published after the commit.
   */
  async #run(
    op: TransferOp,
    claim: IdempotencyClaim | undefined,
    render: Render,
    steps: { prepare?: (tx: Db, op: TransferOp) => LedgerOp; settle: (tx: Db, fanout: Fanout, transfer: { id: string }) => MoneyResult },
  ): Promise<StoredResponse> {
    const { ledger, idempotency, bus } = this.#o;
    const fanout = new Fanout();
    let done = false;
    const hooks: SubmitHooks<StoredResponse> = {
      settle: (tx, outcome) => {
        let result: Outcome<MoneyResult>;
        if (outcome.ok) {
          result = { ok: true, value: steps.settle(tx, fanout, outcome.value) };
          done = true;
        } else {
          fanout.batches.length = 0;
          result = outcome;
        }
        const response = render(result);
        return claim ? idempotency.record(tx, claim, response) : response;
      },
    };
    if (claim) hooks.guard = (tx) => idempotency.guard(tx, claim);
    const prepare = steps.prepare;
    if (prepare) hooks.prepare = (tx) => prepare(tx, op);
    const response = await ledger.submit(op, hooks);
    if (done) fanout.publish(bus);
    return response;
  }

  /** Appends a transfer or red-packet message and its row (in the operation's savepoint). */
  #append(tx: Db, fanout: Fanout, now: number, conversationId: string, senderId: string, kind: 'transfer' | 'redpacket', note: string | null, row: ChatTransferRow | RedPacketRow): { view: MessageView } {
    const money = kind === 'transfer' ? { transfer: toTransferView(row as ChatTransferRow) } : { redPacket: toRedPacketView(row as RedPacketRow, []) };
    const appended = appendMessageSync(tx, fanout, this.#o.random, now, { conversationId, senderId, kind, text: note, money });
    row.messageId = appended.row.id;
    if (kind === 'transfer') tx.insert(chatTransfers).values(row as ChatTransferRow).run();
    else tx.insert(redPackets).values(row as RedPacketRow).run();
    tx.update(conversationMembers).set({ readOrder: appended.row.order }).where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, senderId))).run();
    return { view: appended.view };
  }

  /** Pushes the message's current state to every member (a `money` update) and returns it. */
  #pushUpdate(tx: Db, fanout: Fanout, now: number, conversationId: string, messageId: string): MessageView {
    const message = tx.select().from(messages).where(eq(messages.id, messageId)).get();
    if (!message) throw new AtriumError({ code: 'MESSAGE_NOT_FOUND' });
    const money =
      message.kind === 'transfer'
        ? { transfer: toTransferView(tx.select().from(chatTransfers).where(eq(chatTransfers.messageId, messageId)).get()!) }
        : { redPacket: readRedPacket(tx, tx.select({ id: redPackets.id }).from(redPackets).where(eq(redPackets.messageId, messageId)).get()?.id ?? '')?.view };
    const view = toMessageView(message, undefined, undefined, money);
    appendConversationEventSync(tx, fanout, activeMemberIdsSync(tx, conversationId), { type: 'money', conversationId, at: now, message: view }, { messageId }, now);
    return view;
  }

  /** The red packet if its message is one the member may see (sent since they joined), else `REDPACKET_NOT_FOUND`. */
  #visiblePacket(db: Db, { conversation, member }: Membership, packetId: string): RedPacketRow {
    const found = db
      .select({ packet: redPackets, order: messages.order })
      .from(redPackets)
      .innerJoin(messages, eq(messages.id, redPackets.messageId))
      .where(and(eq(redPackets.id, packetId), eq(redPackets.conversationId, conversation.id)))
      .get();
    if (!found || found.order < member.visibleFrom) throw new AtriumError({ code: 'REDPACKET_NOT_FOUND' });
    return found.packet;
  }

  /** In a 1:1 chat: the other person, who must still be a contact and not blocked either way. */
  async #assertCanPay({ conversation }: Membership, userId: string): Promise<string> {
    const peerId = (conversation.directKey ?? '').split(':').find((id) => id !== userId) ?? '';
    const { contacts } = this.#o;
    if (await contacts.isBlockedEitherWay(userId, peerId)) throw new AtriumError({ code: 'CONVERSATION_BLOCKED' });
    if (!(await contacts.areContacts(userId, peerId))) throw new AtriumError({ code: 'CONVERSATION_NOT_CONTACTS', detail: 'You are no longer contacts; send a contact request first.' });
    return peerId;
  }

  #checkPacket({ conversation }: Membership, input: NewRedPacket): void {
    const { maxShares, maxRedPacket } = this.#limits;
    const most = conversation.kind === 'direct' ? 1 : Math.min(maxShares, conversation.memberCount);
    const fail = (detail: string, extensions: Record<string, unknown>): never => {
      throw new AtriumError({ code: 'REDPACKET_LIMIT', detail, extensions });
    };
    if (input.shares > most) {
      fail(conversation.kind === 'direct' ? 'A red packet in a 1:1 chat has one share.' : `At most ${most} shares here (one per member, ${maxShares} at most).`, { maxShares: most });
    }
    if (input.total < input.shares) fail('Every share needs at least 0.01.', { minTotal: input.shares });
    const cap = maxRedPacket[input.currency];
    if (input.total > cap) fail(`A red packet holds at most ${cap} minor units of ${input.currency}.`, { maxTotal: cap, currency: input.currency });
    if (input.mode === 'equal' && input.total % input.shares !== 0) fail('An equal red packet splits into equal shares: make the total a multiple of the shares.', { shares: input.shares });
  }
}

/** For expiry runs, which have no request to answer: a small JSON record of what happened. */
function plainRender(outcome: Outcome<MoneyResult>): StoredResponse {
  if (!outcome.ok) throw outcome.error;
  return { status: 200, contentType: 'application/json', body: JSON.stringify({ messageId: outcome.value.message.id }) };
}

/** {@link requireMember}, synchronously, inside a ledger operation (membership can change between check and write). */
function requireMemberSync(tx: Db, conversationId: string, userId: string): void {
  const row = tx.all<{ one: number }>(sql`select 1 as one from conversation_members where conversation_id = ${conversationId} and user_id = ${userId} and status = 'active' limit 1`);
  if (row.length === 0) throw new AtriumError({ code: 'CONVERSATION_NOT_FOUND' });
}

/**
 * Proves money in chat against the ledger: every red packet's escrow holds exactly its unopened rest, its shares
 * and refund sum to its total, and it has one claim per opened share; every transfer's escrow holds its amount
 * while pending and nothing after. At most 100 violations are listed.
 */
export function moneyInvariants(db: Db): MoneyViolation[] {
  const violations: MoneyViolation[] = [];
  const balance = (id: string): number => db.select({ balance: ledgerAccounts.balance }).from(ledgerAccounts).where(eq(ledgerAccounts.id, id)).get()?.balance ?? 0;
  for (const p of db.select().from(redPackets).all()) {
    if (violations.length >= 100) break;
    const claims = db.select({ amount: redPacketClaims.amount }).from(redPacketClaims).where(eq(redPacketClaims.packetId, p.id)).all();
    const claimed = claims.reduce((sum, c) => sum + c.amount, 0);
    // balance = credits − debits: what came in from the sender minus what went out to openers and back.
    const escrow = balance(accountId(packetEscrow(p.id), p.currency as Currency));
    if (escrow !== p.remainingAmount) violations.push({ invariant: 'escrow_matches_packet', detail: `red packet ${p.id}: escrow holds ${escrow}, ${p.remainingAmount} unopened` });
    if (claimed + p.remainingAmount + p.refundedAmount !== p.total) violations.push({ invariant: 'packet_sums_to_total', detail: `red packet ${p.id}: ${claimed} opened + ${p.remainingAmount} left + ${p.refundedAmount} returned ≠ ${p.total}` });
    const opened = p.status === 'expired' ? claims.length : p.shares - p.remainingCount;
    if (claims.length !== opened || claims.length > p.shares || claims.some((c) => c.amount < 1)) violations.push({ invariant: 'packet_share_count', detail: `red packet ${p.id}: ${claims.length} claims for ${opened} opened shares of ${p.shares}` });
  }
  for (const t of db.select().from(chatTransfers).all()) {
    if (violations.length >= 100) break;
    const escrow = balance(accountId(transferEscrow(t.id), t.currency as Currency));
    const owed = t.status === 'pending' ? t.amount : 0;
    if (escrow !== owed) violations.push({ invariant: 'escrow_matches_transfer', detail: `transfer ${t.id} (${t.status}): escrow holds ${escrow}, owes ${owed}` });
  }
  return violations;
}
