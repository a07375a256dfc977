/**
 * @module URL rules for view props: what an image may load and where a navigator may go.
 *
 * - `src` (image): `https:` URLs without credentials, app asset paths (`/assets/logo.png`, `images/a.jpg`), or
 *   small `data:image/(png|jpeg|gif|webp);base64,…` URIs (never SVG, which can carry script).
 * - `url` (navigator): one of the app's own routes with an optional query (`/pages/detail?id=3`).
 * Everything else — `javascript:`, `vbscript:`, `data:text/html`, `http:`, `//host`, `..` segments, spaces or
 * control characters — is refused. The checks are whitelists, so case tricks and encodings cannot get through.
 */

/** Longest URL accepted in a view prop. */
export const MAX_URL_LENGTH = 2048;
/** Longest `data:image/…` URI accepted in an image `src` (bytes of the whole URI). */
export const MAX_DATA_IMAGE_LENGTH = 64 * 1024;

const SEGMENT = '[A-Za-z0-9_\\-][A-Za-z0-9_\\-.]*';
const ASSET_PATH = new RegExp(`^(?:/|\\./)?(?:${SEGMENT}/)*${SEGMENT}$`);
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/;
const ROUTE = /^\/?([A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*)(?:\?([^\s#\\]*))?$/;

/**
 * True for an app asset path: relative segments of letters, digits, `_`, `-`, `.`, never `.` or `..` alone.
 * @example isAssetPath('/assets/logo.png'); // true
 */
export function isAssetPath(value: string): boolean {
  return value.length <= MAX_URL_LENGTH && ASSET_PATH.test(value);
}

/**
 * True for an absolute `https:` URL with a host and no user name or password.
 * @example isHttpsUrl('https://cdn.example.com/a.png'); // true
 */
export function isHttpsUrl(value: string): boolean {
  if (value.length > MAX_URL_LENGTH || !value.startsWith('https://')) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '' && !/[\s\\]/.test(value);
}

/**
 * Why `value` is not an acceptable image source, or undefined when it is.
 * @example imageSrcProblem('javascript:alert(1)'); // 'must be an https URL, an app asset path or a data:image URI'
 */
export function imageSrcProblem(value: string): string | undefined {
  if (value.startsWith('data:')) {
    if (value.length > MAX_DATA_IMAGE_LENGTH) return `data URIs may be at most ${MAX_DATA_IMAGE_LENGTH} characters`;
    return DATA_IMAGE.test(value) ? undefined : 'only base64 data:image/png, jpeg, gif or webp URIs are allowed';
  }
  return isHttpsUrl(value) || isAssetPath(value) ? undefined : 'must be an https URL, an app asset path or a data:image URI';
}

/**
 * Splits an app route into its page path and query string, or undefined when it is not one.
 * @example parseRoute('/pages/detail?id=3'); // { path: 'pages/detail', query: 'id=3' }
 */
export function parseRoute(value: string): { path: string; query: string } | undefined {
  if (value.length > MAX_URL_LENGTH) return undefined;
  const match = ROUTE.exec(value);
  if (!match || match[1] === undefined) return undefined;
  return { path: match[1], query: match[2] ?? '' };
}

/**
 * Why `value` is not one of the app's routes, or undefined when it is. With `routes` (the manifest's pages),
 * the page must be one of them.
 * @example routeProblem('/pages/detail?id=3', ['pages/index', 'pages/detail']); // undefined
 */
export function routeProblem(value: string, routes?: readonly string[]): string | undefined {
  const route = parseRoute(value);
  if (!route) return 'must be an app route such as /pages/detail?id=3';
  if (routes && !routes.includes(route.path)) return `"${route.path}" is not a page of this app`;
  return undefined;
}
