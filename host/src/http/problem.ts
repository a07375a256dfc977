/**
 * @module Renders errors as RFC 9457 `application/problem+json` documents.
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AtriumError, type FieldError } from '../core/errors.ts';

/** The body of every error response. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  code: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** Where a code's documentation lives: the problem `type` URI. */
export function problemType(publicUrl: string, code: string): string {
  return `${publicUrl}/docs/problems#${code}`;
}

/** Builds the problem document for `error` in the context of the current request. */
export function toProblem(error: AtriumError, publicUrl: string, requestId: string): ProblemDocument {
  const doc: ProblemDocument = {
    ...error.extensions,
    type: problemType(publicUrl, error.code),
    title: error.title,
    status: error.status,
    instance: `urn:atrium:request:${requestId}`,
    code: error.code,
  };
  if (error.detail !== undefined) doc.detail = error.detail;
  if (error.errors !== undefined) doc.errors = error.errors;
  return doc;
}

/** Sends `error` as problem+json. */
export function problemResponse(c: Context, error: AtriumError): Response {
  const body = toProblem(error, c.get('config').publicUrl, c.get('requestId'));
  const headers: Record<string, string> = { 'content-type': 'application/problem+json', ...error.headers };
  return c.body(JSON.stringify(body), error.status as ContentfulStatusCode, headers);
}
