/**
 * @module Operational endpoints: `/healthz` (the process answers), `/readyz` (the database answers) and the
 * public signing keys at `/.well-known/jwks.json`.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { AtriumError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import { createRouter, jsonResponse, problems } from '../http/router.ts';
import type { TokenService } from '../identity/tokens.ts';

/** Health and key-publication routes, mounted at the root. */
export function systemRoutes(options: { database: Database; tokens: TokenService }): OpenAPIHono {
  const { database, tokens } = options;
  const router = createRouter();
  const Status = z.object({ status: z.literal('ok') });

  router.openapi(
    createRoute({ method: 'get', path: '/healthz', tags: ['system'], summary: 'Liveness', responses: { 200: jsonResponse(Status, 'Alive') } }),
    (c) => c.json({ status: 'ok' as const }, 200),
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/readyz',
      tags: ['system'],
      summary: 'Readiness: the database answers',
      responses: { 200: jsonResponse(Status, 'Ready'), ...problems(503) },
    }),
    async (c) => {
      try {
        await database.ping();
      } catch (cause) {
        throw new AtriumError({ code: 'UNAVAILABLE', detail: 'The database does not answer.', cause });
      }
      return c.json({ status: 'ok' as const }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/.well-known/jwks.json',
      tags: ['system'],
      summary: 'Public keys that verify Atrium access tokens (Ed25519, by kid)',
      responses: { 200: jsonResponse(z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), 'JWKS') },
    }),
    async (c) => {
      c.header('cache-control', 'public, max-age=300');
      return c.json((await tokens.jwks()) as { keys: Record<string, unknown>[] }, 200);
    },
  );

  return router;
}
