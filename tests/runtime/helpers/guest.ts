/** @module Test guest bundles: a minimal plain-JS framework over `__atriumRegister`, plus page code given as source text. */

/**
 * The framework the test bundles share. Pages are `pages[route] = { data, onLoad, render, handlers }`; `h(type,
 * props, children)` builds nodes; `this.call(api, args, then?)` makes a bridge call (`then(reply)` runs inside the
 * reply entry); outputs produced outside an entry (after a promise continuation) go out with the next entry.
 */
const FRAMEWORK = String.raw`
const pages = Object.create(null);
const live = new Map();
let out = { renders: [], calls: [] };
let nextCall = 1;
const waiting = new Map();
const h = (type, props, children) => ({ type, props: props || {}, children: children || [] });
function call(api, args, then) {
  const id = nextCall++;
  out.calls.push({ id, api, args });
  const promise = new Promise((resolve, reject) => waiting.set(id, { resolve, reject, then }));
  if (then) promise.catch(() => {});
  return promise;
}
function makePage(pageId, route, query, data) {
  const def = pages[route];
  const page = {
    pageId, route, query, def,
    data: data !== undefined ? data : JSON.parse(JSON.stringify(def.data || {})),
    setData(patch) { Object.assign(this.data, patch); out.renders.push({ pageId, tree: def.render.call(this, this.data) }); },
    call,
  };
  live.set(pageId, page);
  return page;
}
const app = { onLaunch() {}, onError() {} };
function handle(msg) {
  if (msg.t === 'app') { if (msg.hook === 'launch' && app.onLaunch) app.onLaunch(msg.options); if (msg.hook === 'error' && app.onError) app.onError(msg.error); return; }
  if (msg.t === 'page') {
    if (msg.hook === 'load' || msg.hook === 'restore') {
      const page = makePage(msg.pageId, msg.route, msg.query, msg.hook === 'restore' ? msg.data : undefined);
      if (page.def.onLoad && msg.hook === 'load') page.def.onLoad.call(page, msg.query);
      out.renders.push({ pageId: page.pageId, tree: page.def.render.call(page, page.data) });
      return;
    }
    const page = live.get(msg.pageId);
    if (!page) return;
    if (msg.hook === 'unload') live.delete(msg.pageId);
    const hook = page.def['on' + msg.hook[0].toUpperCase() + msg.hook.slice(1)];
    if (hook) hook.call(page);
    return;
  }
  if (msg.t === 'event') {
    const page = live.get(msg.pageId);
    page.def.handlers[msg.handler].call(page, msg.detail);
    return;
  }
  if (msg.t === 'reply') {
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (w.then) w.then(msg);
    if (msg.ok) w.resolve(msg.result); else w.reject(msg.error);
    return;
  }
  if (msg.t === 'timer') { if (app.onTimer) app.onTimer(msg.id); return; }
  if (msg.t === 'snapshot') {
    out.snapshots = [...live.values()].map((p) => ({ pageId: p.pageId, data: p.data }));
  }
}
`;

/** Builds a bundle: the framework, the given page code, then registration. */
export function testApp(pageCode: string, options: { register?: boolean } = {}): string {
  const register = options.register === false ? '' : `
__atriumRegister(function (msgJson) {
  handle(JSON.parse(msgJson));
  const result = out;
  out = { renders: [], calls: [] };
  return JSON.stringify(Object.assign({ ok: true }, result));
});`;
  return `(function () {\n${FRAMEWORK}\n${pageCode}\n${register}\n})();`;
}

/** A counter page with a handler, used by most tests. */
export const COUNTER_PAGE = String.raw`
pages['pages/index'] = {
  data: { n: 0 },
  render(d) { return h('view', {}, [h('text', {}, ['n=' + d.n]), h('button', { onTap: 'inc' }, ['+']), h('button', { onTap: 'go' }, ['go'])]); },
  handlers: {
    inc() { this.setData({ n: this.data.n + 1 }); },
    go(detail) { this.call('navigateTo', { url: (detail && detail.url) || 'pages/detail?from=index' }); },
  },
};
pages['pages/detail'] = {
  data: { from: '' },
  onLoad(q) { this.data.from = q.from || ''; },
  render(d) { return h('view', {}, [h('text', {}, ['from ' + d.from]), h('button', { onTap: 'back' }, ['back']), h('button', { onTap: 'go' }, ['go'])]); },
  handlers: {
    back() { this.call('navigateBack', {}); },
    go(detail) { this.call('navigateTo', { url: (detail && detail.url) || 'pages/detail?from=detail' }); },
  },
};
`;

/** The manifest facts every test launch uses. */
export const TEST_PAGES = ['pages/index', 'pages/detail', 'pages/tab'];
