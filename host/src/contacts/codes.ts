/**
 * @module Error codes of the contacts domain.
 */
import type { CodeInfo } from '../core/codes.ts';

export const CONTACTS_CODES = {
  CONTACT_USER_NOT_FOUND: { status: 404, title: 'No one has that handle or card' },
  CONTACT_SELF: { status: 400, title: 'You cannot add yourself' },
  CONTACT_EXISTS: { status: 409, title: 'You are already contacts' },
  CONTACT_NOT_FOUND: { status: 404, title: 'No such contact' },
  CONTACT_REQUEST_NOT_FOUND: { status: 404, title: 'No such contact request' },
  CONTACT_REQUEST_PENDING: { status: 409, title: 'A request to this person is already pending' },
  CONTACT_REQUEST_CLOSED: { status: 409, title: 'The contact request was already answered' },
  CONTACT_REQUEST_REFUSED: { status: 403, title: 'This person is not accepting your requests' },
} as const satisfies Record<string, CodeInfo>;
