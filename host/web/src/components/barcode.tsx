/**
 * @module Renders text as a Code 128 barcode (what shop scanners read from a payment code), shown through an
 * `<img>` data URL like {@link QrCode} so no markup is injected and the CSP stays strict.
 */
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import { code128Svg } from '../lib/code128.ts';

/** Props of {@link Barcode}. */
export interface BarcodeProps {
  value: string;
  /** What the code is, for screen readers. */
  label: string;
  testId?: string;
}

/** A Code 128 barcode of `value`. */
export function Barcode(props: BarcodeProps): JSX.Element {
  const svg = useMemo(() => code128Svg(props.value), [props.value]);
  return (
    <div class="barcode" data-testid={props.testId} data-value={props.value}>
      <img src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} alt={props.label} />
    </div>
  );
}
