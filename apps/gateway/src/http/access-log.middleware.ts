import { Logger } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/principal';

const logger = new Logger('http');

/** One line per request. The path is logged without its query string, which may hold a pass-link token. */
export function accessLogMiddleware(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    logger.log({
      msg: `${req.method} ${req.path} ${res.statusCode}`,
      method: req.method,
      path: req.path,
      status: res.statusCode,
      durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      tenantId: req.principal?.tenant.id,
      keyId: req.principal?.keyId ?? undefined,
      userId: req.principal?.member?.userId,
    });
  });
  next();
}
