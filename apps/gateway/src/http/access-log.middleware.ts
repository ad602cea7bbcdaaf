import { Logger } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/principal';

const logger = new Logger('http');

/**
 * The path as the access log shows it: without its query string (which may hold a pass-link token)
 * and without the pass code of a public pass page (`/p/CODE` admits its holder at the door).
 */
export function loggablePath(path: string): string {
  return path.replace(/^\/p\/[^/]+/, '/p/:code');
}

/** One line per request, never with a pass code or a link token. */
export function accessLogMiddleware(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const path = loggablePath(req.path);
    logger.log({
      msg: `${req.method} ${path} ${res.statusCode}`,
      method: req.method,
      path,
      status: res.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      tenantId: req.principal?.tenant.id,
      keyId: req.principal?.keyId ?? undefined,
      userId: req.principal?.member?.userId,
    });
  });
  next();
}
