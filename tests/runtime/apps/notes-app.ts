/**
 * @module A small app written against the real SDK (no TSX), bundled by esbuild in sdk-app.test.ts and run in the
 * real runtime: sync and async handlers, a bridge round trip with an `await` continuation, navigation, timers.
 */
import { atrium, defineApp, definePage, jsx, startApp, type ViewElement } from '../../../sdk/src/index.ts';

const h = (type: string, props: Record<string, unknown> | null, ...children: unknown[]): ViewElement => jsx(type, { ...props, children });

const app = defineApp({});

const index = definePage({
  data: { count: 0, saved: 'no', ticks: 0 },
  async onLoad() {
    const { value } = await atrium.storage.get({ key: 'count' });
    this.setData({ count: typeof value === 'number' ? value : 0 });
  },
  handlers: {
    inc() {
      this.setData({ count: this.data.count + 1 });
    },
    async save() {
      await atrium.storage.set({ key: 'count', value: this.data.count });
      this.setData({ saved: `yes ${this.data.count}` });
    },
    open() {
      void atrium.navigateTo({ url: `/pages/detail?count=${this.data.count}` });
    },
    tick() {
      atrium.setTimeout(() => this.setData({ ticks: this.data.ticks + 1 }), 20);
    },
  },
  render(data) {
    return h(
      'view',
      null,
      h('text', null, `count=${data.count} saved=${data.saved} ticks=${data.ticks}`),
      h('button', { onTap: 'inc' }, '+'),
      h('button', { onTap: 'save' }, 'save'),
      h('button', { onTap: 'open' }, 'open'),
      h('button', { onTap: 'tick' }, 'tick'),
    );
  },
});

const detail = definePage({
  data: { count: '' },
  onLoad(query) {
    this.setData({ count: query.count ?? '' });
  },
  handlers: {
    back() {
      void atrium.navigateBack();
    },
  },
  render: (data) => h('view', null, h('text', null, `detail count=${data.count}`), h('button', { onTap: 'back' }, 'back')),
});

startApp({ app, pages: { 'pages/index': index, 'pages/detail': detail } });
