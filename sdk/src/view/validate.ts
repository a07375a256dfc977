/**
 * @module `validateViewTree`: checks a whole view tree against the component whitelist before it is diffed
 * and sent to the shell. The runtime calls it on every render; errors are located
 * (`root.children[2].props.src: …`) so the developer can find the node.
 */
import type { z } from 'zod';
import { isPlainObject } from '../json.ts';
import { VIEW_LIMITS, type ViewNode } from '../protocol.ts';
import { componentSpec, COMPONENT_NAMES } from './registry.ts';
import type { ComponentSpec } from './define-component.ts';
import { routeProblem } from './url.ts';

/** Longest text node. */
export const MAX_TEXT_LENGTH = 20_000;
/** Longest string `key`. */
export const MAX_KEY_LENGTH = 128;
/** At most this many errors are listed; the rest are counted. */
export const MAX_REPORTED_ERRORS = 50;

/** Options of {@link validateViewTree}. */
export interface ValidateOptions {
  /** The app's pages (manifest `pages`): navigator URLs must name one of them. */
  routes?: readonly string[];
  /** @default VIEW_LIMITS.maxNodes */
  maxNodes?: number;
  /** @default VIEW_LIMITS.maxDepth (elements on the longest path; text leaves do not count) */
  maxDepth?: number;
}

/** The result of {@link validateViewTree}. */
export type ValidationResult = { ok: true } | { ok: false; errors: string[] };

const ELEMENT_FIELDS = new Set(['type', 'key', 'props', 'children']);

function formatIssuePath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `.${String(part)}`;
  return out;
}

/** Where a node is: the root (undefined) or child `index` of another node; see {@link pathOf}. */
type NodePath = { parent: NodePath; index: number } | undefined;

/** A node's path as errors show it: `root.children[2].children[0]`. */
function pathOf(at: NodePath): string {
  const indexes: number[] = [];
  for (let p = at; p !== undefined; p = p.parent) indexes.push(p.index);
  let out = 'root';
  for (let i = indexes.length - 1; i >= 0; i--) out += `.children[${indexes[i]}]`;
  return out;
}

/** A stable identity for a key: `1` and `"1"` are the same key. */
export function keyId(key: string | number): string {
  return String(key);
}

/**
 * Validates a whole view tree (untrusted JSON from the guest): the node and depth limits, components, props
 * (types, URLs, styles, handler names), children policies and unique sibling keys.
 * @example
 * validateViewTree({ type: 'view', props: { onTap: 'add' }, children: ['Add'] }); // { ok: true }
 * validateViewTree({ type: 'script', props: {}, children: [] });
 * // { ok: false, errors: ['root: unknown component "script" (allowed: view, text, …)'] }
 */
export function validateViewTree(tree: ViewNode | unknown, options: ValidateOptions = {}): ValidationResult {
  const maxNodes = options.maxNodes ?? VIEW_LIMITS.maxNodes;
  const maxDepth = options.maxDepth ?? VIEW_LIMITS.maxDepth;
  const errors: string[] = [];
  let dropped = 0;
  let nodes = 0;
  let tooMany = false;
  let tooDeep = false;
  const report = (message: string): void => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push(message);
    else dropped++;
  };

  // A node's path (`root.children[2]`) is built only when something there is reported: most trees have no
  // errors, and a string per node was a large share of validating a clean re-render.
  const visit = (node: unknown, at: NodePath, depth: number, parent: ComponentSpec | undefined): void => {
    nodes++;
    if (nodes > maxNodes) {
      if (!tooMany) report(`${pathOf(at)}: the tree has more than ${maxNodes} nodes`);
      tooMany = true;
      return;
    }
    if (typeof node === 'string') {
      if (node.length > MAX_TEXT_LENGTH) report(`${pathOf(at)}: text longer than ${MAX_TEXT_LENGTH} characters`);
      if (parent && (parent.children === 'elements' || parent.children === 'none')) report(`${pathOf(at)}: <${parent.name}> cannot contain text`);
      return;
    }
    if (!isPlainObject(node)) {
      report(`${pathOf(at)}: a node must be a string or an element { type, props, children }`);
      return;
    }
    if (depth > maxDepth) {
      if (!tooDeep) report(`${pathOf(at)}: the tree is deeper than ${maxDepth} elements`);
      tooDeep = true;
      return;
    }
    for (const field of Object.keys(node)) if (!ELEMENT_FIELDS.has(field)) report(`${pathOf(at)}: unknown element field "${field}"`);
    const { type, key, props, children } = node;
    if (key !== undefined && !((typeof key === 'string' && key.length <= MAX_KEY_LENGTH) || (typeof key === 'number' && Number.isFinite(key)))) {
      report(`${pathOf(at)}.key: must be a string of at most ${MAX_KEY_LENGTH} characters or a finite number`);
    }
    const spec = typeof type === 'string' ? componentSpec(type) : undefined;
    if (spec === undefined) {
      report(`${pathOf(at)}: unknown component ${JSON.stringify(type)} (allowed: ${COMPONENT_NAMES.join(', ')})`);
    } else {
      if (parent?.children === 'text' && spec.name !== 'text') report(`${pathOf(at)}: <${parent.name}> may only contain text and <text>`);
      if (parent?.children === 'none') report(`${pathOf(at)}: <${parent.name}> cannot have children`);
      checkProps(spec, props, () => `${pathOf(at)}.props`, options, report);
    }
    if (!Array.isArray(children)) {
      report(`${pathOf(at)}.children: must be an array`);
      return;
    }
    let seen: Map<string, number> | undefined;
    for (let i = 0; i < children.length; i++) {
      const child: unknown = children[i];
      const childAt: NodePath = { parent: at, index: i };
      if (isPlainObject(child) && (typeof child.key === 'string' || typeof child.key === 'number')) {
        const id = keyId(child.key);
        const first = seen?.get(id);
        if (first !== undefined) report(`${pathOf(childAt)}.key: duplicate key ${JSON.stringify(child.key)} (also at children[${first}])`);
        else (seen ??= new Map()).set(id, i);
      } else if (spec?.keyedChildren && isPlainObject(child)) {
        report(`${pathOf(childAt)}: items of <${spec.name}> need a key`);
      }
      visit(child, childAt, depth + 1, spec);
      if (tooMany) return;
    }
  };

  visit(tree, undefined, 1, undefined);
  if (dropped > 0) errors.push(`…and ${dropped} more errors`);
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

function checkProps(spec: ComponentSpec, props: unknown, pathTo: () => string, options: ValidateOptions, report: (message: string) => void): void {
  if (!isPlainObject(props)) {
    report(`${pathTo()}: must be an object`);
    return;
  }
  // Renders repeat the same props (none for most nodes, a button's `onTap`, a list's style): a verdict is remembered per component by
  // the props' exact JSON, so a re-render skips the schema walk (~50 µs when caches are cold between taps).
  const key = options.routes === undefined ? propsKey(props) : undefined;
  const known = key === undefined ? undefined : VALID_PROPS.get(spec);
  if (key !== undefined && known?.has(key)) return;
  const result = (spec.props as z.ZodType).safeParse(props);
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) report(`${formatIssuePath(pathTo(), [...issue.path, key])}: unknown prop for <${spec.name}>`);
      } else {
        report(`${formatIssuePath(pathTo(), issue.path)}: ${issue.message}`);
      }
    }
    return;
  }
  const problems = spec.check?.(props) ?? [];
  for (const [prop, message] of problems) report(`${pathTo()}.${prop}: ${message}`);
  if (options.routes && spec.name === 'navigator' && typeof props.url === 'string') {
    const problem = routeProblem(props.url, options.routes);
    if (problem) report(`${pathTo()}.url: ${problem}`);
  }
  if (key !== undefined && problems.length === 0) {
    let valid = known;
    if (!valid) VALID_PROPS.set(spec, (valid = new Set()));
    if (valid.size >= MAX_REMEMBERED_PROPS) valid.clear();
    valid.add(key);
  }
}

/** Props that passed, per component, by {@link propsKey} (at most {@link MAX_REMEMBERED_PROPS} each). */
const VALID_PROPS = new WeakMap<ComponentSpec, Set<string>>();
const MAX_REMEMBERED_PROPS = 256;
const MAX_PROPS_KEY = 1024;

/**
 * The exact JSON of a props object made of JSON values only (what `JSON.parse` gives), or undefined when it holds
 * anything else (undefined, functions, non-finite numbers, class instances), is too deep or too long: then it is
 * always validated afresh, since `JSON.stringify` would not tell it apart from a valid one.
 */
export function propsKey(value: unknown, depth = 0): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return value.length > MAX_PROPS_KEY ? undefined : JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (depth > 4) return undefined;
      let out: string;
      if (Array.isArray(value)) {
        out = '[';
        for (let i = 0; i < value.length; i++) {
          const item = propsKey(value[i], depth + 1);
          if (item === undefined) return undefined;
          out += (i > 0 ? ',' : '') + item;
          if (out.length > MAX_PROPS_KEY) return undefined;
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) return undefined;
      out = '{';
      let first = true;
      for (const name of Object.keys(value)) {
        const item = propsKey(value[name], depth + 1);
        if (item === undefined) return undefined;
        out += `${first ? '' : ','}${JSON.stringify(name)}:${item}`;
        first = false;
        if (out.length > MAX_PROPS_KEY) return undefined;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}
