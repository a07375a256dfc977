/**
 * @module The table of every error code the host can return. Codes are API: never rename or reuse one.
 */
import { APPS_CODES } from '../apps/codes.ts';
import { CONTACTS_CODES } from '../contacts/codes.ts';
import { DEVELOPER_CODES } from '../developer/codes.ts';
import { IDENTITY_CODES } from '../identity/codes.ts';
import { MESSAGING_CODES } from '../messaging/codes.ts';
import { REALTIME_CODES } from '../realtime/codes.ts';
import { WALLET_CODES } from '../wallet/codes.ts';
import { MERCHANT_CODES } from '../merchants/codes.ts';

/** What each code renders as: its HTTP status and a short, stable title. */
export interface CodeInfo {
  status: number;
  title: string;
}

/** Codes shared by every domain. */
export const COMMON_CODES = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  MALFORMED_JSON: { status: 400, title: 'The request body is not valid JSON' },
  BAD_REQUEST: { status: 400, title: 'Bad request' },
  UNAUTHENTICATED: { status: 401, title: 'Sign-in required' },
  FORBIDDEN: { status: 403, title: 'Not allowed' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  CONFLICT: { status: 409, title: 'Conflict' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal error' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, CodeInfo>;

/** Every code, by name. A domain table entry without a status fails `tsc` through `satisfies`. */
export const CODES = { ...COMMON_CODES, ...IDENTITY_CODES, ...CONTACTS_CODES, ...APPS_CODES, ...DEVELOPER_CODES, ...REALTIME_CODES, ...MESSAGING_CODES, ...WALLET_CODES, ...MERCHANT_CODES } as const;

/** A stable error code. */
export type ErrorCode = keyof typeof CODES;
