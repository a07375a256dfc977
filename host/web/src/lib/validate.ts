/**
 * @module Client-side checks that mirror the API's rules (keep in sync with host/src/identity/api-schemas.ts),
 * so most mistakes are explained before a round trip.
 */
import type { MessageId } from '../i18n/index.ts';

const HANDLE = /^[A-Za-z0-9_.]{3,32}$/;
const CONTROL = /[\p{Cc}\p{Cf}]/u;

/** The problem with a handle, if any. */
export function checkHandle(handle: string): MessageId | undefined {
  return HANDLE.test(handle) ? undefined : 'field.handle.rule';
}

/** The problem with a display name, if any. */
export function checkDisplayName(name: string): MessageId | undefined {
  const trimmed = name.trim();
  if (trimmed.length === 0) return 'field.displayName.required';
  if (trimmed.length > 64 || CONTROL.test(trimmed)) return 'field.displayName.rule';
  return undefined;
}

/** The problem with a new password, if any. */
export function checkNewPassword(password: string): MessageId | undefined {
  if (password.length < 8) return 'field.password.rule';
  if (password.length > 256) return 'field.password.tooLong';
  return undefined;
}

/** The problem with an optional phone number, if any (the server does the real parsing). */
export function checkPhone(phone: string): MessageId | undefined {
  const trimmed = phone.trim();
  if (trimmed === '') return undefined;
  return /^\+?[0-9 ()./-]{4,32}$/.test(trimmed) ? undefined : 'field.phone.rule';
}
