/**
 * @module The web shell's HTTP edge: the page at `/` and at every client-side route, and the bundles at
 * `/assets/*`. Mounted last, after the API.
 */
import { Hono, type Context } from 'hono';
import { CLIENT_PATHS } from '../../web/src/paths.ts';
import { buildShell, shellFile, type BuildShellOptions, type ShellFile } from './build-shell.ts';
import { PAGE_SECURITY_HEADERS, renderShellPage } from './html.ts';

/** Options of {@link shellRoutes}. */
export interface ShellRoutesOptions {
  /** The address QR codes point at, without a trailing slash; the shell recognizes its own links by it. */
  publicUrl: string;
  /** How to build the bundles. @default minified, with source maps, built once per process */
  build?: BuildShellOptions;
}

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The shell's routes. The bundle is built on the first request (or call {@link buildShell} at start-up to
 * fail fast); a build error surfaces as that request's error.
 * @example app.route('/', shellRoutes({ publicUrl: config.publicUrl }));
 */
export function shellRoutes(options: ShellRoutesOptions): Hono {
  const app = new Hono();
  let page: { source: object; file: ShellFile } | undefined;

  async function pageFile(): Promise<ShellFile> {
    const built = await buildShell(options.build);
    if (page?.source !== built) {
      const html = new TextEncoder().encode(renderShellPage(built.entry, options.publicUrl));
      page = { source: built, file: shellFile('/index.html', html, false) };
    }
    return page.file;
  }

  const servePage = async (c: Context): Promise<Response> => {
    const file = await pageFile();
    return respond(c, file, { 'cache-control': 'no-cache', ...PAGE_SECURITY_HEADERS });
  };
  for (const path of CLIENT_PATHS) app.get(path, servePage);

  app.get('/assets/:name{.+}', async (c) => {
    const { files } = await buildShell(options.build);
    const file = files.get(c.req.path);
    if (!file) return c.notFound();
    return respond(c, file, {
      'cache-control': file.immutable ? IMMUTABLE : 'no-cache',
      'x-content-type-options': 'nosniff',
    });
  });

  return app;
}

/** Sends `file`, or `304 Not Modified` when the client already holds this version. */
function respond(c: Context, file: ShellFile, headers: Record<string, string>): Response {
  const all: Record<string, string> = { ...headers, etag: file.etag };
  if (matchesEtag(c.req.header('if-none-match'), file.etag)) return new Response(null, { status: 304, headers: all });
  all['content-type'] = file.contentType;
  all['content-length'] = String(file.body.byteLength);
  return new Response(c.req.method === 'HEAD' ? null : (file.body as Uint8Array<ArrayBuffer>), { status: 200, headers: all });
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header === '*' || header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
