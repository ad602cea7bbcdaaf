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
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }),
  );
  router.get(/.*/, (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    );
    res.type('html').send(indexHtml);
  });
  return router;
}
