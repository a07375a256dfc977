/**
 * @module The mini-app manifest (`manifest.json`): a strict zod schema with W3C MiniApp Manifest field names
 * where one fits (`app_id`, `name`, `short_name`, `version { name, code }`, `pages`, `window`, `req_permissions`),
 * plus `tab_bar`, `network_domains` and `min_platform_version`. Unknown fields are refused; errors are located.
 */
import { z } from 'zod';
import { isAssetPath, isHttpsUrl } from './view/url.ts';

const PagePath = z.string().max(256).regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'a page path such as pages/index (no leading slash, no extension)');
const HexColor = z.string().regex(/^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/, 'a hex color such as #ffffff');
const Semver = z.string().regex(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/, 'a version such as 1.2.0');
const Icon = z.string().max(2048).refine((v) => isAssetPath(v) || isHttpsUrl(v), 'an app asset path or an https URL');
const Host = z
  .string()
  .max(253)
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*(?::\d{1,5})?$/, 'a lowercase host name with an optional port, no scheme (api.example.com)');

/** A sub-package's name: it names its folder in the package (`subpackages/<name>/`). */
const SUBPACKAGE_NAME = /^[a-z0-9_-]+$/;
/** Sub-packages an app may declare. */
export const MAX_SUBPACKAGES = 50;
/** Pages of an app in all (main package and sub-packages). */
export const MAX_ROUTES = 200;

/** True when `path` is `root` or lies under it (`stats/pages/a` under `stats`). */
const isUnder = (path: string, root: string): boolean => path === root || path.startsWith(`${root}/`);

const unique = <T>(items: readonly T[], key: (item: T) => string = String): boolean => new Set(items.map(key)).size === items.length;

/** The manifest schema. */
export const ManifestSchema = z
  .strictObject({
    /** Reverse-domain id, e.g. `dev.atrium.todo` (the launch link's `<appId>`). */
    app_id: z.string().min(3).max(64).regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'reverse-domain style, e.g. dev.atrium.todo'),
    name: z.string().min(1).max(64),
    short_name: z.string().min(1).max(16).optional(),
    description: z.string().max(500).optional(),
    version: z.strictObject({
      /** Shown to people, e.g. `1.2.0`. */
      name: z.string().min(1).max(32),
      /** Strictly increasing per upload. */
      code: z.number().int().min(1),
    }),
    /** Page paths; the first is the home page. */
    pages: z.array(PagePath).min(1).max(100).refine((p) => unique(p), 'pages must be unique'),
    icons: z.array(z.strictObject({ src: Icon, sizes: z.string().regex(/^\d+x\d+( \d+x\d+)*$/).optional(), label: z.string().max(64).optional() })).max(10).optional(),
    window: z
      .strictObject({
        navigation_bar_title_text: z.string().max(64).optional(),
        /** @default '#000000' */
        navigation_bar_background_color: HexColor.optional(),
        /** @default 'white' */
        navigation_bar_text_style: z.enum(['white', 'black']).optional(),
        /** @default '#ffffff' */
        background_color: HexColor.optional(),
        /** Pages get `onPullDownRefresh`. @default false */
        enable_pull_down_refresh: z.boolean().optional(),
        /** px from the bottom that fires `onReachBottom`. @default 50 */
        on_reach_bottom_distance: z.number().int().min(0).max(1000).optional(),
      })
      .optional(),
    tab_bar: z
      .strictObject({
        color: HexColor.optional(),
        selected_color: HexColor.optional(),
        background_color: HexColor.optional(),
        items: z
          .array(z.strictObject({ page: PagePath, text: z.string().min(1).max(16), icon: Icon.optional(), selected_icon: Icon.optional() }))
          .min(2, 'a tab bar has 2 to 5 items')
          .max(5, 'a tab bar has 2 to 5 items')
          .refine((items) => unique(items, (i) => i.page), 'tab pages must be unique'),
      })
      .optional(),
    /** Permission scopes the app may ask for, each with the reason shown in the consent sheet. */
    req_permissions: z
      .array(z.strictObject({ name: z.string().min(1).max(64).regex(/^[a-zA-Z][a-zA-Z0-9_.]*$/, 'a scope such as scope.userInfo'), reason: z.string().min(1).max(200) }))
      .max(20)
      .refine((p) => unique(p, (x) => x.name), 'permissions must be unique')
      .optional(),
    /** Hosts `atrium.request` may reach over https (the host refuses all others). */
    network_domains: z.array(Host).max(20).refine((d) => unique(d), 'domains must be unique').optional(),
    /** The oldest platform version the app runs on (compare with PLATFORM_VERSION). */
    min_platform_version: Semver.optional(),
    /**
     * Lazily loaded sub-packages (WeChat's `subpackages`): each has its own logic bundle
     * (`subpackages/<name>/app.js` in the package), loaded into a session only when it first opens one of its pages.
     * A page's route is `<root>/<page>` (module `src/<root>/<page>.tsx`). Tab bar pages stay in the main package.
     */
    subpackages: z
      .array(
        z.strictObject({
          /** Names the package entry `subpackages/<name>/`. */
          name: z.string().min(1).max(32).regex(SUBPACKAGE_NAME, 'lowercase letters, digits, _ and - only, e.g. stats'),
          /** Route prefix of its pages, e.g. `stats` (pages `stats/pages/index`). */
          root: PagePath,
          /** Page paths relative to `root`. */
          pages: z.array(PagePath).min(1).max(100).refine((p) => unique(p), 'pages must be unique'),
        }),
      )
      .max(MAX_SUBPACKAGES)
      .optional(),
  })
  .superRefine((manifest, ctx) => {
    manifest.tab_bar?.items.forEach((item, i) => {
      if (!manifest.pages.includes(item.page)) ctx.addIssue({ code: 'custom', path: ['tab_bar', 'items', i, 'page'], message: `"${item.page}" is not in pages (tab bar pages must be in the main package)` });
    });
    const subs = manifest.subpackages ?? [];
    const names = new Map<string, number>();
    const routes = new Map<string, string>(manifest.pages.map((page, i) => [page, `pages[${i}]`]));
    subs.forEach((sub, i) => {
      const first = names.get(sub.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['subpackages', i, 'name'], message: `"${sub.name}" is already the name of subpackages[${first}]` });
      else names.set(sub.name, i);
      subs.forEach((other, j) => {
        if (j >= i) return;
        if (other.root === sub.root) ctx.addIssue({ code: 'custom', path: ['subpackages', i, 'root'], message: `"${sub.root}" is already the root of subpackages[${j}]` });
        else if (isUnder(sub.root, other.root) || isUnder(other.root, sub.root)) ctx.addIssue({ code: 'custom', path: ['subpackages', i, 'root'], message: `"${sub.root}" and the root of subpackages[${j}] ("${other.root}") nest; roots must be distinct folders` });
      });
      manifest.pages.forEach((page, p) => {
        if (isUnder(page, sub.root)) ctx.addIssue({ code: 'custom', path: ['pages', p], message: `"${page}" lies under the root of subpackages[${i}] ("${sub.root}"); move it into that sub-package or rename the root` });
      });
      sub.pages.forEach((page, p) => {
        const route = `${sub.root}/${page}`;
        const where = routes.get(route);
        if (where !== undefined) ctx.addIssue({ code: 'custom', path: ['subpackages', i, 'pages', p], message: `"${route}" is already a page (${where}); pages must be unique across the main package and sub-packages` });
        else if (route.length > 256) ctx.addIssue({ code: 'custom', path: ['subpackages', i, 'pages', p], message: `"${route}" is longer than 256 characters` });
        routes.set(route, `subpackages[${i}].pages[${p}]`);
      });
    });
    if (routes.size > MAX_ROUTES) ctx.addIssue({ code: 'custom', path: ['subpackages'], message: `${routes.size} pages in all; an app has at most ${MAX_ROUTES}` });
  });

/** A valid manifest. */
export type Manifest = z.infer<typeof ManifestSchema>;

/** A sub-package as declared in the manifest. */
export type ManifestSubpackage = NonNullable<Manifest['subpackages']>[number];

/**
 * Every route of the app: the main package's pages, then each sub-package's (`<root>/<page>`).
 * @example manifestRoutes(manifest); // ['pages/index', 'stats/pages/index']
 */
export function manifestRoutes(manifest: Pick<Manifest, 'pages' | 'subpackages'>): string[] {
  return [...manifest.pages, ...(manifest.subpackages ?? []).flatMap((sub) => subpackageRoutes(sub))];
}

/**
 * A sub-package's routes (`<root>/<page>`).
 * @example subpackageRoutes({ name: 'stats', root: 'stats', pages: ['pages/index'] }); // ['stats/pages/index']
 */
export function subpackageRoutes(sub: Pick<ManifestSubpackage, 'root' | 'pages'>): string[] {
  return sub.pages.map((page) => `${sub.root}/${page}`);
}

/**
 * The sub-package a route belongs to, or undefined for a main-package page (or an unknown route).
 * @example subpackageOf(manifest, 'stats/pages/index')?.name; // 'stats'
 */
export function subpackageOf(manifest: Pick<Manifest, 'subpackages'>, route: string): ManifestSubpackage | undefined {
  const path = route.replace(/^\/+/, '');
  return manifest.subpackages?.find((sub) => sub.pages.some((page) => `${sub.root}/${page}` === path));
}

/** The result of {@link parseManifest}. */
export type ManifestResult = { ok: true; manifest: Manifest } | { ok: false; errors: string[] };

/** Formats a zod path as `tab_bar.items[2].page`. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? String(part) : `.${String(part)}`;
  return out === '' ? 'manifest' : out;
}

/**
 * Validates a parsed `manifest.json`; errors are located (`window.navigation_bar_text_style: …`).
 * @example
 * const result = parseManifest(JSON.parse(await readFile('manifest.json', 'utf8')));
 * if (!result.ok) console.error(result.errors.join('\n'));
 */
export function parseManifest(input: unknown): ManifestResult {
  const result = ManifestSchema.safeParse(input);
  if (result.success) return { ok: true, manifest: result.data };
  const errors: string[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) errors.push(`${formatPath([...issue.path, key])}: unknown field`);
    else errors.push(`${formatPath(issue.path)}: ${issue.message}`);
  }
  return { ok: false, errors };
}

/**
 * Compares `a.b.c` versions numerically (pre-release tags ignored): negative, zero or positive.
 * @example compareVersions('0.10.0', '0.9.1') > 0; // true
 */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string): number[] => v.split('-')[0]!.split('.').map((n) => Number(n) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * True when the platform (`PLATFORM_VERSION` of this SDK, or the host's) satisfies `min_platform_version`.
 * @example isPlatformCompatible(manifest, PLATFORM_VERSION);
 */
export function isPlatformCompatible(manifest: Pick<Manifest, 'min_platform_version'>, platformVersion: string): boolean {
  return manifest.min_platform_version === undefined || compareVersions(platformVersion, manifest.min_platform_version) >= 0;
}
