/**
 * @module Error codes of the messaging domain. A conversation someone is not in is always
 * `CONVERSATION_NOT_FOUND`, exactly as one that does not exist: a non-member learns nothing of it.
 */
import type { CodeInfo } from '../core/codes.ts';

export const MESSAGING_CODES = {
  CONVERSATION_NOT_FOUND: { status: 404, title: 'No such conversation' },
  CONVERSATION_NOT_CONTACTS: { status: 403, title: 'You can only chat with your contacts' },
  CONVERSATION_BLOCKED: { status: 403, title: 'This person is not accepting your messages' },
  CONVERSATION_NOT_GROUP: { status: 409, title: 'Only groups can do this' },
  CONVERSATION_FORBIDDEN: { status: 403, title: 'Only the group owner or an admin can do this' },
  GROUP_FULL: { status: 409, title: 'The group is full' },
  GROUP_MEMBER_NOT_FOUND: { status: 404, title: 'No such group member' },
  GROUP_ALREADY_MEMBER: { status: 409, title: 'Already in the group' },
  GROUP_OWNER_CANNOT_BE_REMOVED: { status: 409, title: 'The group owner cannot be removed' },
  INVITE_NOT_FOUND: { status: 404, title: 'This invite is not valid' },
  INVITE_EXPIRED: { status: 410, title: 'This invite has expired' },
  INVITE_LIMIT: { status: 409, title: 'Too many active invites for this group' },
  MESSAGE_NOT_FOUND: { status: 404, title: 'No such message' },
  MESSAGE_TOO_LONG: { status: 413, title: 'The message is too long' },
  MESSAGE_CLIENT_ID_REUSED: { status: 409, title: 'This client message id was already used for another message' },
  MESSAGE_RECALL_EXPIRED: { status: 409, title: 'Messages can only be recalled shortly after sending' },
  MESSAGE_NOT_SENDER: { status: 403, title: 'Only the sender can do this' },
  MESSAGE_MENTION_INVALID: { status: 400, title: 'Mentions must name members of the conversation' },
  IMAGE_UNSUPPORTED: { status: 415, title: 'Send a JPEG, PNG, WebP or GIF image' },
  IMAGE_TOO_LARGE: { status: 413, title: 'The image is too large' },
  IMAGE_NOT_FOUND: { status: 404, title: 'No such image' },
  MESSAGE_NOT_RECALLABLE: { status: 409, title: 'Transfers and red packets cannot be recalled' },
  CHAT_TRANSFER_NOT_FOUND: { status: 404, title: 'No such transfer' },
  CHAT_TRANSFER_DIRECT_ONLY: { status: 409, title: 'Transfers are sent in 1:1 chats' },
  CHAT_TRANSFER_NOT_RECIPIENT: { status: 403, title: 'Only the recipient can accept or decline this transfer' },
  CHAT_TRANSFER_RESOLVED: { status: 409, title: 'This transfer was already accepted, declined or returned' },
  CHAT_TRANSFER_EXPIRED: { status: 410, title: 'This transfer expired and returned to the sender' },
  REDPACKET_NOT_FOUND: { status: 404, title: 'No such red packet' },
  REDPACKET_LIMIT: { status: 400, title: 'The red packet is outside the limits' },
  REDPACKET_ALREADY_OPENED: { status: 409, title: 'You already opened this red packet' },
  REDPACKET_EMPTY: { status: 409, title: 'Every share of this red packet has been taken' },
  REDPACKET_EXPIRED: { status: 410, title: 'This red packet expired; the rest returned to the sender' },
  REDPACKET_OWN: { status: 403, title: 'You cannot open your own red packet in a 1:1 chat' },
  SYNC_CURSOR_INVALID: { status: 400, title: 'The sync cursor is not valid' },
} as const satisfies Record<string, CodeInfo>;
