import { Logger } from '@nestjs/common';
import { RequestContext } from '@passway/common';
import { randomUUID } from 'node:crypto';
import type { NextFunction, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/principal';

const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;
const accessLog = new Logger('http');

/** Every response carries X-Request-Id: the caller's, when it is sane, or a new one; one access-log line per request. */
export function requestIdMiddleware(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
  req.requestId = requestId;
  res.setHeader('X-Request-Id', requestId);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    RequestContext.run({ requestId, tenantId: req.principal?.tenant.id }, () =>
      accessLog.log(`${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${ms.toFixed(1)}ms`),
    );
  });
  next();
}
