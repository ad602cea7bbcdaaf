import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { NextFunction, Request, Response, Router } from 'express';

export const CONSOLE_PATH = '/app';
/** Where `npm run build` puts the console (dist/console), seen from dist/apps/gateway/src/console/. */
export const DEFAULT_CONSOLE_DIR = resolve(__dirname, '..', '..', '..', '..', 'console');

/**
 * The console SPA under /app: hashed assets cached for a year, index.html never cached and
 * answered for every other path under /app (the client-side router takes it from there).
 * Without a built console (a server-only build) /app answers 404 with a JSON error.
 */
export function consoleStaticHandler(dir: string): Router {
  const router = express.Router();
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) {
    router.use((_req: Request, res: Response) => {
      res.status(404).json({ error: 'The console is not built: run "npm run build"', code: 'console_not_built' });
    });
    return router;
  }
  const indexHtml = readFileSync(indexFile);
  router.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  router.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  // The door app (a second entry point): its service worker and web manifest are re-checked on every
  // load (never cached), and every path under /app/door answers the door's own page.
  const doorFile = join(dir, 'door', 'index.html');
  const doorHtml = existsSync(doorFile) ? readFileSync(doorFile) : undefined;
  router.use(
    '/door',
    express.static(join(dir, 'door'), { index: false, fallthrough: true, setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache') }),
  );
  router.get(/.*/, (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Frame-Options', 'DENY');
    // worker-src blob:: the QR decoder (qr-scanner) runs in a worker made from a blob URL.
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
    const isDoor = doorHtml && (req.path === '/door' || req.path.startsWith('/door/'));
    res.type('html').send(isDoor ? doorHtml : indexHtml);
  });
  return router;
}
