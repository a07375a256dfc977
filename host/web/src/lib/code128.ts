/**
 * @module Code 128 barcodes as SVG markup: the bar pattern comes from `jsbarcode`'s encoder (automatic choice of
 * code sets A/B/C, so an 18-digit payment code packs into set C), drawn here as plain `<rect>`s — no style
 * attributes, so the markup works under the shell's strict CSP when shown through an `<img>` data URL.
 */
import jsbarcodeCode128 from 'jsbarcode/bin/barcodes/CODE128/index.js';

interface Encoder {
  valid(): boolean;
  encode(): { text: string; data: string };
}
const { CODE128 } = jsbarcodeCode128 as unknown as { CODE128: new (data: string, options: object) => Encoder };

/** The modules of `text` as `1` (bar) and `0` (space), start and check characters and stop pattern included. */
export function code128Modules(text: string): string {
  const encoder = new CODE128(text, {});
  if (!encoder.valid()) throw new RangeError('Code 128 carries ASCII only');
  return encoder.encode().data;
}

/** Options of {@link code128Svg}. */
export interface Code128SvgOptions {
  /** Width of the narrowest bar, in SVG units. @default 2 */
  moduleWidth?: number;
  /** Bar height. @default 80 */
  height?: number;
  /** Blank modules each side (the standard asks for at least 10). @default 10 */
  quietZone?: number;
}

/** `text` as a Code 128 barcode: an SVG document with a white background and one black rect per bar. */
export function code128Svg(text: string, options: Code128SvgOptions = {}): string {
  const unit = options.moduleWidth ?? 2;
  const height = options.height ?? 80;
  const quiet = options.quietZone ?? 10;
  const modules = code128Modules(text);
  const width = (modules.length + 2 * quiet) * unit;
  const bars: string[] = [];
  for (let i = 0; i < modules.length; ) {
    if (modules[i] !== '1') {
      i++;
      continue;
    }
    let run = 1;
    while (modules[i + run] === '1') run++;
    bars.push(`<rect x="${(quiet + i) * unit}" y="0" width="${run * unit}" height="${height}"/>`);
    i += run;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" shape-rendering="crispEdges">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/><g fill="#111111">${bars.join('')}</g></svg>`
  );
}
