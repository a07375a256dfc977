/**
 * @module Argument schemas shared by several bridge APIs (page URLs, storage keys, JSON values).
 */
import { z } from 'zod';
import { parseRoute } from '../../view/url.ts';

/** An app page with an optional query: `pages/detail?id=3` or `/pages/detail?id=3`. */
export const PageUrl = z
  .string()
  .min(1)
  .max(1024)
  .refine((value) => parseRoute(value) !== undefined, 'must be an app page such as /pages/detail?id=3');

/** A storage key: 1–128 characters (the host's STORAGE_LIMITS.maxKeyLength). */
export const StorageKey = z.string().min(1).max(128);

/**
 * Any JSON value, validated as JSON at run time but typed `unknown` on both sides (as `JSON.parse` is): values
 * typed with interfaces can be passed (TypeScript will not assign them to an index-signature JSON type) and results
 * are cast to the app's own types. The client copies arguments with `toJson`, which refuses functions, symbols and
 * cycles (`INVALID_ARGUMENT`).
 */
export const JsonValue: z.ZodType<unknown, unknown> = z.json();

/** No arguments: `{}` (the client sends `{}` when called without any). */
export const NoArgs = z.strictObject({});
