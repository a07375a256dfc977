/**
 * @module EMVCo Merchant-Presented Mode (MPM) QR payloads: a parser for any EMVCo MPM code (the spec's example,
 * UnionPay, PayNow, Mastercard, Pix ...) and an encoder for Atrium's static and dynamic merchant codes.
 *
 * A payload is a flat string of data objects `ID (2 digits) + LENGTH (2 digits) + VALUE`; templates nest the
 * same format in their value. Lengths count characters (`0104最佳运输` is four), so parsing walks code points.
 * It starts with `000201` and ends with the CRC `6304XXXX`: CRC-16/CCITT-FALSE (polynomial 0x1021, initial
 * 0xFFFF, no reflection, no final XOR) over the UTF-8 bytes of everything up to and including `6304`.
 * @see https://www.emvco.com/specifications/ (EMV QR Code Specification for Payment Systems, MPM v1.1)
 */
import { AtriumError } from '../core/errors.ts';
import { CURRENCIES, formatAmount, type Currency } from './currencies.ts';

/** Atrium's Globally Unique Identifier in its merchant-account template (reverse domain, as SG.PAYNOW). */
export const ATRIUM_GUI = 'app.atrium';
/** Where Atrium's template sits: the first of the templates (26–51) open to any payment system. */
export const ATRIUM_TEMPLATE_ID = '26';

/** CRC-16/CCITT-FALSE of `data`'s UTF-8 bytes. Check value: `"123456789"` → 0x29B1. */
export function crc16(data: string): number {
  let crc = 0xffff;
  for (const byte of Buffer.from(data, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The CRC as the payload carries it: four upper-case hex digits, zero-padded. */
export function crcHex(data: string): string {
  return crc16(data).toString(16).toUpperCase().padStart(4, '0');
}

/** One data object; `children` for templates. */
export interface DataObject {
  id: string;
  value: string;
  children?: DataObject[];
}

function invalid(detail: string): AtriumError {
  return new AtriumError({ code: 'WALLET_QR_INVALID', detail });
}

/** Splits a TLV string (by code points) into data objects; throws `WALLET_QR_INVALID` when it does not add up. */
export function parseTlv(text: string): DataObject[] {
  const chars = Array.from(text);
  const out: DataObject[] = [];
  let i = 0;
  while (i < chars.length) {
    if (i + 4 > chars.length) throw invalid(`Truncated data object at character ${i}.`);
    const id = chars.slice(i, i + 2).join('');
    const lengthText = chars.slice(i + 2, i + 4).join('');
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(lengthText)) throw invalid(`Bad ID or length at character ${i}.`);
    const length = Number(lengthText);
    if (length === 0 || i + 4 + length > chars.length) throw invalid(`Data object ${id} has a bad length (${lengthText}).`);
    out.push({ id, value: chars.slice(i + 4, i + 4 + length).join('') });
    i += 4 + length;
  }
  return out;
}

/** IDs whose value is itself TLV. */
function isTemplate(id: string): boolean {
  const n = Number(id);
  return (n >= 26 && n <= 51) || n === 62 || n === 64 || (n >= 80 && n <= 99);
}

/** A parsed MPM payload: the common fields by name, and every data object as found. */
export interface MpmPayload {
  /** `static` (`01`=`11`: the payer enters the amount) or `dynamic` (`12`), if the code says. */
  initiation: 'static' | 'dynamic' | undefined;
  /** IDs 02–51: primitive scheme ids (Visa, Mastercard, UnionPay ...) or templates with a GUI. */
  merchantAccounts: { id: string; value: string; gui?: string; fields?: Record<string, string> }[];
  merchantCategoryCode: string;
  /** ISO 4217 numeric, and the alphabetic code when Atrium supports it. */
  currencyNumeric: string;
  currency: Currency | undefined;
  /** As written (`"23.72"`), and in minor units when the currency is supported. */
  amount: string | undefined;
  amountMinor: number | undefined;
  countryCode: string;
  merchantName: string;
  merchantCity: string;
  postalCode: string | undefined;
  /** ID 62 sub-fields by ID (`01` bill number, `03` store label, `05` reference label, `07` terminal ...). */
  additionalData: Record<string, string>;
  /** ID 64: `00` language, `01` local name, `02` local city. */
  language: { language: string; name: string; city: string | undefined } | undefined;
  /** Atrium's template (ID 26–51 with our GUI), if present. */
  atrium: { merchantId: string; orderId: string | undefined; expiresAt: number | undefined } | undefined;
  objects: DataObject[];
}

/**
 * Parses and checks an MPM payload: `000201` first, the CRC last and correct, mandatory fields present, lengths
 * within the spec's limits. Throws `WALLET_QR_INVALID` saying what is wrong.
 */
export function parseMpm(payload: string): MpmPayload {
  if (!payload.startsWith('000201')) throw invalid('An EMVCo payload starts with 000201.');
  const objects = parseTlv(payload);
  const last = objects.at(-1);
  if (!last || last.id !== '63' || last.value.length !== 4) throw invalid('The CRC (ID 63) must be the last data object.');
  const expected = crcHex(payload.slice(0, payload.length - 4));
  if (last.value.toUpperCase() !== expected) throw invalid('The CRC does not match: the code is damaged or was altered.');
  const seen = new Set<string>();
  for (const o of objects) {
    if (seen.has(o.id)) throw invalid(`Data object ${o.id} appears twice.`);
    seen.add(o.id);
    if (isTemplate(o.id)) o.children = parseTlv(o.value);
  }
  const get = (id: string): string | undefined => objects.find((o) => o.id === id)?.value;
  const need = (id: string, name: string): string => {
    const v = get(id);
    if (v === undefined) throw invalid(`${name} (ID ${id}) is missing.`);
    return v;
  };
  const initiationValue = get('01');
  if (initiationValue !== undefined && initiationValue !== '11' && initiationValue !== '12') throw invalid('Point of initiation (ID 01) is 11 or 12.');
  const merchantAccounts = objects
    .filter((o) => Number(o.id) >= 2 && Number(o.id) <= 51)
    .map((o) => {
      if (!o.children) return { id: o.id, value: o.value };
      const fields = Object.fromEntries(o.children.map((c) => [c.id, c.value]));
      return { id: o.id, value: o.value, gui: fields['00'], fields };
    });
  if (merchantAccounts.length === 0) throw invalid('At least one merchant account (IDs 02–51) is required.');
  const mcc = need('52', 'Merchant category code');
  if (!/^\d{4}$/.test(mcc)) throw invalid('The merchant category code (ID 52) is 4 digits.');
  const currencyNumeric = need('53', 'Transaction currency');
  if (!/^\d{3}$/.test(currencyNumeric)) throw invalid('The currency (ID 53) is an ISO 4217 numeric code.');
  const currency = (Object.keys(CURRENCIES) as Currency[]).find((c) => CURRENCIES[c].numeric === currencyNumeric);
  const amount = get('54');
  if (amount !== undefined && (!/^(?=.*\d)\d*(\.\d*)?$/.test(amount) || amount.length > 13)) throw invalid('The amount (ID 54) is a decimal number of at most 13 characters.');
  let amountMinor: number | undefined;
  if (amount !== undefined && currency) {
    const exponent: number = CURRENCIES[currency].exponent;
    const [whole = '0', fraction = ''] = amount.split('.');
    if (fraction.length > exponent) throw invalid(`${currency} amounts have at most ${exponent} decimals.`);
    amountMinor = Number(whole || '0') * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  }
  const countryCode = need('58', 'Country code');
  if (!/^[A-Z]{2}$/.test(countryCode)) throw invalid('The country code (ID 58) is ISO 3166-1 alpha-2.');
  const merchantName = need('59', 'Merchant name');
  const merchantCity = need('60', 'Merchant city');
  if (Array.from(merchantName).length > 25) throw invalid('The merchant name (ID 59) has at most 25 characters.');
  if (Array.from(merchantCity).length > 15) throw invalid('The merchant city (ID 60) has at most 15 characters.');
  const additional = objects.find((o) => o.id === '62');
  const additionalData = Object.fromEntries((additional?.children ?? []).map((c) => [c.id, c.value]));
  const lang = objects.find((o) => o.id === '64')?.children;
  const langField = (id: string): string | undefined => lang?.find((c) => c.id === id)?.value;
  const language = lang ? { language: langField('00') ?? '', name: langField('01') ?? '', city: langField('02') } : undefined;
  const ours = merchantAccounts.find((m) => m.gui === ATRIUM_GUI);
  const atrium = ours?.fields?.['01']
    ? { merchantId: ours.fields['01'], orderId: ours.fields['02'], expiresAt: ours.fields['03'] ? Number(ours.fields['03']) * 1000 : undefined }
    : undefined;
  return {
    initiation: initiationValue === '11' ? 'static' : initiationValue === '12' ? 'dynamic' : undefined,
    merchantAccounts,
    merchantCategoryCode: mcc,
    currencyNumeric,
    currency,
    amount,
    amountMinor,
    countryCode,
    merchantName,
    merchantCity,
    postalCode: get('61'),
    additionalData,
    language,
    atrium,
    objects,
  };
}

/** What an Atrium merchant code carries. */
export interface AtriumMpmInput {
  merchantId: string;
  /** ASCII, ≤ 25 characters (ID 59). */
  merchantName: string;
  /** ASCII, ≤ 15 characters (ID 60). */
  merchantCity: string;
  countryCode: string;
  currency: Currency;
  /** ISO 18245; `0000` when not applicable. @default '0000' */
  merchantCategoryCode?: string;
  /** A dynamic code: one order, its amount (minor units) and expiry (ms). Omit for a static code. */
  order?: { id: string; amount: number; expiresAt: number };
  /** Name and city in the local language (ID 64), e.g. Chinese; they never go into ASCII-only 59/60. */
  local?: { language: string; name: string; city?: string };
  /** Store label (ID 62, sub-ID 03). */
  storeLabel?: string;
}

function tlv(id: string, value: string): string {
  const length = Array.from(value).length;
  if (length === 0 || length > 99) throw invalid(`Data object ${id} must be 1–99 characters.`);
  return `${id}${String(length).padStart(2, '0')}${value}`;
}

const ANS = /^[\x20-\x7e]+$/;

/**
 * Encodes an Atrium merchant code: static (`010211`, the payer enters the amount) or dynamic (`010212`, with the
 * order's amount, and the order id and expiry in Atrium's template at ID 26).
 * @example buildMpm({ merchantId: 'mch_1', merchantName: 'BEST TRANSPORT', merchantCity: 'BEIJING', countryCode: 'CN', currency: 'CNY' })
 */
export function buildMpm(input: AtriumMpmInput): string {
  if (!ANS.test(input.merchantName) || input.merchantName.length > 25) throw invalid('The merchant name is 1–25 ASCII characters (use `local` for other scripts).');
  if (!ANS.test(input.merchantCity) || input.merchantCity.length > 15) throw invalid('The merchant city is 1–15 ASCII characters (use `local` for other scripts).');
  if (!/^[A-Z]{2}$/.test(input.countryCode)) throw invalid('The country code is ISO 3166-1 alpha-2.');
  const mcc = input.merchantCategoryCode ?? '0000';
  if (!/^\d{4}$/.test(mcc)) throw invalid('The merchant category code is 4 digits.');
  const account = [tlv('00', ATRIUM_GUI), tlv('01', input.merchantId)];
  if (input.order) {
    if (!Number.isSafeInteger(input.order.amount) || input.order.amount <= 0) throw invalid('A dynamic code needs a positive amount in minor units.');
    account.push(tlv('02', input.order.id), tlv('03', String(Math.floor(input.order.expiresAt / 1000))));
  }
  let payload = tlv('00', '01') + tlv('01', input.order ? '12' : '11') + tlv(ATRIUM_TEMPLATE_ID, account.join('')) + tlv('52', mcc) + tlv('53', CURRENCIES[input.currency].numeric);
  if (input.order) payload += tlv('54', formatAmount(input.order.amount, input.currency));
  payload += tlv('58', input.countryCode) + tlv('59', input.merchantName) + tlv('60', input.merchantCity);
  if (input.storeLabel) payload += tlv('62', tlv('03', input.storeLabel));
  if (input.local) {
    const local = [tlv('00', input.local.language.toUpperCase()), tlv('01', input.local.name)];
    if (input.local.city) local.push(tlv('02', input.local.city));
    payload += tlv('64', local.join(''));
  }
  payload += '6304';
  return payload + crcHex(payload);
}
