/**
 * @module The payment code's Code 128 barcode: the SVG the shell draws is read back by an independent decoder
 * (ZXing's Code 128 reader, on a raster of the SVG's bars), so a wrong pattern, check digit or geometry fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from '@zxing/library';
import { code128Modules, code128Svg } from '../../host/web/src/lib/code128.ts';

/** Rasterizes the SVG's rects (x, width; full height) into a grey image, then lets ZXing decode it. */
function decodeSvg(svg: string): string {
  const width = Number(/<svg[^>]* width="(\d+(?:\.\d+)?)"/.exec(svg)![1]);
  const height = 40;
  const pixels = new Uint8ClampedArray(width * height).fill(255);
  const bars = [...svg.matchAll(/<rect x="(\d+(?:\.\d+)?)" y="0" width="(\d+(?:\.\d+)?)"/g)];
  assert.ok(bars.length > 10, 'the SVG has bars');
  for (const [, x, w] of bars) {
    for (let row = 0; row < height; row++) pixels.fill(0, row * width + Number(x), row * width + Number(x) + Number(w));
  }
  const reader = new MultiFormatReader();
  reader.setHints(new Map<DecodeHintType, unknown>([[DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]], [DecodeHintType.PURE_BARCODE, true]]));
  const result = reader.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(pixels, width, height))));
  assert.equal(result.getBarcodeFormat(), BarcodeFormat.CODE_128);
  return result.getText();
}

describe('shell: Code 128 barcode', () => {
  it('draws an 18-digit payment code that a Code 128 reader decodes back', () => {
    for (const code of ['130000000100000000', '134827105934871256', '139999999999999999']) assert.equal(decodeSvg(code128Svg(code)), code);
  });

  it('packs digits into code set C: 9 symbol pairs, start, check and stop', () => {
    // Start C (11 modules) + 9 digit pairs × 11 + check (11) + stop (13) = 134 modules.
    const modules = code128Modules('134827105934871256');
    assert.equal(modules.length, 134);
    assert.equal(modules.slice(0, 11), '11010011100', 'Start C');
    assert.equal(modules.slice(-13), '1100011101011', 'Stop');
  });

  it('decodes mixed text and refuses what Code 128 cannot carry', () => {
    assert.equal(decodeSvg(code128Svg('POS-42 ab')), 'POS-42 ab');
    assert.throws(() => code128Modules('二维码'), RangeError);
  });

  it('keeps the quiet zone and the CSP-safe markup (no style attributes)', () => {
    const svg = code128Svg('130000000100000000', { moduleWidth: 3, quietZone: 10 });
    assert.doesNotMatch(svg, /style=/);
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="462" /);
    assert.match(svg, /<rect x="30" y="0"/, 'the first bar starts after 10 quiet modules');
  });
});
