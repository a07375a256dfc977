/**
 * @module Type-level checks of the SDK (run by `tsc --noEmit`): component props, the `atrium.*` client typed
 * from the bridge schemas, setData keys, manifest and bridge types inferred from the same zod schemas.
 * JSX checks are in sdk-jsx.tsx.
 */
import {
  atrium,
  BRIDGE_APIS,
  defineApp,
  definePage,
  jsx,
  type BridgeArgs,
  type BridgeResult,
  type ComponentProps,
  type Manifest,
  type Style,
} from '@atrium/sdk';

// Component props: event props take handler names, never functions.
const tap: ComponentProps<'button'> = { onTap: 'save', type: 'primary', loading: true };
// @ts-expect-error a function is not a handler name
const fnHandler: ComponentProps<'button'> = { onTap: () => undefined };
// @ts-expect-error unknown prop
const html: ComponentProps<'view'> = { dangerouslySetInnerHTML: { __html: '<b>x</b>' } };
// @ts-expect-error image src is required
const noSrc: ComponentProps<'image'> = {};
// @ts-expect-error events belong to their components: a view has no onInput
const viewInput: ComponentProps<'view'> = { onInput: 'typed' };
const style: Style = { padding: '8px 12px', flexGrow: 1 };
// @ts-expect-error no such style property
const badStyle: Style = { behavior: 'url(x.htc)' };
void [tap, fnHandler, html, noSrc, viewInput, style, badStyle, jsx];

// The bridge client: names, arguments and results come from BRIDGE_APIS.
async function bridge(): Promise<void> {
  const { code } = await atrium.login();
  const { value } = await atrium.storage.get({ key: 'todos' });
  await atrium.storage.set({ key: 'todos', value: [{ id: 1, title: 'milk' }] });
  const res = await atrium.request({ url: 'https://api.example.com', method: 'POST', data: { code } });
  const status: number = res.statusCode;
  const { confirm } = await atrium.showModal({ title: 'Sure?' });
  const { tapIndex } = await atrium.showActionSheet({ itemList: ['a', 'b'] });
  const info = await atrium.getSystemInfo();
  const theme: 'light' | 'dark' = info.theme;
  const id: number = atrium.setTimeout(() => undefined, 100);
  atrium.clearTimeout(id);
  // @ts-expect-error storage.get needs a key
  await atrium.storage.get();
  // @ts-expect-error wrong argument type
  await atrium.navigateTo({ url: 3 });
  // @ts-expect-error unknown method
  await atrium.storage.clearAll();
  // @ts-expect-error timers are not bridge methods
  await atrium.timer.set({ id: 1, ms: 1 });
  // @ts-expect-error unknown toast icon
  await atrium.showToast({ title: 'x', icon: 'skull' });
  const shared: null = await atrium.shareToChat({ title: 'Milk', path: 'pages/detail', query: { id: '1' } });
  // @ts-expect-error the app cannot name the chat: the person picks it
  await atrium.shareToChat({ title: 'Milk', path: 'pages/detail', conversationId: 'cnv_1' });
  // @ts-expect-error query values are strings
  await atrium.shareToChat({ title: 'Milk', path: 'pages/detail', query: { id: 1 } });
  const payment = await atrium.requestPayment({ orderId: 'ord_1' });
  const paid: { status: 'paid'; transactionId: string; amount: number } = payment;
  await atrium.requestPayment({ prepayId: 'pp_1' });
  // @ts-expect-error the app never sets the amount: the order has it
  await atrium.requestPayment({ orderId: 'ord_1', amount: 1 });
  void [value, status, confirm, tapIndex, theme, shared, paid];
}
void bridge;

// Registry types.
const args: BridgeArgs<'request'> = { url: 'https://x.example', responseType: 'text' };
const result: BridgeResult<'login'> = { code: 'c' };
const scope: string | null = BRIDGE_APIS.getUserProfile.scope;
void [args, result, scope];

// Pages: data types flow into handlers, render and setData.
export const page = definePage({
  data: { count: 0, user: { name: '' }, items: [{ done: false }] },
  onLoad(query) {
    const id: string | undefined = query.id;
    void id;
    this.setData({ count: 1 });
  },
  handlers: {
    add() {
      this.setData({ count: this.data.count + 1, 'user.name': 'Ada', 'items[0].done': true });
      // @ts-expect-error count is a number
      this.setData({ count: '1' });
      // @ts-expect-error not a key of data nor a path
      this.setData({ cuont: 1 });
      this.reset();
    },
    reset() {
      this.setData({ count: 0 });
    },
  },
  render(data) {
    const n: number = data.count;
    return jsx('text', { children: String(n) });
  },
});

export const app = defineApp({
  globalData: { visits: 0 },
  onLaunch() {
    this.globalData.visits++;
  },
});

// The manifest type is inferred from its schema.
const manifest: Manifest = { app_id: 'dev.atrium.x', name: 'X', version: { name: '1', code: 1 }, pages: ['pages/index'] };
// @ts-expect-error the version code is a number
const badManifest: Manifest = { app_id: 'dev.atrium.x', name: 'X', version: { name: '1', code: '1' }, pages: ['pages/index'] };
void [manifest, badManifest];
