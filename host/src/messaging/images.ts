/**
 * @module Images in chats: an upload is checked by its content (never by its declared type), bounded in bytes
 * and pixels before it is decoded, re-encoded with its orientation applied and its metadata (camera, GPS
 * position) removed, and given a thumbnail; both go to the blob store. Then a message can carry it.
 */
import { and, eq, gte } from 'drizzle-orm';
import sharp, { type OutputInfo } from 'sharp';
import type { HostConfig } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import { AtriumError } from '../core/errors.ts';
import { newId, type Random } from '../core/random.ts';
import type { Database } from '../db/database.ts';
import type { BlobStore } from './blobs.ts';
import { requireMember } from './log.ts';
import { images, messages, type ImageRow } from './schema.ts';
import { toImageView, type ImageView } from './views.ts';

/** Options of {@link ImageService}. */
export interface ImageServiceOptions {
  database: Database;
  clock: Clock;
  random: Random;
  config: HostConfig;
  blobs: BlobStore;
}

/** `10 MiB`, `195 KiB`: a byte limit as people read it. */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${Number((bytes / 2 ** 20).toFixed(1))} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

const FORMATS = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif' } as const;
type Format = keyof typeof FORMATS;

/** Uploading and reading chat images. */
export class ImageService {
  readonly #o: ImageServiceOptions;

  constructor(options: ImageServiceOptions) {
    this.#o = options;
  }

  /** Stores an image for a conversation I am in; it can then be sent with `imageId`. */
  async upload(userId: string, conversationId: string, bytes: Uint8Array): Promise<ImageView> {
    const { database, clock, random, config, blobs } = this.#o;
    await requireMember(database.db, conversationId, userId);
    if (bytes.length > config.messaging.maxImageBytes) throw this.#tooLarge();
    const limitInputPixels = config.messaging.maxImagePixels;
    let format: Format;
    try {
      const meta = await sharp(bytes, { limitInputPixels }).metadata();
      if (!meta.format || !(meta.format in FORMATS)) throw new AtriumError({ code: 'IMAGE_UNSUPPORTED' });
      format = meta.format as Format;
    } catch (error) {
      if (error instanceof AtriumError) throw error;
      if (/pixel limit/i.test(String(error))) throw new AtriumError({ code: 'IMAGE_TOO_LARGE', detail: `Images are limited to ${limitInputPixels.toLocaleString('en')} pixels.`, cause: error });
      throw new AtriumError({ code: 'IMAGE_UNSUPPORTED', detail: 'This is not an image we can read.', cause: error });
    }
    const animated = format === 'gif' || format === 'webp';
    let original: { data: Buffer; info: OutputInfo };
    let thumb: { data: Buffer; info: OutputInfo };
    try {
      // sharp drops metadata (EXIF, GPS) unless asked to keep it; rotate() applies the EXIF orientation first.
      original = await sharp(bytes, { limitInputPixels, animated }).rotate().toFormat(format, format === 'jpeg' ? { quality: 90, mozjpeg: true } : {}).toBuffer({ resolveWithObject: true });
      const size = config.messaging.thumbnailSize;
      thumb = await sharp(bytes, { limitInputPixels }).rotate().resize(size, size, { fit: 'inside', withoutEnlargement: true }).webp({ quality: 75 }).toBuffer({ resolveWithObject: true });
    } catch (error) {
      throw new AtriumError({ code: 'IMAGE_UNSUPPORTED', detail: 'This image is damaged or cannot be read.', cause: error });
    }
    const [blobId, thumbBlobId] = [await blobs.put(original.data), await blobs.put(thumb.data)];
    const row: ImageRow = {
      id: newId(random, 'img'),
      conversationId,
      uploaderId: userId,
      contentType: FORMATS[format],
      width: original.info.width,
      height: original.info.pageHeight ?? original.info.height,
      bytes: original.data.length,
      blobId,
      thumbBlobId,
      thumbWidth: thumb.info.width,
      thumbHeight: thumb.info.height,
      createdAt: clock.now(),
    };
    await database.write((tx) => tx.insert(images).values(row));
    return toImageView(row);
  }

  /**
   * The bytes of an image (or its thumbnail) in a conversation I am in: my own uploads, and images sent in
   * messages I can see (not those sent before I joined, nor others' uploads they have not sent).
   */
  async read(userId: string, conversationId: string, imageId: string, variant: 'original' | 'thumbnail'): Promise<{ bytes: Buffer; contentType: string }> {
    const db = this.#o.database.db;
    const { member } = await requireMember(db, conversationId, userId);
    const [row] = await db.select().from(images).where(and(eq(images.id, imageId), eq(images.conversationId, conversationId))).limit(1);
    if (!row) throw new AtriumError({ code: 'IMAGE_NOT_FOUND' });
    if (row.uploaderId !== userId) {
      const [sent] = await db
        .select({ id: messages.id })
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.imageId, imageId), gte(messages.order, member.visibleFrom)))
        .limit(1);
      if (!sent) throw new AtriumError({ code: 'IMAGE_NOT_FOUND' });
    }
    const bytes = await this.#o.blobs.get(variant === 'original' ? row.blobId : row.thumbBlobId);
    if (!bytes) throw new AtriumError({ code: 'IMAGE_NOT_FOUND' });
    return { bytes, contentType: variant === 'original' ? row.contentType : 'image/webp' };
  }

  #tooLarge(): AtriumError {
    return new AtriumError({ code: 'IMAGE_TOO_LARGE', detail: `Images are limited to ${formatBytes(this.#o.config.messaging.maxImageBytes)}.` });
  }
}
