/**
 * @module Content components of the whitelist: view, text, image, icon and qrcode (see
 * sdk/src/view/components/content.ts for their props).
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { imageSrcProblem, isAssetPath } from '../../../../../sdk/src/view/index.ts';
import { imageDetail } from '../event-detail.ts';
import { useElement, type ElementNode } from './element.ts';
import { handlerOf, num, str, usePage } from './page-scope.ts';
import { cssColor } from './style.ts';

/** What every component renderer receives: its node and its already rendered children. */
export interface ComponentProps {
  node: ElementNode;
  children: JSX.Element[];
}

/** `view`: a box. */
export function MpView({ node, children }: ComponentProps): JSX.Element {
  return <div {...useElement(node, 'mp-view')}>{children}</div>;
}

/** `text`: inline text, optionally selectable or clamped to `maxLines`. */
export function MpText({ node, children }: ComponentProps): JSX.Element {
  const attrs = useElement(node, `mp-text${node.props.selectable === true ? ' mp-selectable' : ''}`);
  const lines = num(node.props, 'maxLines', 0);
  if (lines > 0) {
    attrs.class = `${String(attrs.class)} mp-clamp`;
    attrs.style = { ...(attrs.style as Record<string, string> | undefined), WebkitLineClamp: String(Math.min(100, Math.floor(lines))) };
  }
  return <span {...attrs}>{children}</span>;
}

/**
 * Where an image loads from: data:image URIs and https URLs as they are (the page's CSP decides what loads),
 * app asset paths under the host's asset route for the app (`/subpackages/<name>/assets/…` for a sub-package's).
 */
export function imageUrl(appId: string, versionCode: number | undefined, src: string): string | undefined {
  if (imageSrcProblem(src)) return undefined;
  if (src.startsWith('data:') || src.startsWith('https://')) return src;
  if (isAssetPath(src) && versionCode !== undefined) {
    const path = src.replace(/^\.?\//, '');
    const sub = /^subpackages\/([a-z0-9_-]{1,32})\/assets\/(.+)$/.exec(path);
    if (sub) return `/v1/apps/${encodeURIComponent(appId)}/versions/${versionCode}/subpackages/${sub[1]}/assets/${sub[2]}`;
    return `/v1/apps/${encodeURIComponent(appId)}/versions/${versionCode}/assets/${path.startsWith('assets/') ? path.slice(7) : path}`;
  }
  return undefined;
}

const IMAGE_MODES: Record<string, string> = {
  scaleToFill: 'mp-fill',
  aspectFit: 'mp-contain',
  aspectFill: 'mp-cover',
  widthFix: 'mp-width-fix',
  heightFix: 'mp-height-fix',
  top: 'mp-pos mp-pos-top',
  bottom: 'mp-pos mp-pos-bottom',
  center: 'mp-pos mp-pos-center',
  left: 'mp-pos mp-pos-left',
  right: 'mp-pos mp-pos-right',
};

/** `image`: a picture; a grey box when it cannot load. */
export function MpImage({ node }: ComponentProps): JSX.Element {
  const page = usePage();
  const [broken, setBroken] = useState(false);
  const src = imageUrl(page.appId, page.versionCode, str(node.props, 'src'));
  useEffect(() => setBroken(false), [src]);
  const mode = IMAGE_MODES[str(node.props, 'mode', 'scaleToFill')] ?? 'mp-fill';
  const attrs = useElement(node, `mp-image ${mode}${broken || !src ? ' mp-image-broken' : ''}`);
  const onLoad = handlerOf(node.props, 'onLoad');
  const onError = handlerOf(node.props, 'onError');
  if (!src || broken) return <span {...attrs} role="img" aria-label={str(node.props, 'alt') || undefined} />;
  return (
    <img
      {...attrs}
      src={src}
      alt={str(node.props, 'alt')}
      loading={node.props.lazyLoad === true ? 'lazy' : undefined}
      referrerpolicy="no-referrer"
      onLoad={(event) => {
        const image = event.currentTarget;
        if (onLoad) page.emit(onLoad, imageDetail(node.props, { width: image.naturalWidth, height: image.naturalHeight }));
      }}
      onError={() => {
        setBroken(true);
        if (onError) page.emit(onError, imageDetail(node.props, { message: 'The image could not be loaded.' }));
      }}
    />
  );
}

/** Each icon type's drawing (24×24) and default color. */
const ICONS: Record<string, { color: string; circle: boolean; paths: string[] }> = {
  success: { color: '#07c160', circle: true, paths: ['M7 12.5l3.2 3.2L17 9'] },
  success_no_circle: { color: '#07c160', circle: false, paths: ['M4 12.5l5 5L20 6.5'] },
  info: { color: '#10aeff', circle: true, paths: ['M12 11v6', 'M12 7.5v.5'] },
  warn: { color: '#fa9d3b', circle: true, paths: ['M12 7v6', 'M12 16.5v.5'] },
  waiting: { color: '#10aeff', circle: true, paths: ['M12 7v5l3 2'] },
  cancel: { color: '#e5484d', circle: true, paths: ['M9 9l6 6', 'M15 9l-6 6'] },
  download: { color: '#07c160', circle: true, paths: ['M12 7v8', 'M8.5 11.5 12 15l3.5-3.5'] },
  search: { color: '#b2b2b2', circle: false, paths: ['M10.5 17a6.5 6.5 0 1 0 0-13 6.5 6.5 0 0 0 0 13z', 'M15.5 15.5 20 20'] },
  clear: { color: '#b2b2b2', circle: true, paths: ['M9.5 9.5l5 5', 'M14.5 9.5l-5 5'] },
};

/** `icon`: one of the built-in icons. */
export function MpIcon({ node }: ComponentProps): JSX.Element {
  const icon = ICONS[str(node.props, 'type')] ?? ICONS.info;
  const size = Math.min(200, Math.max(8, num(node.props, 'size', 23)));
  const attrs = useElement(node, 'mp-icon');
  attrs.style = { ...(attrs.style as Record<string, string> | undefined), color: cssColor(node.props.color) ?? icon?.color };
  return (
    <span {...attrs}>
      <svg viewBox="0 0 24 24" width={size} height={size} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden={node.props.ariaLabel ? undefined : 'true'}>
        {icon?.circle ? <circle cx="12" cy="12" r="10" /> : null}
        {icon?.paths.map((d) => <path key={d} d={d} />)}
      </svg>
    </span>
  );
}

const HEX = /^#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/;

/** `qrcode`: a QR code of `value`, drawn by the shell (SVG in an `<img>`, so no markup is injected). */
export function MpQrCode({ node }: ComponentProps): JSX.Element {
  const value = str(node.props, 'value');
  const size = Math.min(1024, Math.max(64, num(node.props, 'size', 200)));
  const level = ['L', 'M', 'Q', 'H'].includes(str(node.props, 'level')) ? (str(node.props, 'level') as 'L' | 'M' | 'Q' | 'H') : 'M';
  const dark = HEX.test(str(node.props, 'color')) ? str(node.props, 'color') : '#111111';
  const light = HEX.test(str(node.props, 'backgroundColor')) ? str(node.props, 'backgroundColor') : '#ffffff';
  const [src, setSrc] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    if (!value) return setSrc(undefined);
    QRCode.toString(value.slice(0, 2048), { type: 'svg', errorCorrectionLevel: level, margin: 1, color: { dark, light } })
      .then((svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => live && setSrc(undefined));
    return () => {
      live = false;
    };
  }, [value, level, dark, light]);
  const attrs = useElement(node, 'mp-qrcode');
  return (
    <span {...attrs} data-value={value}>
      {src ? <img src={src} width={size} height={size} alt={str(node.props, 'ariaLabel')} /> : <span class="mp-qrcode-empty" />}
    </span>
  );
}
