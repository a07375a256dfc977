/**
 * @module The view lint of `atrium build`: renders every page once with its initial `data` (the first paint)
 * and checks the tree with the SDK's `validateViewTree` — the validator the runtime applies before a tree
 * reaches the shell — plus the audit rules of reference/miniprogram.md (≤ 60 children per node) and handler
 * names the page does not define.
 *
 * The pages run in a `node:vm` context with a time limit. That is not a sandbox: it runs the developer's own
 * code on their machine, as their tests do; it only keeps build-time globals apart.
 */
import { runInNewContext } from 'node:vm';
import { build } from 'esbuild';
import { manifestRoutes, type Manifest } from '../../../sdk/src/manifest.ts';
import { VIEW_LIMITS } from '../../../sdk/src/protocol.ts';
import { isEventProp } from '../../../sdk/src/view/props.ts';
import { validateViewTree } from '../../../sdk/src/view/validate.ts';
import { NODE_PATHS, pageModulePath } from './bundle.ts';
import type { LintFinding } from './lint.ts';

/** The most children a node should have (WeChat's audit). */
export const MAX_CHILDREN = 60;

interface RenderOutcome {
  tree?: unknown;
  handlers?: string[];
  error?: string;
}

/** The entry that imports every page and renders each with a copy of its initial data. */
function lintEntry(dir: string, pages: readonly string[]): string {
  const lines = ["import { toRoot } from '@atrium/sdk/jsx-runtime';"];
  pages.forEach((page, i) => lines.push(`import page${i} from ${JSON.stringify(pageModulePath(dir, page))};`));
  lines.push(
    `const pages = { ${pages.map((p, i) => `${JSON.stringify(p)}: page${i}`).join(', ')} };`,
    'const out = {};',
    'for (const [route, def] of Object.entries(pages)) {',
    '  try {',
    '    const options = def && def.options;',
    "    if (!options || typeof options.render !== 'function') { out[route] = { error: 'the default export is not a definePage({ … }) page' }; continue; }",
    '    const data = JSON.parse(JSON.stringify(options.data ?? {}));',
    '    const handlers = Object.keys(options.handlers ?? {});',
    '    const self = { ...(options.handlers ?? {}), data, route, pageId: 1, query: {}, setData() {} };',
    '    out[route] = { tree: toRoot(options.render.call(self, data)), handlers };',
    '  } catch (error) {',
    '    out[route] = { error: String((error && error.message) || error) };',
    '  }',
    '}',
    'globalThis.__atriumLint = JSON.stringify(out);',
  );
  return lines.join('\n');
}

/** Renders each page's first paint and lints the trees; findings are located by page module. */
export async function lintFirstRender(dir: string, manifest: Manifest, timeoutMs = 2000): Promise<LintFinding[]> {
  const result = await build({
    stdin: { contents: lintEntry(dir, manifestRoutes(manifest)), resolveDir: dir, loader: 'ts', sourcefile: 'atrium-view-lint.ts' },
    bundle: true,
    format: 'iife',
    platform: 'neutral',
    target: 'es2022',
    jsx: 'automatic',
    jsxImportSource: '@atrium/sdk',
    mainFields: ['module', 'main'],
    conditions: ['import'],
    nodePaths: NODE_PATHS,
    absWorkingDir: dir,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]?.text ?? '';
  const quiet = { log() {}, info() {}, warn() {}, error() {}, debug() {} };
  const context: { __atriumLint?: string; console: typeof quiet } = { console: quiet };
  try {
    runInNewContext(code, context, { timeout: timeoutMs, filename: 'atrium-view-lint.js' });
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    return [{ severity: 'warning', where: 'src/pages', message: `the pages could not be loaded to check their first render: ${message}` }];
  }
  const outcomes = JSON.parse(context.__atriumLint ?? '{}') as Record<string, RenderOutcome>;
  const findings: LintFinding[] = [];
  const routes = manifestRoutes(manifest);
  for (const page of routes) {
    const where = pageModulePath(dir, page).slice(2);
    const outcome = outcomes[page];
    if (!outcome) continue;
    if (outcome.error !== undefined) {
      findings.push({ severity: 'warning', where, message: `render(initial data) threw: ${outcome.error} (the first paint will fail unless onLoad sets the data first)` });
      continue;
    }
    const verdict = validateViewTree(outcome.tree, { routes, maxNodes: VIEW_LIMITS.maxNodes, maxDepth: VIEW_LIMITS.maxDepth });
    if (!verdict.ok) for (const e of verdict.errors) findings.push({ severity: 'error', where, message: `first render: ${e} (the runtime refuses this view)` });
    const handlers = new Set(outcome.handlers ?? []);
    walk(outcome.tree, 'root', (node, path) => {
      if (node.children.length > MAX_CHILDREN) findings.push({ severity: 'warning', where, message: `first render: ${path} has ${node.children.length} children (keep it ≤ ${MAX_CHILDREN}; page long lists)` });
      for (const [prop, value] of Object.entries(node.props)) {
        if (isEventProp(prop) && typeof value === 'string' && !handlers.has(value)) findings.push({ severity: 'warning', where, message: `first render: ${path}.${prop} names handler "${value}", which the page does not define` });
      }
    });
  }
  return findings;
}

interface Element {
  type: string;
  props: Record<string, unknown>;
  children: unknown[];
}

function walk(node: unknown, path: string, visit: (node: Element, path: string) => void): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const element = node as Partial<Element>;
  if (typeof element.type !== 'string' || !Array.isArray(element.children)) return;
  const full = { type: element.type, props: element.props ?? {}, children: element.children };
  visit(full, `${path}<${full.type}>`);
  full.children.forEach((child, i) => walk(child, `${path}<${full.type}>[${i}]`, visit));
}
