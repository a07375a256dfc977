/** @module The shell's client-side routes; the server answers each of them with the shell's page. */

/** Every screen's path pattern, in the router's `:param` syntax (shared by preact-iso and hono). */
export const ROUTES = {
  root: '/',
  signIn: '/signin',
  signUp: '/signup',
  loginQr: '/login-qr',
  confirmLogin: '/l/:ticketId',
  addFromCard: '/c/:cardCode',
  home: '/home',
  chats: '/chats',
  chat: '/chats/:conversationId',
  /** A group invite link (`<public-url>/j/<token>`, also what its QR code encodes). */
  joinGroup: '/j/:token',
  contacts: '/contacts',
  devices: '/devices',
  scan: '/scan',
  settings: '/settings',
  /** The wallet: balances, PIN, top-up, transfers, exports. */
  wallet: '/wallet',
  bills: '/wallet/bills',
  bill: '/wallet/bills/:transactionId',
  receive: '/wallet/receive',
  paymentCode: '/wallet/payment-code',
  /** A till for one of my merchants: dynamic QR codes and payment-code charges. */
  pos: '/merchant/pos',
  /** My merchant accounts (open one here), and each one's pages: orders, statements, webhooks, API keys. */
  merchants: '/merchants',
  merchant: '/merchants/:merchantId',
  merchantOrders: '/merchants/:merchantId/orders',
  merchantOrder: '/merchants/:merchantId/orders/:orderId',
  merchantStatement: '/merchants/:merchantId/statement',
  merchantWebhooks: '/merchants/:merchantId/webhooks',
  merchantKeys: '/merchants/:merchantId/keys',
  /** The pay sheet: `?qr=<EMVCo payload>`, `?order=<id>` or `?to=<contact id>`. */
  pay: '/pay',
  /** A personal receive link (`<public-url>/r/<code>`, what the receive QR encodes): the pay sheet for that person. */
  receiveLink: '/r/:code',
  /** The review queue of submitted app versions (platform reviewers). */
  review: '/review',
  /** Allow a CLI sign-in (`atrium login`): `/device?code=XXXX-XXXX`. */
  deviceLogin: '/device',
  /** The mini-app container at an app's first page… */
  miniApp: '/a/:appId',
  /** …and at one of its pages (`/a/<appId>/<page path>?<query>`). */
  miniAppPage: '/a/:appId/*',
} as const;

/** The path patterns the server must serve the page at. */
export const CLIENT_PATHS: readonly string[] = Object.values(ROUTES);

/** The confirm-login screen for a ticket. */
export function confirmLoginPath(ticketId: string): string {
  return `/l/${encodeURIComponent(ticketId)}`;
}

/** A conversation's screen. */
export function chatPath(conversationId: string): string {
  return `/chats/${encodeURIComponent(conversationId)}`;
}

/** The add-from-card screen for a card code. */
export function addFromCardPath(cardCode: string): string {
  return `/c/${encodeURIComponent(cardCode)}`;
}

/** One transaction's detail page. */
export function billPath(transactionId: string): string {
  return `/wallet/bills/${encodeURIComponent(transactionId)}`;
}

/** One of my merchant's pages (`''` = its overview). */
export function merchantPath(merchantId: string, page: '' | 'orders' | 'statement' | 'webhooks' | 'keys' = ''): string {
  return `/merchants/${encodeURIComponent(merchantId)}${page ? `/${page}` : ''}`;
}

/** One order of my merchant. */
export function merchantOrderPath(merchantId: string, orderId: string): string {
  return `/merchants/${encodeURIComponent(merchantId)}/orders/${encodeURIComponent(orderId)}`;
}

/** The pay sheet for a scanned EMVCo payload, an order or a contact. */
export function payPath(target: { qr: string } | { order: string } | { to: string }): string {
  // encodeURIComponent, not URLSearchParams: the router's query parser does not read `+` as a space.
  const [[name, value] = ['', '']] = Object.entries(target);
  return `${ROUTES.pay}?${name}=${encodeURIComponent(value)}`;
}

/** The join screen for a group invite token (`/j/<token>`). */
export function joinGroupPath(token: string): string {
  return `/j/${encodeURIComponent(token)}`;
}

/** The sign-in screen, returning to `next` afterwards when given. */
export function signInPath(next?: string): string {
  return next && next !== '/' ? `${ROUTES.signIn}?next=${encodeURIComponent(next)}` : ROUTES.signIn;
}

/**
 * A safe place to go after signing in: only same-origin paths of the shell, never `//host` or a scheme,
 * so a crafted `?next=` link cannot send the person elsewhere.
 */
export function safeNext(next: string | undefined, fallback: string = ROUTES.home): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
