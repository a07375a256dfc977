/**
 * @module Error codes of the mini-app domain (also the `code` a bridge call rejects with in the guest).
 */
import type { CodeInfo } from '../core/codes.ts';

export const APPS_CODES = {
  APP_NOT_FOUND: { status: 404, title: 'No such mini-app' },
  APP_SECRET_INVALID: { status: 401, title: 'The app id or secret is wrong' },
  LOGIN_CODE_INVALID: { status: 400, title: 'The login code is invalid, used or expired' },
  PERMISSION_DENIED: { status: 403, title: 'The person has not allowed this' },
  PERMISSION_NOT_DECLARED: { status: 403, title: 'The app did not declare this permission in its manifest' },
  STORAGE_KEY_TOO_LARGE: { status: 413, title: 'A storage value may be at most 1 MB' },
  STORAGE_QUOTA_EXCEEDED: { status: 413, title: 'This app may store at most 10 MB for a person' },
  STORAGE_KEY_INVALID: { status: 400, title: 'Storage keys are 1–128 characters' },
} as const satisfies Record<string, CodeInfo>;
