/**
 * @module validateViewTree: every forbidden thing is refused with a located error — unknown components
 * (`script`, `iframe`), HTML props, functions as handlers, `javascript:`/`data:`/`vbscript:` URLs, style strings
 * and injection, too many nodes, too deep, duplicate keys — and ordinary trees pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMPONENT_NAMES, VIEW_LIMITS, validateViewTree, type ViewElement, type ViewNode } from '../../../sdk/src/index.ts';

const el = (type: string, props: Record<string, unknown> = {}, children: unknown[] = [], key?: string | number): ViewElement =>
  ({ type, props, children, ...(key === undefined ? {} : { key }) }) as ViewElement;

function errorsOf(tree: unknown, options?: Parameters<typeof validateViewTree>[1]): string[] {
  const result = validateViewTree(tree, options);
  assert.equal(result.ok, false, 'expected the tree to be refused');
  return (result as { errors: string[] }).errors;
}
function assertRefused(tree: unknown, pattern: RegExp): void {
  const errors = errorsOf(tree);
  assert.ok(errors.some((e) => pattern.test(e)), `no error matches ${pattern}: ${errors.join(' | ')}`);
}

describe('validateViewTree accepts', () => {
  it('a page using every component', () => {
    const tree = el('scroll-view', { scrollY: true, onReachEnd: 'more', style: { height: '100%', padding: '8px 12px' } }, [
      el('view', { style: { display: 'flex', flexDirection: 'row', gap: 8, color: '#333', backgroundColor: 'rgb(255, 255, 255)' }, dataset: { id: 3 } }, [
        el('text', { maxLines: 2 }, ['Hello ', el('text', {}, ['world'])]),
        el('image', { src: 'https://cdn.example.com/a.png', mode: 'aspectFill' }),
        el('image', { src: '/assets/logo.png' }),
        el('image', { src: 'data:image/png;base64,iVBORw0KGgo=' }),
        el('icon', { type: 'success', size: 20, color: '#07c160' }),
        el('qrcode', { value: 'https://atrium.example/a/dev.atrium.todo', size: 200 }),
      ]),
      el('form', { onSubmit: 'save' }, [
        el('input', { name: 'title', value: '', placeholder: 'What?', onInput: 'typed', onConfirm: 'save' }),
        el('textarea', { name: 'notes', autoHeight: true }),
        el('switch', { name: 'urgent', checked: false, onChange: 'flip' }),
        el('checkbox', { name: 'tags', value: 'home' }, ['Home']),
        el('radio', { name: 'prio', value: 'high', checked: true }, ['High']),
        el('slider', { name: 'level', min: 0, max: 10, value: 3 }),
        el('picker', { mode: 'selector', range: ['a', 'b'], value: 0, onChange: 'picked' }, [el('text', {}, ['Pick'])]),
        el('button', { type: 'primary', formType: 'submit', loading: false }, ['Save']),
      ]),
      el('list', { onReachEnd: 'more', itemHeight: 48 }, [el('view', {}, ['one'], 1), el('view', {}, ['two'], 'b')]),
      el('swiper', { autoplay: true, interval: 3000 }, [el('view', {}, ['slide'])]),
      el('navigator', { url: '/pages/detail?id=3&q=%20x', openType: 'navigate' }, ['Details']),
      el('navigator', { openType: 'navigateBack', delta: 2 }, ['Back']),
    ]);
    assert.deepEqual(validateViewTree(tree), { ok: true });
    const used = new Set<string>();
    const walk = (node: ViewNode): void => {
      if (typeof node === 'string') return;
      used.add(node.type);
      node.children.forEach(walk);
    };
    walk(tree);
    assert.deepEqual([...used].sort(), [...COMPONENT_NAMES].sort());
  });

  it('a plain text root and exactly the node and depth limits', () => {
    assert.deepEqual(validateViewTree('hello'), { ok: true });
    const wide = el('list', {}, Array.from({ length: VIEW_LIMITS.maxNodes - 1 }, (_, i) => el('view', {}, [], i)));
    assert.deepEqual(validateViewTree(wide), { ok: true });
    let deep: ViewElement = el('view', {}, ['leaf']);
    for (let i = 1; i < VIEW_LIMITS.maxDepth; i++) deep = el('view', {}, [deep]);
    assert.deepEqual(validateViewTree(deep), { ok: true });
  });
});

describe('validateViewTree refuses', () => {
  it('script, iframe, style and other unknown components', () => {
    for (const type of ['script', 'iframe', 'style', 'a', 'div', 'web-view', '__proto__', 'constructor']) {
      assertRefused(el('view', {}, [el(type)]), new RegExp(`^root\\.children\\[0\\]: unknown component "${type}"`));
    }
    assertRefused({ type: 42, props: {}, children: [] }, /^root: unknown component 42/);
  });

  it('HTML-injecting props', () => {
    for (const prop of ['dangerouslySetInnerHTML', 'innerHTML', 'outerHTML', 'html', 'srcdoc', 'onclick', 'class', 'className', 'href']) {
      assertRefused(el('view', { [prop]: '<img src=x onerror=alert(1)>' }), new RegExp(`^root\\.props\\.${prop}: unknown prop for <view>`));
    }
    assertRefused(el('view', { dangerouslySetInnerHTML: { __html: '<b>x</b>' } }), /root\.props\.dangerouslySetInnerHTML: unknown prop/);
  });

  it('a function, object or code as an event handler', () => {
    assertRefused(el('button', { onTap: () => undefined }), /^root\.props\.onTap: an event prop must name a handler/);
    assertRefused(el('button', { onTap: { fn: 'x' } }), /^root\.props\.onTap: an event prop must name a handler/);
    assertRefused(el('button', { onTap: 'alert(1)' }), /^root\.props\.onTap: a handler name is an identifier/);
    assertRefused(el('input', { onInput: 'a b' }), /root\.props\.onInput/);
    assertRefused(el('view', { onInput: 'typed' }), /root\.props\.onInput: unknown prop for <view>/);
  });

  it('javascript:, vbscript:, data: (except small raster images), http: and protocol-relative URLs', () => {
    const bad = [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'data:image/svg+xml;base64,PHN2Zz4=',
      'data:image/png,notbase64<>',
      'http://example.com/a.png',
      '//evil.example/a.png',
      'https://user:pass@example.com/a.png',
      '../../etc/passwd',
      'assets/../secret.png',
      'file:///etc/passwd',
    ];
    for (const src of bad) assertRefused(el('image', { src }), /^root\.props\.src: /);
    for (const url of ['javascript:alert(1)', 'https://example.com', '//pages/x', 'pages/../x', '/pages/x#frag']) {
      assertRefused(el('navigator', { url }), /^root\.props\.url: must be an app route/);
    }
    assert.deepEqual(errorsOf(el('navigator', { url: '/pages/admin' }), { routes: ['pages/index'] }), ['root.props.url: "pages/admin" is not a page of this app']);
    assertRefused(el('navigator', {}), /root\.props\.url: is required unless openType is navigateBack/);
  });

  it('style strings and style injection', () => {
    assertRefused(el('view', { style: 'color: red; background: url(https://evil.example/x)' }), /^root\.props\.style: must be an object of CSS properties/);
    const injections: Record<string, string> = {
      background: 'url(https://evil.example/x)',
      backgroundImage: 'url(javascript:alert(1))',
      behavior: 'url(x.htc)',
      color: 'red; position: fixed',
      width: 'expression(alert(1))',
      height: 'calc(100% - var(--x))',
      fontFamily: '"Comic Sans"',
      position: 'fixed',
      zIndex: '99999',
      padding: '1px 2px 3px 4px 5px',
      margin: '1px\\;',
    };
    for (const [property, value] of Object.entries(injections)) {
      assertRefused(el('view', { style: { [property]: value } }), new RegExp(`^root\\.props\\.style\\.${property}: `));
    }
    assertRefused(el('view', { style: { color: { toString: 'red' } } }), /root\.props\.style\.color: must be a string or a number/);
  });

  it('bad prop types and values with their location', () => {
    const tree = el('view', {}, [el('text'), el('view', {}, [el('slider', { value: '3' }), el('image', { src: 3 }), el('icon', { type: 'skull' })])]);
    assert.deepEqual(
      errorsOf(tree).map((e) => e.split(':')[0]),
      ['root.children[1].children[0].props.value', 'root.children[1].children[1].props.src', 'root.children[1].children[2].props.type'],
    );
  });

  it('too many nodes and too deep trees', () => {
    const wide = el('list', {}, Array.from({ length: VIEW_LIMITS.maxNodes }, (_, i) => el('view', {}, [], i)));
    assertRefused(wide, new RegExp(`the tree has more than ${VIEW_LIMITS.maxNodes} nodes`));
    let deep: ViewElement = el('view');
    for (let i = 0; i < VIEW_LIMITS.maxDepth; i++) deep = el('view', {}, [deep]);
    assertRefused(deep, new RegExp(`the tree is deeper than ${VIEW_LIMITS.maxDepth} elements`));
    let hostile: ViewElement = el('view');
    for (let i = 0; i < 100_000; i++) hostile = el('view', {}, [hostile]);
    assert.equal(validateViewTree(hostile).ok, false, 'a very deep tree is refused without a stack overflow');
  });

  it('duplicate sibling keys, unkeyed list items and children of leaf components', () => {
    assertRefused(el('view', {}, [el('view', {}, [], 'a'), el('view', {}, [], 'a')]), /^root\.children\[1\]\.key: duplicate key "a" \(also at children\[0\]\)/);
    assertRefused(el('view', {}, [el('view', {}, [], 1), el('view', {}, [], '1')]), /duplicate key "1"/);
    assertRefused(el('list', {}, [el('view', {}, [], 'a'), el('view')]), /^root\.children\[1\]: items of <list> need a key/);
    assertRefused(el('image', { src: 'a.png' }, ['text']), /^root\.children\[0\]: <image> cannot contain text/);
    assertRefused(el('text', {}, [el('view')]), /<text> may only contain text and <text>/);
    assertRefused(el('list', {}, ['loose text']), /<list> cannot contain text/);
  });

  it('malformed nodes: extra fields, bad props, bad children, bad keys', () => {
    assertRefused({ type: 'view', props: {}, children: [], on: 'x' }, /^root: unknown element field "on"/);
    assertRefused({ type: 'view', props: [], children: [] }, /^root\.props: must be an object/);
    assertRefused({ type: 'view', props: {}, children: 'x' }, /^root\.children: must be an array/);
    assertRefused({ type: 'view', props: {}, children: [null] }, /^root\.children\[0\]: a node must be a string or an element/);
    assertRefused({ type: 'view', key: { a: 1 }, props: {}, children: [] }, /^root\.key: must be a string/);
    assertRefused(null, /^root: a node must be/);
  });

  it('lists at most 50 errors and counts the rest', () => {
    const errors = errorsOf(el('view', {}, Array.from({ length: 80 }, () => el('script'))));
    assert.equal(errors.length, 51);
    assert.equal(errors.at(-1), '…and 30 more errors');
  });
});

describe('validateViewTree remembers props that passed', () => {
  it('by their exact JSON, so a value JSON cannot show never borrows a verdict', () => {
    const button = (props: Record<string, unknown>): unknown => el('view', {}, [el('button', props, ['+'])]);
    assert.deepEqual(validateViewTree(button({ onTap: 'inc' })), { ok: true });
    assert.deepEqual(validateViewTree(button({ onTap: 'inc' })), { ok: true }, 'the remembered verdict');
    // Each stringifies like an accepted props object, and each is still refused.
    assertRefused(button({ onTap: 'inc', extra: undefined }), /unknown prop/);
    assertRefused(button({ onTap: () => 'inc' }), /onTap/);
    assertRefused(el('view', { style: { toString: () => 'color: red' } }), /style/);
    // A refused props object is refused every time (and never remembered).
    for (let i = 0; i < 2; i++) assertRefused(button({ onTap: 5 }), /onTap/);
  });

  it('keys props by exact JSON, and gives no key to what JSON cannot hold', async () => {
    const { propsKey } = await import('../../../sdk/src/view/validate.ts');
    for (const value of [{}, { onTap: 'inc', n: 1.5, on: true, none: null, list: ['a', 2, [false]] }, { 'quo"te': 'a\nb' }]) {
      assert.equal(propsKey(value), JSON.stringify(value));
    }
    for (const value of [{ a: undefined }, { a: Number.NaN }, { a: Infinity }, { a: () => 1 }, { a: new Date(0) }, { a: [undefined] }, { a: Symbol('s') }, { a: 1n }]) {
      assert.equal(propsKey(value), undefined, String(Object.values(value)[0]));
    }
    assert.equal(propsKey({ a: 'x'.repeat(2000) }), undefined, 'too long to remember');
  });
});
