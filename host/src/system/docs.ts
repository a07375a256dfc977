/**
 * @module The API's documentation: `/openapi.json` (OpenAPI 3.1, generated from the routes' zod schemas),
 * an interactive reference at `/docs` (Swagger UI, served from the local package — no CDN), and
 * `/docs/problems`, where every problem `type` URI points.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { CODES } from '../core/codes.ts';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
};

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Atrium API reference</title><link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script><script src="/docs/init.js"></script></body></html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false, tryItOutEnabled: true });`;

function problemsPage(): string {
  const rows = Object.entries(CODES)
    .map(([code, info]) => `<tr id="${code}"><td><code>${code}</code></td><td>${info.status}</td><td>${escapeHtml(info.title)}</td></tr>`)
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Atrium problem types</title></head><body>
<h1>Problem types</h1><p>Every error is an RFC 9457 <code>application/problem+json</code> document whose <code>code</code> is one of these. Codes never change meaning.</p>
<table><thead><tr><th>code</th><th>status</th><th>title</th></tr></thead><tbody>${rows}</tbody></table></body></html>`;
}

/** Mounts `/openapi.json` (from `api`) and the `/docs` pages. */
export function docsRoutes(api: OpenAPIHono): Hono {
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  const router = new Hono();
  let document: unknown;
  router.get('/openapi.json', (c) => {
    document ??= api.getOpenAPI31Document({
      openapi: '3.1.0',
      info: {
        title: 'Atrium API',
        version: '1',
        description: 'Identity, contacts and more. Errors are RFC 9457 problem+json with a stable `code`; see /docs/problems.',
      },
      servers: [{ url: c.get('config').publicUrl }],
    });
    return c.json(document);
  });
  const html = { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'" };
  router.get('/docs', (c) => c.body(PAGE, 200, html));
  router.get('/docs/init.js', (c) => c.body(INIT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  router.get('/docs/problems', (c) => c.body(problemsPage(), 200, html));
  router.get('/docs/assets/:file', async (c) => {
    const file = c.req.param('file');
    const type = ASSETS[file];
    if (!type) return c.notFound();
    return c.body(await readFile(join(SWAGGER_DIR, file)), 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  return router;
}
