import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { RatePolicy, writeRateLimitHeaders } from './rate-limit-policy';
import { RateLimiterService } from './rate-limiter.service';

/** Per-IP budget for the public pass page `/p/*`, which anyone may call without a key. */
@Injectable()
export class PublicPageRateLimit {
  private readonly policy: RatePolicy;

  constructor(
    private readonly rateLimits: RateLimiterService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.policy = { name: 'public-page', limit: config.PUBLIC_PAGE_PER_IP_PER_MINUTE, windowSeconds: 60 };
  }

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'OPTIONS') return next();
    this.rateLimits.consume(this.policy, req.ip ?? req.socket.remoteAddress ?? 'unknown').then((standing) => {
      if (standing) writeRateLimitHeaders(res, standing);
      if (standing && !standing.allowed) {
        res.status(429).json({ error: 'Too many requests from this address, try again later', code: 'rate_limited' });
        return;
      }
      next();
    }, next);
  };
}
