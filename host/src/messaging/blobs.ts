/**
 * @module Where uploaded files live: a content-addressed blob store behind an interface (the filesystem here;
 * S3-compatible storage behind the same interface when the host runs on several machines).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Stores immutable blobs by the SHA-256 of their bytes. */
export interface BlobStore {
  /** Stores `bytes` (durably, before it resolves) and returns its id; the same bytes give the same id. */
  put(bytes: Uint8Array): Promise<string>;
  /** The bytes of a blob, or undefined when there is none. */
  get(id: string): Promise<Buffer | undefined>;
}

const ID = /^blb_[0-9a-f]{64}$/;

/**
 * A blob store in a folder: `<dir>/<2 hex>/<id>`, written to a temporary name, flushed, then renamed, so a
 * crash never leaves a half-written blob under a real id.
 * @example const blobs = createFileBlobStore('data/blobs'); const id = await blobs.put(bytes);
 */
export function createFileBlobStore(dir: string): BlobStore {
  const path = (id: string): string => join(dir, id.slice(4, 6), id);
  return {
    async put(bytes) {
      const id = `blb_${createHash('sha256').update(bytes).digest('hex')}`;
      const target = path(id);
      await mkdir(join(dir, id.slice(4, 6)), { recursive: true });
      const temporary = `${target}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, bytes, { flush: true });
      await rename(temporary, target);
      return id;
    },
    async get(id) {
      if (!ID.test(id)) return undefined;
      try {
        return await readFile(path(id));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}
