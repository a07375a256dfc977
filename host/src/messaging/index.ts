/**
 * @module What other domains may use of messaging.
 */
export { createFileBlobStore, type BlobStore } from './blobs.ts';
export { ConversationService, type MemberView } from './conversations.ts';
export { ImageService } from './images.ts';
export { InviteService, type InvitePreview, type InviteView, type NewInvite } from './invites.ts';
export { MessageService, type HistoryPage, type OutgoingCard, type OutgoingText, type Receipts } from './messages.ts';
export { SyncService, type SyncResult } from './sync.ts';
export type { ConversationView, ImageView, MessageView, MiniAppCard, UpdateView } from './views.ts';
