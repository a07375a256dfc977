/**
 * @module Reads QR codes from pixels with jsQR: camera frames and uploaded pictures. jsQR is loaded on first
 * use, in its own chunk, so only people who scan download it.
 */

/** Finds the text of a QR code in a frame. */
export type QrDecoder = (image: ImageData) => string | undefined;

let decoder: Promise<QrDecoder> | undefined;

/** Loads jsQR (once) and returns the decoder. */
export function loadQrDecoder(): Promise<QrDecoder> {
  decoder ??= import('jsqr')
    .then((module) => {
      // jsqr is CommonJS whose `module.exports` is the function; bundlers expose it as `default`.
      const candidate: unknown = module.default;
      const jsQR = (typeof candidate === 'function' ? candidate : (candidate as { default: unknown }).default) as typeof module.default.default;
      return (image: ImageData) => jsQR(image.data, image.width, image.height, { inversionAttempts: 'attemptBoth' })?.data || undefined;
    })
    .catch((error: unknown) => {
      decoder = undefined; // let a later scan try to load it again
      throw error;
    });
  return decoder;
}

/** Draws `source` scaled to at most `maxSide` pixels on `canvas` and returns its pixels. */
export function pixelsOf(source: CanvasImageSource, width: number, height: number, canvas: HTMLCanvasElement, maxSide = 1024): ImageData | undefined {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) return undefined;
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** The text of the QR code in an image file, if one is found; rejects when the file is not an image. */
export async function decodeQrFile(file: Blob): Promise<string | undefined> {
  const [decode, bitmap] = await Promise.all([loadQrDecoder(), createImageBitmap(file)]);
  try {
    const pixels = pixelsOf(bitmap, bitmap.width, bitmap.height, document.createElement('canvas'));
    return pixels ? decode(pixels) : undefined;
  } finally {
    bitmap.close();
  }
}
