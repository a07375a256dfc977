/**
 * @module Money in chat: the sheet that sends a transfer or a red packet (amount, shares, random or equal, note,
 * PIN), the transfer and red-packet bubbles with their accept / decline / open flows, and the red packet's
 * detail (who got how much). Every money-moving call keeps one Idempotency-Key per attempt, so pressing again
 * after a lost answer never pays twice; the bubbles update from the message's state (pushed as `money` updates).
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { getRedPacket, openRedPacket, resolveTransfer, sendRedPacket, sendTransfer, type MessageView, type RedPacketView, type TransferView } from '../api/messaging.ts';
import { newIdempotencyKey, type Currency } from '../api/wallet.ts';
import { useI18n } from '../i18n/index.ts';
import { formatMoney, parseAmount, payErrorText } from '../lib/money.ts';
import { useResource } from '../lib/use-resource.ts';
import { Sheet } from '../miniapp/sheet.tsx';
import { CurrencySelect } from '../screens/wallet.tsx';
import { Button } from './button.tsx';
import { Field } from './field.tsx';
import { Notice } from './notice.tsx';
import { PinField } from './pin-field.tsx';

/** Props of {@link SendMoneySheet}. */
export interface SendMoneySheetProps {
  conversationId: string;
  kind: 'transfer' | 'redpacket';
  /** Most shares a red packet may have here (1 in a 1:1 chat; the group's size, at most 100). */
  maxShares: number;
  onSent: (message: MessageView) => void;
  onCancel: () => void;
}

/** The sheet to send a transfer (1:1 chats) or a red packet. */
export function SendMoneySheet(props: SendMoneySheetProps): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const packet = props.kind === 'redpacket';
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<Currency>('CNY');
  const [shares, setShares] = useState(props.maxShares > 1 ? '2' : '1');
  const [mode, setMode] = useState<'random' | 'equal'>('random');
  const [note, setNote] = useState('');
  const [pin, setPin] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const minor = parseAmount(amount, currency);
  const count = packet ? Number(shares) : 1;
  const countOk = Number.isInteger(count) && count >= 1 && count <= props.maxShares;
  // Equal packets are entered per share (as in WeChat); random ones as a total.
  const total = minor === undefined ? undefined : packet && mode === 'equal' ? minor * count : minor;
  const ready = total !== undefined && countOk && pin.length === 6;
  /** A change to what is sent is a new attempt with a new key; a retry of the same one reuses it. */
  const edit = <T,>(set: (value: T) => void) => (value: T) => {
    set(value);
    setKey(newIdempotencyKey());
  };

  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (!ready || busy || total === undefined) return;
    setBusy(true);
    setError(undefined);
    try {
      const sent = packet
        ? await sendRedPacket(props.conversationId, { mode, total, shares: count, currency, note: note.trim(), pin }, key)
        : await sendTransfer(props.conversationId, { amount: total, currency, note: note.trim(), pin }, key);
      props.onSent(sent);
    } catch (e) {
      setError(e);
      setPin('');
      setKey(newIdempotencyKey()); // the server stored this attempt's answer: a corrected one is a new attempt
    } finally {
      setBusy(false);
    }
  };

  return (
    <Sheet title={packet ? t('money.sendRedPacket') : t('money.sendTransfer')} onClose={busy ? undefined : props.onCancel} testId="money-sheet">
      <form class="money-form" onSubmit={(event) => void submit(event)}>
        {error ? (
          <Notice kind="error" testId="money-error">
            {payErrorText(i18n, error)}
          </Notice>
        ) : null}
        {packet && props.maxShares > 1 ? (
          <div class="field">
            <label>{t('money.mode')}</label>
            <div class="segmented" role="radiogroup">
              {(['random', 'equal'] as const).map((m) => (
                <label key={m} class={mode === m ? 'segment segment-on' : 'segment'}>
                  <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => edit(setMode)(m)} data-testid={`money-mode-${m}`} />
                  {t(`money.mode.${m}`)}
                </label>
              ))}
            </div>
          </div>
        ) : null}
        {packet && props.maxShares > 1 ? (
          <Field
            label={t('money.shares')}
            value={shares}
            onInput={edit(setShares)}
            inputMode="tel"
            maxLength={3}
            testId="money-shares"
            error={shares && !countOk ? t('money.shares.invalid', { max: props.maxShares }) : undefined}
          />
        ) : null}
        <div class="amount-row">
          <Field
            label={packet ? (mode === 'equal' ? t('money.amountEach') : t('money.total')) : t('money.amount')}
            value={amount}
            onInput={edit(setAmount)}
            placeholder="0.00"
            testId="money-amount"
            error={amount && minor === undefined ? t('wallet.amount.invalid') : undefined}
          />
          <CurrencySelect value={currency} onChange={edit(setCurrency)} testId="money-currency" />
        </div>
        <Field label={t('money.note')} value={note} onInput={edit(setNote)} maxLength={100} placeholder={packet ? t('money.note.wishes') : ''} testId="money-note" />
        {total !== undefined && packet ? (
          <p class="money-total" data-testid="money-total">
            {formatMoney(intl, total, currency)}
          </p>
        ) : null}
        <PinField label={t('money.pin')} value={pin} onInput={setPin} testId="money-pin" />
        <div class="button-row sheet-actions">
          <Button variant="secondary" disabled={busy} onClick={props.onCancel} testId="money-cancel">
            {t('common.cancel')}
          </Button>
          <Button type="submit" disabled={!ready} busy={busy} testId="money-send">
            {t('money.send')}
          </Button>
        </div>
      </form>
    </Sheet>
  );
}

/** Props of the bubbles. */
export interface MoneyBubbleProps {
  conversationId: string;
  message: MessageView;
  me: string;
  names: Map<string, string>;
  /** The message as the host answered after an action (the socket brings the same update). */
  onChange: (message: MessageView) => void;
  onError: (error: unknown) => void;
}

/** A transfer: amount, note and state; the recipient accepts or declines while it is pending. */
export function TransferBubble(props: MoneyBubbleProps & { transfer: TransferView }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { transfer } = props;
  const [busy, setBusy] = useState<'accept' | 'decline' | undefined>(undefined);
  const [key] = useState(() => ({ accept: newIdempotencyKey(), decline: newIdempotencyKey() }));
  const mine = transfer.senderId === props.me;
  const act = async (action: 'accept' | 'decline'): Promise<void> => {
    setBusy(action);
    try {
      props.onChange(await resolveTransfer(props.conversationId, transfer.id, action, key[action]));
    } catch (e) {
      props.onError(e);
    } finally {
      setBusy(undefined);
    }
  };
  const state =
    transfer.status === 'pending'
      ? mine
        ? t('money.transfer.waiting', { name: props.names.get(transfer.recipientId) ?? t('money.someone') })
        : t('money.transfer.toAccept')
      : t(`money.transfer.${transfer.status}`);
  return (
    <div class={`money-bubble money-transfer money-${transfer.status}`} data-testid="transfer-bubble" data-status={transfer.status}>
      <div class="money-head">
        <span class="money-icon" aria-hidden="true">⇄</span>
        <div>
          <div class="money-amount" data-testid="transfer-amount">
            {formatMoney(intl, transfer.amount, transfer.currency as Currency)}
          </div>
          <div class="money-note">{transfer.note ?? t('money.transfer')}</div>
        </div>
      </div>
      <div class="money-state" data-testid="transfer-state">
        {state}
      </div>
      {transfer.status === 'pending' && transfer.recipientId === props.me ? (
        <div class="button-row">
          <Button small variant="secondary" busy={busy === 'decline'} disabled={busy !== undefined} onClick={() => void act('decline')} testId="transfer-decline">
            {t('money.decline')}
          </Button>
          <Button small busy={busy === 'accept'} disabled={busy !== undefined} onClick={() => void act('accept')} testId="transfer-accept">
            {t('money.accept')}
          </Button>
        </div>
      ) : null}
    </div>
  );
}

/** A red packet: note and state; Open while a share waits for me; Details for everyone. */
export function RedPacketBubble(props: MoneyBubbleProps & { redPacket: RedPacketView; direct: boolean; onDetail: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const { redPacket } = props;
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);
  const mine = redPacket.claims.find((c) => c.userId === props.me);
  const own = redPacket.senderId === props.me;
  const expired = redPacket.status === 'expired' || (redPacket.status === 'active' && Date.now() >= redPacket.expiresAt);
  const canOpen = !mine && redPacket.status === 'active' && !expired && !(props.direct && own);
  const open = async (): Promise<void> => {
    setBusy(true);
    try {
      const opened = await openRedPacket(props.conversationId, redPacket.id, key);
      props.onChange(opened.message);
      props.onDetail();
    } catch (e) {
      props.onError(e);
    } finally {
      setBusy(false);
    }
  };
  const currency = redPacket.currency as Currency;
  const state = mine
    ? t('money.redPacket.got', { amount: formatMoney(intl, mine.amount, currency) })
    : expired
      ? t('money.redPacket.expired')
      : redPacket.status === 'finished'
        ? t('money.redPacket.finished')
        : t('money.redPacket.progress', { opened: redPacket.claims.length, shares: redPacket.shares });
  return (
    <div class={`money-bubble money-packet${mine || expired || redPacket.status === 'finished' ? ' money-done' : ''}`} data-testid="redpacket-bubble" data-status={expired ? 'expired' : redPacket.status} data-opened={mine ? 'true' : 'false'}>
      <div class="money-head">
        <span class="money-icon" aria-hidden="true">福</span>
        <div>
          <div class="money-note">{redPacket.note ?? t('money.note.wishes')}</div>
          <div class="money-state" data-testid="redpacket-state">
            {state}
          </div>
        </div>
      </div>
      <div class="button-row">
        {canOpen ? (
          <Button small busy={busy} onClick={() => void open()} testId="redpacket-open">
            {t('money.open')}
          </Button>
        ) : null}
        <Button small variant="secondary" onClick={props.onDetail} testId="redpacket-details">
          {t('money.details')}
        </Button>
      </div>
    </div>
  );
}

/** Who got how much from a red packet (and what returned to the sender). */
export function RedPacketDetail(props: { conversationId: string; packetId: string; me: string; onClose: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const detail = useResource((signal) => getRedPacket(props.conversationId, props.packetId, signal), [props.packetId]);
  const packet = detail.data?.redPacket;
  const names = new Map((detail.data?.people ?? []).map((p) => [p.id, p.displayName]));
  const currency = (packet?.currency ?? 'CNY') as Currency;
  const opened = packet ? packet.claims.reduce((sum, c) => sum + c.amount, 0) : 0;
  const best = packet && packet.mode === 'random' && packet.status !== 'active' && packet.claims.length > 1 ? Math.max(...packet.claims.map((c) => c.amount)) : undefined;
  return (
    <Sheet title={t('money.detail.title')} onClose={props.onClose} testId="redpacket-detail">
      {detail.error ? <Notice kind="error">{payErrorText(i18n, detail.error)}</Notice> : null}
      {packet ? (
        <div class="money-detail">
          <p class="money-detail-from">{t('money.detail.from', { name: names.get(packet.senderId) ?? t('money.someone') })}</p>
          <p class="money-note">{packet.note ?? t('money.note.wishes')}</p>
          <p class="muted small" data-testid="redpacket-summary">
            {t('money.detail.summary', { opened: packet.claims.length, shares: packet.shares, amount: formatMoney(intl, opened, currency), total: formatMoney(intl, packet.total, currency) })}
          </p>
          {packet.refundedAmount > 0 ? (
            <p class="muted small" data-testid="redpacket-returned">
              {t('money.detail.returned', { amount: formatMoney(intl, packet.refundedAmount, currency) })}
            </p>
          ) : null}
          {packet.claims.length === 0 ? <p class="sheet-empty">{t('money.detail.none')}</p> : null}
          <ul class="sheet-rows money-claims">
            {packet.claims.map((c) => (
              <li key={c.userId} class="row" data-testid="redpacket-claim" data-user={c.userId}>
                <span class="row-main">
                  {names.get(c.userId) ?? t('money.someone')}
                  {c.userId === props.me ? ` (${t('money.you')})` : ''}
                  {best !== undefined && c.amount === best ? <span class="money-best"> {t('money.detail.best')}</span> : null}
                </span>
                <span class="money-claim-amount" data-testid="redpacket-claim-amount">
                  {formatMoney(intl, c.amount, currency)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Sheet>
  );
}
