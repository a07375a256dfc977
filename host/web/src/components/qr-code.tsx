/**
 * @module Renders text as a QR code: SVG markup from `qrcode`, shown through an `<img>` data URL so no
 * markup is injected into the page and the CSP stays strict.
 */
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';

/** Props of {@link QrCode}. */
export interface QrCodeProps {
  value: string;
  /** What the code is, for screen readers. */
  label: string;
  testId?: string;
  /** Dimmed with a message on top (scanned, expired). */
  overlay?: ComponentChildren;
}

/** A QR code of `value`; a placeholder square while it renders. */
export function QrCode(props: QrCodeProps): JSX.Element {
  const [src, setSrc] = useState<string | undefined>(undefined);
  useEffect(() => {
    let live = true;
    QRCode.toString(props.value, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, color: { dark: '#111111ff', light: '#ffffffff' } })
      .then((svg) => {
        if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      })
      .catch(() => {
        if (live) setSrc(undefined);
      });
    return () => {
      live = false;
    };
  }, [props.value]);

  return (
    <div class={`qr${props.overlay ? ' qr-dimmed' : ''}`} data-testid={props.testId} data-value={props.value}>
      {src ? <img src={src} alt={props.label} width={240} height={240} /> : <div class="qr-placeholder" aria-busy="true" />}
      {props.overlay ? <div class="qr-overlay">{props.overlay}</div> : null}
    </div>
  );
}
