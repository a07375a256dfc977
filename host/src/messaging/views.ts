/**
 * @module What the messaging API and socket show: messages, conversation summaries and inbox updates, built
 * from rows. One shape for HTTP, the socket and the long poll.
 */
import type { Person } from '../identity/service.ts';
import type { ImageRow, MessageRow } from './schema.ts';

/** Who was mentioned: people by id, and/or everyone (`@all`, owner and admins only). */
export interface Mentions {
  userIds: string[];
  all: boolean;
}

/** A system message's event. */
export type SystemEvent =
  | { event: 'created'; by: string; name: string | null }
  | { event: 'joined'; userIds: string[]; by: string | null; via: 'added' | 'invite' }
  | { event: 'left'; userId: string }
  | { event: 'removed'; userId: string; by: string }
  | { event: 'recalled'; by: string }
  | { event: 'renamed'; by: string; name: string }
  | { event: 'announcement'; by: string; text: string }
  | { event: 'avatar'; by: string }
  | { event: 'role'; userId: string; role: string; by: string };

/** A quoted message, as shown above a reply. */
export interface ReplyPreview {
  id: string;
  order: number;
  senderId: string | null;
  /** The first 100 characters; null when the quoted message was recalled. */
  text: string | null;
}

/** An image as messages carry it; the bytes are at `GET /v1/conversations/{id}/images/{imageId}`. */
export interface ImageView {
  id: string;
  contentType: string;
  width: number;
  height: number;
  bytes: number;
  thumbWidth: number;
  thumbHeight: number;
}

/** An image row as messages carry it. */
export function toImageView(row: ImageRow): ImageView {
  return { id: row.id, contentType: row.contentType, width: row.width, height: row.height, bytes: row.bytes, thumbWidth: row.thumbWidth, thumbHeight: row.thumbHeight };
}

/**
 * A mini-app card (`atrium.shareToChat()`): tapping it opens `/a/<appId>/<path>?<query>`. `imageUrl` is an https
 * image of the app's choosing (the shell loads it without a referrer, as it does an app's own images).
 */
export interface MiniAppCard {
  appId: string;
  appName: string;
  title: string;
  /** A page of the app's manifest, e.g. `pages/detail`. */
  path: string;
  query: Record<string, string>;
  imageUrl: string | null;
}

/** A transfer sent in a 1:1 chat, as both people see it. */
export interface TransferView {
  id: string;
  senderId: string;
  recipientId: string;
  /** Minor units. */
  amount: number;
  currency: string;
  note: string | null;
  /** `pending` until the recipient accepts or declines it; `expired` when it returned to the sender after 24 h. */
  status: 'pending' | 'accepted' | 'declined' | 'expired';
  expiresAt: number;
  createdAt: number;
  resolvedAt: number | null;
}

/** One opened share of a red packet. */
export interface RedPacketClaimView {
  userId: string;
  amount: number;
  /** 1 for the first share opened. */
  position: number;
  at: number;
}

/** A red packet, as everyone in the conversation sees it: who got how much. */
export interface RedPacketView {
  id: string;
  senderId: string;
  mode: 'random' | 'equal';
  currency: string;
  total: number;
  shares: number;
  note: string | null;
  /** `finished` when every share was opened; `expired` when the rest returned to the sender after 24 h. */
  status: 'active' | 'finished' | 'expired';
  remainingAmount: number;
  remainingCount: number;
  refundedAmount: number;
  expiresAt: number;
  createdAt: number;
  finishedAt: number | null;
  /** In the order they were opened. */
  claims: RedPacketClaimView[];
}

/** The money a `transfer` or `redpacket` message carries. */
export interface MoneyState {
  transfer?: TransferView | undefined;
  redPacket?: RedPacketView | undefined;
}

/** A message as its readers see it. */
export interface MessageView {
  id: string;
  conversationId: string;
  order: number;
  senderId: string | null;
  clientId: string | null;
  kind: 'text' | 'image' | 'miniapp' | 'system' | 'transfer' | 'redpacket';
  /** The text, an image's caption, a mini-app card's title, or a transfer's or red packet's note. */
  text: string | null;
  image: ImageView | null;
  /** For `miniapp` messages: the card. */
  card: MiniAppCard | null;
  /** For `transfer` messages: the transfer as it is now (null in chat-list previews). */
  transfer: TransferView | null;
  /** For `redpacket` messages: the red packet as it is now (null in chat-list previews). */
  redPacket: RedPacketView | null;
  mentions: Mentions | null;
  replyTo: ReplyPreview | null;
  system: SystemEvent | null;
  createdAt: number;
  recalledAt: number | null;
}

/** The kinds of inbox update. */
export type UpdateType = 'message' | 'recall' | 'money' | 'hidden' | 'read' | 'membership' | 'settings';

/** An inbox update without its seq (the seq differs per person). */
export interface UpdateBody {
  type: UpdateType;
  conversationId: string;
  at: number;
  /**
   * For `message`, `recall` and `money` (a transfer or red packet changed: accepted, declined, opened, returned):
   * the message as it is now.
   */
  message?: MessageView;
  /** `read`: `{ userId, order }`; `membership`: `{ status, role }`; `settings`: `{ muted }`; `hidden`: `{ messageId }`. */
  data?: Record<string, unknown>;
}

/** One update of a person's inbox. */
export interface UpdateView extends UpdateBody {
  /** Its place in the log: the cursor to sync from once it is applied (monotonic, not consecutive). */
  seq: number;
  /** For conversation updates (`message`, `recall`, `money`): the conversation's update count, consecutive. */
  cseq?: number;
  /** For personal updates: the person's personal update count, consecutive. */
  pseq?: number;
}

/** A conversation in someone's chat list. */
export interface ConversationView {
  id: string;
  kind: 'direct' | 'group';
  /** The group name; null for 1:1 chats (show `peer`). */
  name: string | null;
  avatarUrl: string | null;
  announcement: string | null;
  /** For 1:1 chats: the other person. */
  peer: Person | null;
  memberCount: number;
  role: 'owner' | 'admin' | 'member';
  muted: boolean;
  /** Messages from others after my read position (system messages not counted). */
  unread: number;
  /** Unread messages that mention me (or everyone). */
  unreadMentions: number;
  readOrder: number;
  lastOrder: number;
  lastMessage: MessageView | null;
  createdAt: number;
  updatedAt: number;
}

const REPLY_EXCERPT = 100;

/** A message row as readers see it; `reply` is the quoted row and `image` the attached image, when there are. */
export function toMessageView(row: MessageRow, reply?: MessageRow | undefined, image?: ImageRow | undefined, money?: MoneyState | undefined): MessageView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    order: row.order,
    senderId: row.senderId,
    clientId: row.clientId,
    kind: row.kind as MessageView['kind'],
    text: row.text,
    image: image && row.kind === 'image' ? toImageView(image) : null,
    card: row.card && row.kind === 'miniapp' ? (JSON.parse(row.card) as MiniAppCard) : null,
    transfer: row.kind === 'transfer' ? (money?.transfer ?? null) : null,
    redPacket: row.kind === 'redpacket' ? (money?.redPacket ?? null) : null,
    mentions: row.mentions ? (JSON.parse(row.mentions) as Mentions) : null,
    replyTo:
      row.replyToId && reply
        ? { id: reply.id, order: reply.order, senderId: reply.senderId, text: reply.text === null ? null : reply.text.slice(0, REPLY_EXCERPT) }
        : null,
    system: row.system ? (JSON.parse(row.system) as SystemEvent) : null,
    createdAt: row.createdAt,
    recalledAt: row.recalledAt,
  };
}
