/** @jsxImportSource @atrium/sdk */
/**
 * @module The Corner Shop: the products (from the shop's backend, which owns the prices), a cart, and checkout.
 * Checkout asks the backend for an order (it creates it with its merchant key and answers the order id), then
 * `atrium.requestPayment({ orderId })` opens the shell's pay sheet; once the person paid, the app asks its
 * backend again, which knows from Atrium's signed webhook.
 */
import { atrium, definePage, isAtriumError, type TapDetail } from '@atrium/sdk';

/**
 * This sample's backend (../../backend/app.ts). `.test` names never resolve on the internet (RFC 2606): the
 * development host answers them with the sample's backend. A real shop lists its own https domain here.
 */
const BACKEND = 'https://shop-backend.atrium-samples.test';

interface Product {
  id: string;
  name: string;
  /** A one-letter sign, shown on a tile of the product's colour. */
  icon: string;
  color: string;
  price: number;
}

interface Checkout {
  orderId: string;
  outTradeNo: string;
  amount: number;
  currency: string;
  token: string;
}

type Status = 'loading' | 'shopping' | 'paying' | 'confirming' | 'paid';

const money = (minor: number, currency: string): string => `${currency === 'CNY' ? '¥' : `${currency} `}${(minor / 100).toFixed(2)}`;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => atrium.setTimeout(resolve, ms));

export default definePage({
  data: {
    products: [] as Product[],
    currency: 'CNY',
    cart: {} as Record<string, number>,
    status: 'loading' as Status,
    message: '',
    receipt: null as null | { outTradeNo: string; amount: number; currency: string; transactionId: string },
  },

  async onLoad() {
    try {
      const res = await atrium.request({ url: `${BACKEND}/products` });
      const body = res.data as { currency?: string; products?: Product[] };
      if (res.statusCode !== 200 || !body.products) throw new Error(`status ${res.statusCode}`);
      this.setData({ products: body.products, currency: body.currency ?? 'CNY', status: 'shopping' });
    } catch (error) {
      this.setData({ status: 'shopping', message: `The shop is closed right now (${isAtriumError(error) ? error.code : 'unreachable'}).` });
    }
  },

  handlers: {
    add(detail: TapDetail) {
      const id = String(detail.dataset.id);
      this.setData({ [`cart.${id}`]: Math.min((this.data.cart[id] ?? 0) + 1, 20), message: '', receipt: null });
    },
    remove(detail: TapDetail) {
      const id = String(detail.dataset.id);
      const cart = { ...this.data.cart };
      if ((cart[id] ?? 0) > 1) cart[id] = (cart[id] ?? 0) - 1;
      else delete cart[id];
      this.setData({ cart });
    },
    empty() {
      this.setData({ cart: {}, message: '' });
    },
    async checkout() {
      const items = Object.entries(this.data.cart)
        .filter(([, qty]) => qty > 0)
        .map(([id, qty]) => ({ id, qty }));
      if (items.length === 0 || this.data.status !== 'shopping') return;
      this.setData({ status: 'paying', message: 'Creating your order…' });
      try {
        // The login code lets the backend learn who pays (their openid) without the app ever holding it.
        const { code } = await atrium.login();
        const res = await atrium.request({ url: `${BACKEND}/checkout`, method: 'POST', data: { code, items } });
        const order = res.data as Checkout & { error?: string };
        if (res.statusCode !== 200 || !order.orderId) {
          this.setData({ status: 'shopping', message: `The shop could not take the order (${order.error ?? res.statusCode}).` });
          return;
        }
        this.setData({ message: `Order ${order.outTradeNo}: confirm ${money(order.amount, order.currency)} in the pay sheet.` });
        const paid = await atrium.requestPayment({ orderId: order.orderId });
        this.setData({ status: 'confirming', message: 'Paid. Waiting for the shop to confirm…' });
        // The backend learns of the payment from Atrium's signed webhook: ask it, a few times if need be.
        for (let attempt = 0; attempt < 30; attempt++) {
          const check = await atrium.request({ url: `${BACKEND}/orders/${order.outTradeNo}`, header: { authorization: `Bearer ${order.token}` } });
          const state = check.data as { status?: string };
          if (check.statusCode === 200 && state.status === 'paid') {
            this.setData({ status: 'paid', cart: {}, message: '', receipt: { outTradeNo: order.outTradeNo, amount: paid.amount, currency: paid.currency, transactionId: paid.transactionId } });
            return;
          }
          await sleep(1000);
        }
        this.setData({ status: 'shopping', cart: {}, message: `You paid for order ${order.outTradeNo}; the shop has not confirmed it yet.` });
      } catch (error) {
        const code = isAtriumError(error) ? error.code : 'APP_ERROR';
        const message = code === 'PAYMENT_CANCELLED' ? 'Payment cancelled: your cart is still here.' : `Could not pay (${code}).`;
        this.setData({ status: 'shopping', message });
      }
    },
    again() {
      this.setData({ status: 'shopping', receipt: null, message: '' });
    },
  },

  render(data) {
    const lines = data.products.filter((p) => (data.cart[p.id] ?? 0) > 0);
    const total = lines.reduce((sum, p) => sum + p.price * (data.cart[p.id] ?? 0), 0);
    const busy = data.status === 'paying' || data.status === 'confirming';
    if (data.status === 'paid' && data.receipt) {
      return (
        <view style={{ padding: 16, display: 'flex', flexDirection: 'column', gap: 12 }}>
          <text style={{ fontSize: 48, textAlign: 'center', color: '#15803d' }}>✓</text>
          <text style={{ fontSize: 20, fontWeight: 'bold', textAlign: 'center' }}>Paid</text>
          <text>{`Order ${data.receipt.outTradeNo} · ${money(data.receipt.amount, data.receipt.currency)}`}</text>
          <text style={{ color: '#666' }}>{`Confirmed by the shop. Transaction ${data.receipt.transactionId}`}</text>
          <button type="primary" onTap="again">
            Shop again
          </button>
        </view>
      );
    }
    return (
      <view style={{ padding: 16, display: 'flex', flexDirection: 'column', gap: 12 }}>
        {data.status === 'loading' ? <text>Loading the shop…</text> : null}
        <list>
          {data.products.map((p) => (
            <view key={p.id} style={{ display: 'flex', alignItems: 'center', gap: 12, paddingTop: 8, paddingBottom: 8 }}>
              <view style={{ width: 48, height: 48, borderRadius: 12, backgroundColor: p.color, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
                <text style={{ color: '#fff', fontSize: 24, fontWeight: 'bold' }}>{p.icon}</text>
              </view>
              <view style={{ flex: 1, display: 'flex', flexDirection: 'column' }}>
                <text style={{ fontWeight: 'bold' }}>{p.name}</text>
                <text style={{ color: '#666' }}>{money(p.price, data.currency)}</text>
              </view>
              {(data.cart[p.id] ?? 0) > 0 ? (
                <button size="mini" onTap="remove" dataset={{ id: p.id }} disabled={busy}>
                  −
                </button>
              ) : null}
              {(data.cart[p.id] ?? 0) > 0 ? <text>{String(data.cart[p.id])}</text> : null}
              <button size="mini" onTap="add" dataset={{ id: p.id }} disabled={busy}>
                Add
              </button>
            </view>
          ))}
        </list>
        <view style={{ display: 'flex', flexDirection: 'column', gap: 4, borderTop: '1px solid #ddd', paddingTop: 8 }}>
          <text style={{ fontWeight: 'bold' }}>Cart</text>
          {lines.length === 0 ? <text style={{ color: '#666' }}>Your cart is empty.</text> : null}
          {lines.map((p) => (
            <text key={p.id}>{`${data.cart[p.id]} × ${p.name} · ${money(p.price * (data.cart[p.id] ?? 0), data.currency)}`}</text>
          ))}
          <text style={{ fontWeight: 'bold' }}>{`Total: ${money(total, data.currency)}`}</text>
        </view>
        {data.message ? <text>{data.message}</text> : null}
        <button type="primary" onTap="checkout" disabled={lines.length === 0 || busy} loading={busy}>
          Checkout
        </button>
        {lines.length > 0 && !busy ? <button onTap="empty">Empty cart</button> : null}
      </view>
    );
  },
});
