import { Inject, Injectable } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { RatePolicy, writeRateLimitHeaders } from './rate-limit-policy';
import { RateLimiterService } from './rate-limiter.service';

/** Per-IP budgets for pages anyone may call without a key: the public pass page and the self-service check-in. */
@Injectable()
export class PerIpRateLimits {
  constructor(
    private readonly rateLimits: RateLimiterService,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** `/p/*`: the public pass page and its QR. */
  publicPage() {
    return this.middleware({ name: 'public-page', limit: this.config.PUBLIC_PAGE_PER_IP_PER_MINUTE, windowSeconds: 60 });
  }

  /** `/e/*`: the self-service check-in page, where codes are typed (so guessed) by hand. */
  selfCheckIn() {
    return this.middleware({ name: 'self-check-in', limit: this.config.SELF_CHECKIN_PER_IP_PER_MINUTE, windowSeconds: 60 });
  }

  /** `POST /api/v1/devices/pair`: pairing tokens are secrets a guesser would try. */
  devicePairing() {
    return this.middleware({ name: 'device-pairing', limit: this.config.DEVICE_PAIRING_PER_IP_PER_MINUTE, windowSeconds: 60 });
  }

  /** `/p/portal/*`: the holder portal, where email addresses are typed (and could be tried in bulk). */
  holderPortal() {
    return this.middleware({ name: 'holder-portal', limit: this.config.PORTAL_PER_IP_PER_MINUTE, windowSeconds: 60 });
  }

  /** `/wallet/*`: the PassKit web service Apple devices call. */
  walletService() {
    return this.middleware({ name: 'wallet-service', limit: this.config.WALLET_SERVICE_PER_IP_PER_MINUTE, windowSeconds: 60 });
  }

  private middleware(policy: RatePolicy) {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (req.method === 'OPTIONS') return next();
      this.rateLimits.consume(policy, req.ip ?? req.socket.remoteAddress ?? 'unknown').then((standing) => {
        if (standing) writeRateLimitHeaders(res, standing);
        if (standing && !standing.allowed) {
          res.status(429).json({ error: 'Too many requests from this address, try again later', code: 'rate_limited' });
          return;
        }
        next();
      }, next);
    };
  }
}
