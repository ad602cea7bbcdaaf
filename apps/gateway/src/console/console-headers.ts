/**
 * The HTTP headers of everything under /app (the console and the door app), defined once. Two
 * servers send them: the gateway (console-static.ts, one-node setups and `npm start`) and the
 * console's own container in Kubernetes, whose nginx.conf tools/console-nginx.ts renders from these
 * definitions when Dockerfile.console builds the image. test/console-image.e2e-spec.ts checks that
 * both answer alike.
 */

export const CONSOLE_PATH = '/app';

/** Every response under /app, error pages included. */
export const CONSOLE_COMMON_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
};

/** Content-hashed files under /app/assets: cached for a year, never revalidated (200 answers only). */
export const CONSOLE_ASSET_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'public, max-age=31536000, immutable',
};

/** The door's service worker and web manifest (/app/door/*): re-checked on every load (200 answers only). */
export const CONSOLE_DOOR_FILE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-cache',
};

/**
 * The two pages (the console's index.html, answered for every client route under /app, and the
 * door's, for every path under /app/door): never cached, never framed, and a strict CSP.
 * worker-src blob:: the QR decoder (qr-scanner) runs in a worker made from a blob URL.
 */
export const CONSOLE_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-cache',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};
