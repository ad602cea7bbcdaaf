import { randomUUID } from 'node:crypto';
import type { NextFunction, Response } from 'express';
import { RequestContext } from '@passway/common';
import type { AuthenticatedRequest } from '../auth/principal';

const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Every response carries X-Request-Id: the caller's, when it is sane, or a new one. */
export function requestIdMiddleware(req: AuthenticatedRequest, res: Response, next: NextFunction): void {
  const given = req.headers['x-request-id'];
  const requestId = typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
  req.requestId = requestId;
  res.setHeader('X-Request-Id', requestId);
  RequestContext.run({ requestId }, next);
}
