/**
 * @module Error codes of the developer platform (registry, review, release, CLI sign-in).
 */
import type { CodeInfo } from '../core/codes.ts';

export const DEVELOPER_CODES = {
  APP_ROLE_REQUIRED: { status: 403, title: 'Your role on this app does not allow this' },
  APP_ID_TAKEN: { status: 409, title: 'This app id is taken' },
  VERSION_NOT_FOUND: { status: 404, title: 'No such version' },
  VERSION_STATE_INVALID: { status: 409, title: 'The version is not in a state that allows this' },
  REVIEWER_REQUIRED: { status: 403, title: 'Only platform reviewers may do this' },
  REVIEW_OWN_APP: { status: 403, title: 'Reviewers may not review their own apps' },
  APP_NOT_RELEASED: { status: 404, title: 'This app has not been released yet' },
  ROLLOUT_NOT_ACTIVE: { status: 409, title: 'No phased release is in progress' },
  ROLLBACK_TARGET_INVALID: { status: 409, title: 'You can roll back only to one of the last five released versions' },
  PREVIEW_LINK_INVALID: { status: 404, title: 'This preview link is unknown or expired' },
  PACKAGE_INVALID: { status: 400, title: 'The package is not valid' },
  PACKAGE_TOO_LARGE: { status: 413, title: 'The package is over the size limits' },
  DEVELOPER_TOKEN_INVALID: { status: 401, title: 'The developer token is invalid, expired or revoked' },
  TOKEN_SCOPE_MISSING: { status: 403, title: 'The token lacks the scope this needs' },
  AUTHORIZATION_PENDING: { status: 400, title: 'The person has not confirmed the sign-in yet' },
  SLOW_DOWN: { status: 400, title: 'Polling too fast' },
  DEVICE_CODE_EXPIRED: { status: 400, title: 'The sign-in request expired; start again' },
  DEVICE_ACCESS_DENIED: { status: 400, title: 'The person declined the sign-in' },
  USER_CODE_INVALID: { status: 404, title: 'No pending sign-in has this code' },
  SCENE_NOT_FOUND: { status: 404, title: 'This launch code is unknown' },
} as const satisfies Record<string, CodeInfo>;
