/**
 * @module An app version's static assets (`assets/**` of its uploaded package) at
 * `/v1/apps/<appId>/versions/<code>/assets/<path>` (and a sub-package's `subpackages/<name>/assets/**` at
 * `/v1/apps/<appId>/versions/<code>/subpackages/<name>/assets/<path>`): what `image` components with an asset path load. Public
 * like a CDN (an `<img>` sends no token), immutable per version, and sandboxed so an SVG opened directly cannot
 * run script on the shell's origin.
 */
import { Hono } from 'hono';
import { ASSET_TYPES, readPackage } from '../../../devtools/src/build/package.ts';
import { AtriumError } from '../core/errors.ts';
import type { AppRegistry } from './registry.ts';

/** How many versions' unpacked assets are kept in memory. */
const CACHED_VERSIONS = 32;

const HEADERS = {
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  'cross-origin-resource-policy': 'same-origin',
};

/** The asset route (mounted before the authenticated `/v1/apps` routes). */
export function assetRoutes(options: { registry: AppRegistry }): Hono {
  const app = new Hono();
  const unpacked = new Map<string, Record<string, Uint8Array>>();

  async function assetsOf(appId: string, versionCode: number): Promise<Record<string, Uint8Array> | undefined> {
    const key = `${appId}@${versionCode}`;
    const hit = unpacked.get(key);
    if (hit) return hit;
    const version = await options.registry.version(appId, versionCode).catch(() => undefined);
    if (!version?.package) return undefined;
    const read = readPackage(version.package);
    const assets: Record<string, Uint8Array> = { ...read.assets };
    for (const [sub, contents] of Object.entries(read.subpackages ?? {})) {
      for (const [name, bytes] of Object.entries(contents.assets)) assets[`subpackages/${sub}/${name}`] = bytes;
    }
    if (unpacked.size >= CACHED_VERSIONS) unpacked.delete(unpacked.keys().next().value!);
    unpacked.set(key, assets);
    return assets;
  }

  async function serve(appId: string, versionCode: number, prefix: string, path: string): Promise<Response> {
    const extension = path.split('.').pop()?.toLowerCase() ?? '';
    const type = ASSET_TYPES[extension as keyof typeof ASSET_TYPES];
    const assets = type && !path.split('/').includes('..') ? await assetsOf(appId, versionCode) : undefined;
    const bytes = assets?.[`${prefix}assets/${path}`];
    if (!bytes || !type) throw new AtriumError({ code: 'NOT_FOUND', detail: 'This version has no such asset.' });
    return new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200, headers: { ...HEADERS, 'content-type': type } });
  }

  app.get('/:appId{[a-z][a-z0-9_.]{2,63}}/versions/:versionCode{[0-9]{1,10}}/assets/:path{.+}', (c) =>
    serve(c.req.param('appId'), Number(c.req.param('versionCode')), '', c.req.param('path')),
  );
  app.get('/:appId{[a-z][a-z0-9_.]{2,63}}/versions/:versionCode{[0-9]{1,10}}/subpackages/:name{[a-z0-9_-]{1,32}}/assets/:path{.+}', (c) =>
    serve(c.req.param('appId'), Number(c.req.param('versionCode')), `subpackages/${c.req.param('name')}/`, c.req.param('path')),
  );
  return app;
}
