/**
 * @module What a scanned or pasted code means to the shell: a login to confirm, a card to add, a group to join,
 * a mini-app to open, or text.
 */
import { containerPath, parseLaunchLink } from '../miniapp/launch-link.ts';
import { addFromCardPath, confirmLoginPath, joinGroupPath, payPath } from '../paths.ts';

/** A decoded QR code or pasted link, classified. */
export type ScanTarget =
  | { kind: 'login'; ticketId: string; path: string }
  | { kind: 'card'; cardCode: string; path: string }
  /** A group invite link of this host (`/j/<token>`): `path` shows the group before joining. */
  | { kind: 'invite'; token: string; path: string }
  /** A launch link (`atrium://app/…` or this host's `/a/…`): `path` opens the mini-app container. */
  | { kind: 'app'; appId: string; path: string }
  /** A payment QR code (EMVCo merchant-presented payload) or this host's receive/pay link: `path` opens the pay sheet. */
  | { kind: 'pay'; path: string }
  /** Anything else; `url` when it is an http(s) link that may be opened. */
  | { kind: 'text'; text: string; url: string | undefined };

const LOGIN = /^\/l\/([a-z]+_[0-9a-z]+)\/?$/;
const CARD = /^\/c\/([0-9a-z]{4,64})\/?$/;
const RECEIVE = /^\/r\/(rc[0-9a-z]{16})\/?$/;
/** EMVCo MPM: payload format indicator `00 02 01` first, CRC tag `63 04` + 4 hex digits last. */
const EMVCO = /^000201[^\x00-\x1f\x7f]*6304[0-9A-Fa-f]{4}$/;
// keep in sync with host/src/messaging/api-schemas.ts (InviteTokenSchema)
const INVITE = /^\/j\/([A-Za-z0-9_-]{8,128})\/?$/;

/**
 * Classifies `text`. Only links to one of `origins` (this page's and the configured public URL) open
 * screens of the shell; `atrium://app/…` launch links with a valid app id open the mini-app container.
 * @example scanTarget('https://atrium.example/c/k3x9', ['https://atrium.example']) // { kind: 'card', … }
 */
export function scanTarget(text: string, origins: readonly string[]): ScanTarget {
  const trimmed = text.trim();
  if (EMVCO.test(trimmed) && trimmed.length <= 512) return { kind: 'pay', path: payPath({ qr: trimmed }) };
  const app = parseLaunchLink(trimmed, origins);
  if (app) return { kind: 'app', appId: app.appId, path: containerPath(app) };
  let url: URL | undefined;
  try {
    url = new URL(trimmed);
  } catch {
    return { kind: 'text', text: trimmed, url: undefined };
  }
  const web = url.protocol === 'https:' || url.protocol === 'http:';
  if (web && origins.includes(url.origin)) {
    const login = LOGIN.exec(url.pathname);
    if (login?.[1]) return { kind: 'login', ticketId: login[1], path: confirmLoginPath(login[1]) };
    const card = CARD.exec(url.pathname);
    if (card?.[1]) return { kind: 'card', cardCode: card[1], path: addFromCardPath(card[1]) };
    const receive = RECEIVE.exec(url.pathname);
    if (receive?.[1]) return { kind: 'pay', path: `/r/${receive[1]}` };
    const order = url.searchParams.get('order');
    if (url.pathname === '/pay' && order && /^[0-9A-Za-z_-]{1,64}$/.test(order)) return { kind: 'pay', path: payPath({ order }) };
    const invite = INVITE.exec(url.pathname);
    if (invite?.[1]) return { kind: 'invite', token: invite[1], path: joinGroupPath(invite[1]) };
  }
  return { kind: 'text', text: trimmed, url: web ? url.href : undefined };
}

/** The origins whose links the shell opens itself: this page's and the host's public URL. */
export function shellOrigins(): string[] {
  const origins = [location.origin];
  const meta = document.querySelector<HTMLMetaElement>('meta[name="atrium-public-url"]')?.content;
  if (meta) {
    try {
      const origin = new URL(meta).origin;
      if (!origins.includes(origin)) origins.push(origin);
    } catch {
      // A malformed setting: rely on this page's origin.
    }
  }
  return origins;
}

/** The origin launch links and QR codes should use: the host's public URL when configured, else this page's. */
export function publicOrigin(): string {
  return shellOrigins()[1] ?? location.origin;
}
