/**
 * @module Project lints run by `atrium build` before bundling: the layout the entry convention needs
 * (sdk/src/entry.ts) and the view rules a page must follow, located as `file:line: message`.
 *
 * Errors: a manifest page without a module, a missing `src/app.ts`, a page module with no default export, an
 * icon that is neither https nor a file under assets/. Warnings: a page module whose `definePage` has no
 * `render` (the runtime refuses it at launch), a page module the manifest does not list (never bundled), an
 * asset of a type the package refuses.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Manifest } from '../../../sdk/src/manifest.ts';
import { ASSET_TYPES } from './package.ts';

/** One lint finding. */
export interface LintFinding {
  severity: 'error' | 'warning';
  /** `src/pages/index.tsx:12` or `manifest.json: pages[1]`. */
  where: string;
  message: string;
}

/** Lints an app folder against its (already valid) manifest. */
export function lintProject(dir: string, manifest: Manifest): LintFinding[] {
  const findings: LintFinding[] = [];
  const error = (where: string, message: string): number => findings.push({ severity: 'error', where, message });
  const warning = (where: string, message: string): number => findings.push({ severity: 'warning', where, message });

  if (!existsSync(join(dir, 'src', 'app.ts'))) error('src/app.ts', 'missing: it must default-export defineApp({ … })');

  const listed = new Set<string>();
  const pages = [
    ...manifest.pages.map((page, i) => [page, `pages[${i}]`] as const),
    ...(manifest.subpackages ?? []).flatMap((sub, i) => sub.pages.map((page, j) => [`${sub.root}/${page}`, `subpackages[${i}].pages[${j}]`] as const)),
  ];
  for (const [page, where] of pages) {
    const file = ['tsx', 'ts'].map((ext) => join('src', `${page}.${ext}`)).find((f) => existsSync(join(dir, f)));
    if (!file) {
      error(`manifest.json: ${where}`, `"${page}" has no module: create src/${page}.tsx exporting definePage({ … })`);
      continue;
    }
    listed.add(file);
    findings.push(...lintPageSource(file, readFileSync(join(dir, file), 'utf8')));
  }
  for (const sub of manifest.subpackages ?? []) {
    for (const file of walk(join(dir, 'subpackages', sub.name, 'assets'))) {
      const rel = relative(dir, file).split('\\').join('/');
      const ext = rel.slice(rel.lastIndexOf('.') + 1).toLowerCase();
      if (!(ext in ASSET_TYPES)) warning(rel, `is not packaged: assets are images (${Object.keys(ASSET_TYPES).join(', ')})`);
    }
  }

  for (const file of walk(join(dir, 'src', 'pages'))) {
    const rel = relative(dir, file);
    if (/\.tsx?$/.test(rel) && !/\.(test|spec|d)\.tsx?$/.test(rel) && !listed.has(rel) && /\bdefinePage\s*\(/.test(readFileSync(file, 'utf8'))) {
      warning(rel, `defines a page that manifest.json does not list in "pages", so it is never bundled`);
    }
  }

  const icons = [...(manifest.icons ?? []).map((icon, i) => [`icons[${i}].src`, icon.src] as const), ...(manifest.tab_bar?.items ?? []).flatMap((item, i) => [item.icon ? ([`tab_bar.items[${i}].icon`, item.icon] as const) : undefined, item.selected_icon ? ([`tab_bar.items[${i}].selected_icon`, item.selected_icon] as const) : undefined].filter((x) => x !== undefined))];
  for (const [where, ref] of icons) {
    if (/^https:/i.test(ref)) continue;
    const entry = ref.replace(/^\.?\//, '');
    if (!entry.startsWith('assets/')) error(`manifest.json: ${where}`, `"${ref}" must be a file under assets/ (or an https URL)`);
    else if (!existsSync(join(dir, entry))) error(`manifest.json: ${where}`, `"${ref}" does not exist (create ${entry})`);
  }

  for (const file of walk(join(dir, 'assets'))) {
    const rel = relative(dir, file).split('\\').join('/');
    const ext = rel.slice(rel.lastIndexOf('.') + 1).toLowerCase();
    if (!(ext in ASSET_TYPES)) warning(rel, `is not packaged: assets are images (${Object.keys(ASSET_TYPES).join(', ')})`);
  }
  return findings;
}

/**
 * Lints one page module's source: it must default-export `definePage({ … })` with a `render`. The check reads
 * the source text (comments and strings stripped), as TypeScript 7 has no JS parser API to walk.
 */
export function lintPageSource(file: string, source: string): LintFinding[] {
  const code = stripCommentsAndStrings(source);
  const lineOf = (index: number): number => code.slice(0, index).split('\n').length;
  // `export { default } from './shared.tsx'` and `export { page as default }` define the page elsewhere: the
  // first-render check still covers it.
  if (/export\s*\{[^}]*\bdefault\b[^}]*\}/.test(code)) return [];
  const exported = /export\s+default\s+/.exec(code);
  if (!exported) return [{ severity: 'error', where: file, message: 'no default export: export default definePage({ … })' }];
  const call = /\bdefinePage\s*(?:<[^(]*>)?\s*\(/.exec(code);
  if (!call) return [{ severity: 'warning', where: `${file}:${lineOf(exported.index)}`, message: 'the default export is not a definePage({ … }) call, so the view cannot be checked' }];
  if (!/(^|[\s,{])(?:async\s+)?render\s*(?:\(|:)/m.test(code.slice(call.index))) {
    return [{ severity: 'warning', where: `${file}:${lineOf(call.index)}`, message: 'definePage has no render(data): the page will fail to load (add render(data) { return <view>…</view>; })' }];
  }
  return [];
}

/** Blanks comments and string/template contents, keeping line breaks so line numbers stay true. */
function stripCommentsAndStrings(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, (m) => m.replace(/[^\n]/g, ' '));
}

function walk(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : []));
}
