/**
 * @module The shell's one HTML page: no inline script or style, so the strict Content-Security-Policy holds.
 */
import type { ShellBuild } from './build-shell.ts';

/** The headers every shell page carries. */
export const PAGE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob: https:", // an app's https images (the view tree allows nothing else); no-referrer below
    "media-src 'self' blob:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // Scanning QR codes needs the camera; nothing else is asked for.
  'permissions-policy': 'camera=(self), microphone=(), geolocation=(), payment=()',
  'cross-origin-opener-policy': 'same-origin',
};

/** Escapes text for an HTML attribute or text node. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Renders the page that boots the shell from the built entry files. */
export function renderShellPage(entry: ShellBuild['entry'], publicUrl: string): string {
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">',
    '<meta name="color-scheme" content="light">',
    '<meta name="theme-color" content="#07c160">',
    '<meta name="description" content="Atrium: chat, pay by QR and mini-apps in one place.">',
    `<meta name="atrium-public-url" content="${escapeHtml(publicUrl)}">`,
    '<title>Atrium</title>',
    entry.icon ? `<link rel="icon" type="image/svg+xml" href="${escapeHtml(entry.icon)}">` : '',
    entry.style ? `<link rel="stylesheet" href="${escapeHtml(entry.style)}">` : '',
    `<script type="module" src="${escapeHtml(entry.script)}"></script>`,
  ].filter(Boolean);
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head>\n${head.join('\n')}\n</head>`,
    '<body>',
    '<div id="app"><div class="boot" aria-busy="true"></div></div>',
    '<noscript><p class="noscript">Atrium needs JavaScript. Please turn it on and reload.</p></noscript>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
