/**
 * @module Wallet: balances per currency, the payment PIN, top-up from a card (test mode labelled, with its test
 * cards), sending to a contact, and the ways in and out (receive QR, payment code, bills).
 */
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { listContacts } from '../api/contacts.ts';
import { hasCode, NETWORK_ERROR } from '../api/problem.ts';
import { CURRENCIES, getWallet, newIdempotencyKey, setPin, topUp, type Currency, type Wallet as WalletData } from '../api/wallet.ts';
import { AppLayout } from '../components/app-layout.tsx';
import { Avatar } from '../components/avatar.tsx';
import { Button } from '../components/button.tsx';
import { Field } from '../components/field.tsx';
import { Icon, type IconName } from '../components/icons.tsx';
import { Loading } from '../components/loading.tsx';
import { Notice } from '../components/notice.tsx';
import { PinField } from '../components/pin-field.tsx';
import { Section } from '../components/section.tsx';
import { useI18n, type MessageId } from '../i18n/index.ts';
import { errorText } from '../i18n/format.ts';
import { formatMoney, parseAmount, payErrorText } from '../lib/money.ts';
import { useAction } from '../lib/use-action.ts';
import { useResource } from '../lib/use-resource.ts';
import { payPath, ROUTES } from '../paths.ts';
import { useWalletUpdates } from '../realtime/connection.ts';

const LINKS: Array<{ href: string; icon: IconName; label: MessageId; testId: string }> = [
  { href: ROUTES.receive, icon: 'scan', label: 'wallet.receive', testId: 'wallet-receive' },
  { href: ROUTES.paymentCode, icon: 'lock', label: 'wallet.paymentCode', testId: 'wallet-payment-code' },
  { href: ROUTES.bills, icon: 'more', label: 'wallet.bills', testId: 'wallet-bills' },
  { href: ROUTES.pos, icon: 'wallet', label: 'wallet.pos', testId: 'wallet-pos' },
  { href: ROUTES.merchants, icon: 'more', label: 'wallet.merchants', testId: 'wallet-merchants' },
];

/** The wallet screen. */
export function Wallet(): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const wallet = useResource((signal) => getWallet(signal), []);
  useWalletUpdates(() => void wallet.reload()); // money in or out, on any device: balances stay current
  const data = wallet.data;
  const balances = (data?.balances ?? []).filter((b) => b.balance !== 0 || b.held !== 0);

  return (
    <AppLayout title={t('wallet.title')} back={ROUTES.home}>
      <Section title={t('wallet.balances')} testId="wallet-balances">
        {wallet.loading && !data ? <Loading /> : null}
        {wallet.error && !data ? <Notice kind="error">{errorText(i18n, wallet.error)}</Notice> : null}
        {data && balances.length === 0 ? <p class="muted">{t('wallet.empty')}</p> : null}
        <ul class="balances">
          {balances.map((b) => (
            <li key={b.currency} class="balance" data-testid={`balance-${b.currency}`} data-minor={String(b.available)}>
              <span class="balance-amount">{formatMoney(intl, b.available, b.currency, { exponent: b.exponent })}</span>
              <span class="muted small">{b.currency}</span>
              {b.held > 0 ? <span class="muted small">{t('wallet.held', { amount: formatMoney(intl, b.held, b.currency, { exponent: b.exponent }) })}</span> : null}
            </li>
          ))}
        </ul>
      </Section>

      <Section flush>
        {LINKS.map((item) => (
          <a key={item.href} class="row row-link" href={item.href} data-testid={item.testId}>
            <span class="row-leading row-icon">
              <Icon name={item.icon} />
            </span>
            <span class="row-text row-title">{t(item.label)}</span>
            <Icon name="chevron" class="row-chevron" />
          </a>
        ))}
      </Section>

      {data ? <PinSection pinSet={data.pinSet} onSet={() => void wallet.reload()} /> : null}
      {data ? <TopUpSection funding={data.funding} onDone={() => void wallet.reload()} /> : null}
      <SendSection />
    </AppLayout>
  );
}

function PinSection(props: { pinSet: boolean; onSet: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const [current, setCurrent] = useState('');
  const [pin, setPinValue] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  const mismatch = repeat.length === 6 && pin !== repeat;
  const ready = pin.length === 6 && pin === repeat && (!props.pinSet || current.length === 6);
  const submit = (event: Event): void => {
    event.preventDefault();
    if (!ready) return;
    setDone(false);
    void action.run('pin', () => setPin(pin, props.pinSet ? current : undefined)).then((ok) => {
      if (!ok) return;
      setCurrent('');
      setPinValue('');
      setRepeat('');
      setDone(true);
      props.onSet();
    });
  };
  return (
    <Section title={props.pinSet ? t('wallet.pin.change') : t('wallet.pin.set')} testId="wallet-pin">
      {!props.pinSet ? <p class="muted small">{t('wallet.pin.why')}</p> : null}
      {done ? <Notice kind="success" testId="pin-saved">{t('wallet.pin.saved')}</Notice> : null}
      {action.error ? <Notice kind="error">{payErrorText(i18n, action.error)}</Notice> : null}
      <form onSubmit={submit}>
        {props.pinSet ? <PinField label={t('wallet.pin.current')} value={current} onInput={setCurrent} testId="pin-current" /> : null}
        <PinField label={t('wallet.pin.new')} value={pin} onInput={setPinValue} testId="pin-new" />
        <PinField label={t('wallet.pin.repeat')} value={repeat} onInput={setRepeat} testId="pin-repeat" error={mismatch ? t('wallet.pin.mismatch') : undefined} />
        <Button type="submit" block disabled={!ready} busy={action.busy === 'pin'} testId="pin-submit">
          {t('common.save')}
        </Button>
      </form>
    </Section>
  );
}

function TopUpSection(props: { funding: WalletData['funding']; onDone: () => void }): JSX.Element {
  const i18n = useI18n();
  const { t, intl } = i18n;
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState<Currency>('CNY');
  const [number, setNumber] = useState('');
  const [expiry, setExpiry] = useState('');
  const [cvc, setCvc] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [done, setDone] = useState<string | undefined>(undefined);
  const action = useAction();
  const minor = parseAmount(amount, currency);
  const exp = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec(expiry.trim());
  const expMonth = exp ? Number(exp[1]) : 0;
  const expYear = exp ? (exp[2]!.length === 2 ? 2000 + Number(exp[2]) : Number(exp[2])) : 0;
  const digits = number.replace(/\s/g, '');
  const ready = minor !== undefined && /^\d{12,19}$/.test(digits) && expMonth >= 1 && expMonth <= 12 && /^\d{3,4}$/.test(cvc);
  // A change to what is paid is a new payment; a retry of the same one reuses its key.
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    setKey(newIdempotencyKey());
  };
  const submit = (event: Event): void => {
    event.preventDefault();
    if (!ready || minor === undefined) return;
    setDone(undefined);
    void action.run('topup', async () => {
      const transaction = await topUp({ amount: minor, currency, card: { number: digits, expMonth, expYear, cvc } }, key).catch((error: unknown) => {
        // Same key only to retry a lost answer; after a decline or failure the next try is a new attempt.
        if (!hasCode(error, NETWORK_ERROR)) setKey(newIdempotencyKey());
        throw error;
      });
      setDone(formatMoney(intl, transaction.amount, transaction.currency));
      setAmount('');
      setKey(newIdempotencyKey());
      props.onDone();
    });
  };
  return (
    <Section title={t('wallet.topup')} testId="wallet-topup">
      {props.funding.test ? (
        <div class="notice notice-info" data-testid="topup-test-mode">
          <strong>{t('wallet.topup.testMode')}</strong> {t('wallet.topup.testModeNote')}
          <ul class="test-cards">
            {props.funding.testCards.map((card) => (
              <li key={card.number}>
                <button
                  type="button"
                  class="btn-link mono"
                  data-testid={`test-card-${card.outcome}`}
                  onClick={() => {
                    setNumber(card.number);
                    setExpiry(`12/${String(new Date().getFullYear() + 3).slice(2)}`);
                    setCvc('123');
                    setKey(newIdempotencyKey());
                  }}
                >
                  {card.number}
                </button>{' '}
                <span class="small">
                  {card.brand} · {card.outcome}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p class="muted small">{props.funding.label}</p>
      )}
      {done ? <Notice kind="success" testId="topup-done">{t('wallet.topup.done', { amount: done })}</Notice> : null}
      {action.error ? <Notice kind="error" testId="topup-error">{errorText(i18n, action.error)}</Notice> : null}
      <form onSubmit={submit}>
        <div class="amount-row">
          <Field label={t('wallet.amount')} value={amount} onInput={edit(setAmount)} inputMode="text" placeholder="0.00" testId="topup-amount" error={amount && minor === undefined ? t('wallet.amount.invalid') : undefined} />
          <CurrencySelect value={currency} onChange={(c) => { setCurrency(c); setKey(newIdempotencyKey()); }} testId="topup-currency" />
        </div>
        <Field label={t('wallet.card.number')} value={number} onInput={edit(setNumber)} inputMode="tel" autocomplete="cc-number" testId="topup-card" />
        <div class="amount-row">
          <Field label={t('wallet.card.expiry')} value={expiry} onInput={edit(setExpiry)} placeholder="MM/YY" autocomplete="cc-exp" testId="topup-expiry" />
          <Field label={t('wallet.card.cvc')} value={cvc} onInput={edit(setCvc)} inputMode="tel" autocomplete="cc-csc" maxLength={4} testId="topup-cvc" />
        </div>
        <Button type="submit" block disabled={!ready} busy={action.busy === 'topup'} testId="topup-submit">
          {t('wallet.topup.submit')}
        </Button>
      </form>
    </Section>
  );
}

/** A currency picker. */
export function CurrencySelect(props: { value: Currency; onChange: (currency: Currency) => void; options?: readonly Currency[]; testId?: string; label?: string }): JSX.Element {
  const { t } = useI18n();
  return (
    <div class="field currency-field">
      <label>
        {props.label ?? t('wallet.currency')}
        <select value={props.value} data-testid={props.testId} onChange={(event) => props.onChange(event.currentTarget.value as Currency)}>
          {(props.options ?? CURRENCIES).map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

function SendSection(): JSX.Element {
  const i18n = useI18n();
  const { t } = i18n;
  const contacts = useResource(() => listContacts(), []);
  return (
    <Section title={t('wallet.send')} flush testId="wallet-send">
      {contacts.loading && !contacts.data ? <Loading /> : null}
      {contacts.error && !contacts.data ? <Notice kind="error">{errorText(i18n, contacts.error)}</Notice> : null}
      {contacts.data && contacts.data.length === 0 ? <p class="empty">{t('wallet.send.noContacts')}</p> : null}
      {(contacts.data ?? []).map(({ person }) => (
        <a key={person.id} class="row row-link" href={payPath({ to: person.id })} data-testid="send-contact" data-handle={person.handle}>
          <span class="row-leading">
            <Avatar id={person.id} name={person.displayName} />
          </span>
          <span class="row-text">
            <span class="row-title">{person.displayName}</span>
            <span class="row-subtitle">@{person.handle}</span>
          </span>
          <Icon name="chevron" class="row-chevron" />
        </a>
      ))}
    </Section>
  );
}


