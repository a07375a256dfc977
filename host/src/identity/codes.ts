/**
 * @module Error codes of the identity domain (accounts, devices, tokens, login tickets).
 */
import type { CodeInfo } from '../core/codes.ts';

export const IDENTITY_CODES = {
  AUTH_INVALID_CREDENTIALS: { status: 401, title: 'The handle or password is wrong' },
  AUTH_TOKEN_INVALID: { status: 401, title: 'The access token is not valid' },
  AUTH_TOKEN_EXPIRED: { status: 401, title: 'The access token has expired' },
  AUTH_DEVICE_REVOKED: { status: 401, title: 'This device has been signed out' },
  AUTH_REFRESH_INVALID: { status: 401, title: 'The refresh token is not valid' },
  AUTH_REFRESH_REUSED: { status: 401, title: 'The refresh token was already used; the device has been signed out' },
  AUTH_PASSWORD_WRONG: { status: 403, title: 'The current password is wrong' },
  HANDLE_TAKEN: { status: 409, title: 'That handle is taken' },
  PHONE_INVALID: { status: 400, title: 'The phone number is not valid' },
  PHONE_TAKEN: { status: 409, title: 'That phone number belongs to another account' },
  DEVICE_NOT_FOUND: { status: 404, title: 'No such device' },
  TICKET_NOT_FOUND: { status: 404, title: 'No such login ticket' },
  TICKET_EXPIRED: { status: 410, title: 'The login QR code has expired' },
  TICKET_CANCELLED: { status: 410, title: 'The login was cancelled' },
  TICKET_USED: { status: 409, title: 'The login QR code was already used' },
  TICKET_SECRET_INVALID: { status: 403, title: 'The login ticket secret is wrong' },
} as const satisfies Record<string, CodeInfo>;
