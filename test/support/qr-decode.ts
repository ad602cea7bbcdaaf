import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** Reads the QR code in a PNG (a screenshot or a rendered image) back to its text, or null. */
export function decodeQrPng(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height);
  return result?.data ?? null;
}
