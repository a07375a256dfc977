/**
 * @module The router factory every domain uses: an OpenAPIHono whose validation failures become
 * `VALIDATION_FAILED` problems with `errors: [{ path, message }]`.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { ZodError } from 'zod';
import { AtriumError, type FieldError } from '../core/errors.ts';

const TARGET_NAMES: Record<string, string> = { json: 'body', form: 'body', query: 'query', param: 'path', header: 'header', cookie: 'cookie' };

/** At most this many field errors are reported, so a body with thousands of bad fields gets a short answer. */
export const MAX_FIELD_ERRORS = 50;

/**
 * Turns zod issues into located field errors (`body.handle`, `query.limit`, ...). Each unknown key gets its own
 * entry and message: zod's one message lists every unknown key, and repeating it per key grew the answer with
 * the square of the number of keys (10,000 keys overflowed JSON.stringify into a 500).
 */
export function fieldErrors(target: string, error: ZodError): FieldError[] {
  const root = TARGET_NAMES[target] ?? target;
  const errors: FieldError[] = [];
  for (const issue of error.issues) {
    const at = [root, ...issue.path.map(String)];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys.slice(0, MAX_FIELD_ERRORS)) errors.push({ path: [...at, key].join('.'), message: `Unrecognized key: ${JSON.stringify(key)}` });
    } else {
      errors.push({ path: at.join('.'), message: issue.message });
    }
    if (errors.length >= MAX_FIELD_ERRORS) break;
  }
  return errors.slice(0, MAX_FIELD_ERRORS);
}

/**
 * A router for one domain, mounted by `createHost` with `app.route('/v1/<domain>', router)`.
 * @example const router = createRouter(); router.openapi(route, handler);
 */
export function createRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AtriumError({ code: 'VALIDATION_FAILED', errors: fieldErrors(result.target, result.error), cause: result.error });
      }
    },
  });
}

/** The problem+json body, for documenting error responses. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string(),
    code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');

/** Documents the given statuses as problem+json responses. */
export function problems(...statuses: number[]): Record<number, { description: string; content: { 'application/problem+json': { schema: typeof ProblemSchema } } }> {
  return Object.fromEntries(
    statuses.map((status) => [status, { description: 'Problem (RFC 9457)', content: { 'application/problem+json': { schema: ProblemSchema } } }]),
  );
}

/** A JSON request body, required, rejecting unknown fields when `schema` is strict. */
export function jsonBody<T extends z.ZodType>(schema: T): { required: true; content: { 'application/json': { schema: T } } } {
  return { required: true, content: { 'application/json': { schema } } };
}

/** A JSON response. */
export function jsonResponse<T extends z.ZodType>(schema: T, description: string): { description: string; content: { 'application/json': { schema: T } } } {
  return { description, content: { 'application/json': { schema } } };
}
