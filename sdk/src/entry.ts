/**
 * @module The bundle entry convention: the source of the entry module the host's bundler (and later the CLI)
 * generates from a manifest, so that an app never writes its own.
 *
 * Layout of `miniapps/<name>/`: `manifest.json`; `src/app.ts` whose default export is `defineApp(…)`; for every
 * manifest page `pages/<path>`, `src/pages/<path>.tsx` (or `.ts`) whose default export is `definePage(…)`. The
 * entry imports them all and calls `startApp({ app, pages: { '<page>': … } })`; esbuild bundles it as an IIFE.
 */

/** What {@link createEntrySource} takes. */
export interface EntryOptions {
  /** The manifest's `pages`. */
  pages: readonly string[];
  /** Module of the app definition, relative to the entry's directory. @default './src/app.ts' */
  appModule?: string;
  /** Module of a page. @default (page) => `./src/${page}.tsx` */
  pageModule?: (page: string) => string;
  /** Where the SDK is imported from. @default '@atrium/sdk' */
  sdkModule?: string;
}

/**
 * The entry module's source for a manifest's pages (bundle it with `resolveDir` set to the app's directory).
 * @example
 * const contents = createEntrySource({ pages: manifest.pages });
 * await esbuild.build({ stdin: { contents, resolveDir: appDir, loader: 'ts' }, bundle: true, format: 'iife',
 *   jsx: 'automatic', jsxImportSource: '@atrium/sdk', write: false });
 */
export function createEntrySource(options: EntryOptions): string {
  const appModule = options.appModule ?? './src/app.ts';
  const pageModule = options.pageModule ?? ((page: string) => `./src/${page}.tsx`);
  const sdk = options.sdkModule ?? '@atrium/sdk';
  const lines = [`import { startApp } from ${JSON.stringify(sdk)};`, `import app from ${JSON.stringify(appModule)};`];
  const entries: string[] = [];
  options.pages.forEach((page, i) => {
    if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(page)) throw new TypeError(`createEntrySource: bad page path ${JSON.stringify(page)}`);
    lines.push(`import page${i} from ${JSON.stringify(pageModule(page))};`);
    entries.push(`  ${JSON.stringify(page)}: page${i},`);
  });
  lines.push('', 'startApp({', '  app,', '  pages: {', ...entries.map((e) => `  ${e}`), '  },', '});', '');
  return lines.join('\n');
}

/** What {@link createSubpackageEntrySource} takes. */
export interface SubpackageEntryOptions {
  /** The sub-package's `name` in the manifest. */
  name: string;
  /** Its routes (`<root>/<page>`, see `subpackageRoutes`). */
  routes: readonly string[];
  /** Module of a page by route. @default (route) => `./src/${route}.tsx` */
  pageModule?: (route: string) => string;
  /** Where the SDK is imported from. @default '@atrium/sdk' */
  sdkModule?: string;
}

/**
 * The entry of a sub-package's own bundle (`subpackages/<name>/app.js`): it imports the sub-package's pages and
 * hands them to the app already running in the session with `registerSubpackage`. The bundle carries its own copy
 * of the SDK modules its pages use (esbuild does not share modules between bundles).
 * @example
 * const contents = createSubpackageEntrySource({ name: 'stats', routes: ['stats/pages/index'] });
 */
export function createSubpackageEntrySource(options: SubpackageEntryOptions): string {
  const pageModule = options.pageModule ?? ((route: string) => `./src/${route}.tsx`);
  const sdk = options.sdkModule ?? '@atrium/sdk';
  if (!/^[a-z0-9_-]+$/.test(options.name)) throw new TypeError(`createSubpackageEntrySource: bad name ${JSON.stringify(options.name)}`);
  const lines = [`import { registerSubpackage } from ${JSON.stringify(sdk)};`];
  const entries: string[] = [];
  options.routes.forEach((route, i) => {
    if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(route)) throw new TypeError(`createSubpackageEntrySource: bad route ${JSON.stringify(route)}`);
    lines.push(`import page${i} from ${JSON.stringify(pageModule(route))};`);
    entries.push(`    ${JSON.stringify(route)}: page${i},`);
  });
  lines.push('', 'registerSubpackage({', `  name: ${JSON.stringify(options.name)},`, '  pages: {', ...entries, '  },', '});', '');
  return lines.join('\n');
}
