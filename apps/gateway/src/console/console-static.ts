import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { NextFunction, Request, Response, Router } from 'express';
import { CONSOLE_ASSET_HEADERS, CONSOLE_COMMON_HEADERS, CONSOLE_DOOR_FILE_HEADERS, CONSOLE_PAGE_HEADERS } from './console-headers';

export { CONSOLE_PATH } from './console-headers';
/** Where `npm run build` puts the console (dist/console), seen from dist/apps/gateway/src/console/. */
export const DEFAULT_CONSOLE_DIR = resolve(__dirname, '..', '..', '..', '..', 'console');

const setHeaders = (res: Response, headers: Readonly<Record<string, string>>) => {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
};

/**
 * The console SPA under /app: hashed assets cached for a year, index.html never cached and
 * answered for every other path under /app (the client-side router takes it from there).
 * Without a built console (a server-only build) /app answers 404 with a JSON error.
 * The headers are console-headers.ts's, which the console's own container (Kubernetes) sends too.
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
    setHeaders(res, CONSOLE_COMMON_HEADERS);
    next();
  });
  router.use(
    '/assets',
    express.static(join(dir, 'assets'), {
      cacheControl: false,
      setHeaders: (res) => setHeaders(res, CONSOLE_ASSET_HEADERS),
      index: false,
      fallthrough: false,
    }),
  );
  // The door app (a second entry point): its service worker and web manifest are re-checked on every
  // load (never cached), and every path under /app/door answers the door's own page (its index.html
  // too, with the page's headers).
  const doorFile = join(dir, 'door', 'index.html');
  const doorHtml = existsSync(doorFile) ? readFileSync(doorFile) : undefined;
  const doorFiles = express.static(join(dir, 'door'), {
    cacheControl: false,
    setHeaders: (res) => setHeaders(res, CONSOLE_DOOR_FILE_HEADERS),
    index: false,
    fallthrough: true,
  });
  router.use('/door', (req: Request, res: Response, next: NextFunction) =>
    req.path === '/index.html' ? next() : doorFiles(req, res, next),
  );
  router.get(/.*/, (req: Request, res: Response) => {
    setHeaders(res, CONSOLE_PAGE_HEADERS);
    const isDoor = doorHtml && (req.path === '/door' || req.path.startsWith('/door/'));
    res.type('html').send(isDoor ? doorHtml : indexHtml);
  });
  return router;
}
