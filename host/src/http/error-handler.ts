/**
 * @module The host's one `onError` and one `notFound`: everything leaves as problem+json with a stable code;
 * unknown errors become `INTERNAL` (logged with their cause, never shown).
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ErrorCode } from '../core/codes.ts';
import { AtriumError } from '../core/errors.ts';
import { requestLogger } from './middleware/request-context.ts';
import { problemResponse } from './problem.ts';

const BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** Maps hono's own HTTPException (e.g. malformed JSON from the validator) to an AtriumError. */
function fromHttpException(error: HTTPException): AtriumError {
  if (error.status === 400 && /malformed json/i.test(error.message)) {
    return new AtriumError({ code: 'MALFORMED_JSON', detail: 'The body could not be parsed as JSON.', cause: error });
  }
  const code = BY_STATUS[error.status] ?? (error.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
  return new AtriumError({ code, cause: error });
}

/** The host's `app.onError`. */
export const onError: ErrorHandler = (error, c) => {
  let problem: AtriumError;
  if (error instanceof AtriumError) problem = error;
  else if (error instanceof HTTPException) problem = fromHttpException(error);
  else problem = new AtriumError({ code: 'INTERNAL', cause: error });
  const log = c.get('rootLogger') ? requestLogger(c) : undefined;
  if (problem.status >= 500) log?.error({ err: error, code: problem.code }, 'request failed');
  else log?.debug({ code: problem.code }, 'request refused');
  return problemResponse(c, problem);
};

/** The host's `app.notFound`. */
export const notFound: NotFoundHandler = (c: Context) =>
  problemResponse(c, new AtriumError({ code: 'NOT_FOUND', detail: `Nothing at ${c.req.method} ${c.req.path}.` }));
