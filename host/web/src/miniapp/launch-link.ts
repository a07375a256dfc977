/**
 * @module Mini-app launch addresses: `atrium://app/<appId>[/<page>][?query]` and
 * `<public-url>/a/<appId>[/<page>][?query]` (DESIGN.md "Addresses and QR codes"), parsed into what
 * `app.launch` needs, and the container's own path for them.
 */

/** What opening an app needs: its id, the page (none: the app's first page) and the page's query. */
export interface LaunchTarget {
  appId: string;
  path: string | undefined;
  query: Record<string, string>;
}

// keep in sync with host/src/sessions/protocol.ts (AppId, PagePath, Query)
const APP_ID = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
const PAGE_PATH = /^[A-Za-z0-9_\-/]+$/;
const MAX_QUERY_KEYS = 32;
const ATRIUM_LINK = /^atrium:\/\/app\/([^/?#]+)(?:\/([^?#]*))?(?:\?([^#]*))?(?:#.*)?$/i;

/** True for a well-formed app id (reverse-domain style, e.g. `dev.atrium.todo`). */
export function isAppId(value: string): boolean {
  return value.length >= 3 && value.length <= 64 && APP_ID.test(value);
}

/** The page path without surrounding slashes; `undefined` for none, `null` when it is not a valid page path. */
export function normalizePagePath(raw: string | undefined): string | undefined | null {
  if (raw === undefined) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  const path = decoded.replace(/^\/+|\/+$/g, '');
  if (path === '') return undefined;
  if (path.length > 256 || !PAGE_PATH.test(path) || path.includes('//')) return null;
  return path;
}

/** The query as `app.launch` takes it; `null` when it breaks the protocol's limits. */
export function parseQuery(search: string): Record<string, string> | null {
  const query: Record<string, string> = {};
  const params = new URLSearchParams(search.startsWith('?') ? search.slice(1) : search);
  let count = 0;
  for (const [key, value] of params) {
    if (key === '' || key.length > 64 || value.length > 1024 || ++count > MAX_QUERY_KEYS) return null;
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    query[key] = value;
  }
  return query;
}

function target(appId: string, page: string | undefined, search: string | undefined): LaunchTarget | undefined {
  let id: string;
  try {
    id = decodeURIComponent(appId);
  } catch {
    return undefined;
  }
  if (!isAppId(id)) return undefined;
  const path = normalizePagePath(page);
  const query = parseQuery(search ?? '');
  if (path === null || query === null) return undefined;
  return { appId: id, path, query };
}

/**
 * The container's address `/a/<appId>/<page>?query` split into a launch target; `undefined` when the app id,
 * page or query is not valid.
 * @example parseContainerPath('/a/dev.atrium.todo/pages/list', '?tag=home') // { appId: 'dev.atrium.todo', path: 'pages/list', query: { tag: 'home' } }
 */
export function parseContainerPath(pathname: string, search: string): LaunchTarget | undefined {
  const match = /^\/a\/([^/]+)(?:\/(.*))?$/.exec(pathname);
  if (!match?.[1]) return undefined;
  return target(match[1], match[2], search);
}

/**
 * A launch link in either form; only `/a/…` links of `origins` (this page's and the public URL's) count.
 * @example parseLaunchLink('atrium://app/dev.atrium.todo/pages/item?id=3', []) // { appId: 'dev.atrium.todo', path: 'pages/item', query: { id: '3' } }
 */
export function parseLaunchLink(text: string, origins: readonly string[]): LaunchTarget | undefined {
  const trimmed = text.trim();
  const atrium = ATRIUM_LINK.exec(trimmed);
  if (atrium?.[1]) return target(atrium[1], atrium[2], atrium[3]);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !origins.includes(url.origin)) return undefined;
  return parseContainerPath(url.pathname, url.search);
}

function querySuffix(query: Record<string, string>): string {
  const search = new URLSearchParams(query).toString();
  return search ? `?${search}` : '';
}

/** The container's path for `target` (what the router opens). */
export function containerPath(target: LaunchTarget): string {
  const page = target.path ? `/${target.path.split('/').map(encodeURIComponent).join('/')}` : '';
  return `/a/${encodeURIComponent(target.appId)}${page}${querySuffix(target.query)}`;
}

/** The https launch link of a page, for QR codes any phone camera opens: `${origin}/a/${appId}/${page}?${query}`. */
export function launchUrl(origin: string, target: LaunchTarget): string {
  return `${origin.replace(/\/+$/, '')}${containerPath(target)}`;
}
