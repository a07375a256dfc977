/**
 * @module Error codes of the mini-app domain (also the `code` a bridge call rejects with in the guest).
 */
import type { CodeInfo } from '../core/codes.ts';

export const APPS_CODES = {
  APP_NOT_FOUND: { status: 404, title: 'No such mini-app' },
  VERSION_CODE_NOT_INCREASING: { status: 409, title: 'Version codes must strictly increase' },
  APP_BUILD_FAILED: { status: 400, title: 'The app does not build' },
  APP_MANIFEST_INVALID: { status: 400, title: 'The manifest is not valid' },
  APP_LAUNCH_FAILED: { status: 502, title: 'The app could not start' },
  APP_EVENT_REFUSED: { status: 400, title: 'The app refused this event' },
  CANCELLED: { status: 409, title: 'The person cancelled' },
  SESSION_CLOSED: { status: 409, title: 'The app was closed to make room for another' },
  SESSION_NOT_FOUND: { status: 404, title: 'This mini-app session has ended' },
  PROMPT_TIMEOUT: { status: 408, title: 'The person did not answer in time' },
  APP_SECRET_INVALID: { status: 401, title: 'The app id or secret is wrong' },
  LOGIN_CODE_INVALID: { status: 400, title: 'The login code is invalid, used or expired' },
  PERMISSION_DENIED: { status: 403, title: 'The person has not allowed this' },
  PERMISSION_NOT_DECLARED: { status: 403, title: 'The app did not declare this permission in its manifest' },
  STORAGE_KEY_TOO_LARGE: { status: 413, title: 'A storage value may be at most 1 MB' },
  STORAGE_QUOTA_EXCEEDED: { status: 413, title: 'This app may store at most 10 MB for a person' },
  STORAGE_KEY_INVALID: { status: 400, title: 'Storage keys are 1–128 characters' },
  NETWORK_INSECURE: { status: 400, title: 'Apps may only use https' },
  NETWORK_DOMAIN_NOT_ALLOWED: { status: 403, title: "The host is not in the app's network_domains" },
  NETWORK_ADDRESS_BLOCKED: { status: 403, title: 'Apps may not reach private, loopback or link-local addresses' },
  NETWORK_TOO_MANY_REQUESTS: { status: 429, title: 'Too many requests at once' },
  NETWORK_REQUEST_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  NETWORK_RESPONSE_TOO_LARGE: { status: 502, title: 'The response is too large' },
  NETWORK_TIMEOUT: { status: 504, title: 'The server did not answer in time' },
  NETWORK_FAILED: { status: 502, title: 'The request failed' },
} as const satisfies Record<string, CodeInfo>;
