import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { metrics } from '@passway/common';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { REDIS } from '../redis/redis.module';
import type { Response } from 'express';
import type { AuthenticatedRequest } from '../auth/principal';
import { RatePolicy, RateStanding, writeRateLimitHeaders } from './rate-limit-policy';

/**
 * Counts requests in Redis with rate-limiter-flexible (one atomic Lua INCR+TTL per request, so every
 * gateway replica shares the same counters). When Redis cannot answer, the request is let through:
 * limits are a protection, and refusing all traffic because the counter store is down would be worse.
 */
@Injectable()
export class RateLimiterService {
  private readonly logger = new Logger('RateLimits');
  private readonly limiters = new Map<string, RateLimiterRedis>();
  private failingOpen = false;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Counts one request (or `points`) for `key`; undefined when Redis could not decide (fail open). */
  async consume(policy: RatePolicy, key: string, points = 1): Promise<RateStanding | undefined> {
    try {
      return this.standing(policy, await this.limiter(policy).consume(key, points), true);
    } catch (outcome) {
      if (outcome instanceof RateLimiterRes) {
        metrics.rateLimitRejections.inc({ policy: policy.name });
        return this.standing(policy, outcome, false);
      }
      return this.failedOpen(policy, outcome);
    }
  }

  /** Where `key` stands without counting a request; undefined when it has no count or Redis is away. */
  async peek(policy: RatePolicy, key: string): Promise<RateStanding | undefined> {
    try {
      const current = await this.limiter(policy).get(key);
      if (!current) return undefined;
      return this.standing(policy, current, current.consumedPoints < policy.limit);
    } catch (error) {
      return this.failedOpen(policy, error, false);
    }
  }

  private standing(policy: RatePolicy, res: RateLimiterRes, allowed: boolean): RateStanding {
    if (this.failingOpen) {
      this.failingOpen = false;
      this.logger.log('rate limiting restored: Redis answers again');
    }
    return { policy, allowed, remaining: Math.max(0, policy.limit - res.consumedPoints), msBeforeReset: Math.max(0, res.msBeforeNext) };
  }

  /** Only consume() counts in the metric, so a request that both peeks and consumes counts once. */
  private failedOpen(policy: RatePolicy, error: unknown, count = true): undefined {
    if (count) metrics.rateLimitFailOpen.inc({ policy: policy.name });
    if (!this.failingOpen) {
      this.failingOpen = true;
      this.logger.warn(`rate limiting is failing open: ${(error as Error)?.message ?? error}`);
    }
    return undefined;
  }

  private limiter(policy: RatePolicy): RateLimiterRedis {
    const id = `${policy.name}:${policy.limit}:${policy.windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        // One counter per key and policy name; the limit is compared on read, so a tenant whose
        // figure changes keeps its count for the current window.
        keyPrefix: `passway:rl:${policy.name}:${policy.windowSeconds}`,
        points: policy.limit,
        duration: policy.windowSeconds,
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/**
 * A request that does the work of many (an offline scanner's batch) pays for each item: the guard
 * counted one, this counts the rest against the same budget, and refuses the whole batch when it
 * does not fit (nothing of it runs).
 */
export async function chargeItems(rateLimits: RateLimiterService, req: AuthenticatedRequest, res: Response, items: number): Promise<void> {
  const policy = req.ratePolicy;
  if (!policy || !req.principal || items <= 1) return;
  const standing = await rateLimits.consume(policy, req.principal.rateKey, items - 1);
  if (!standing) return;
  writeRateLimitHeaders(res, standing);
  if (standing.allowed) return;
  throw new HttpException(
    {
      error:
        `This batch of ${items} scans counts as ${items} requests against this key's limit of ${policy.limit} per minute, ` +
        `which it exceeds; send smaller batches${items > policy.limit ? '' : ' or retry later'}`,
      code: 'rate_limited',
    },
    HttpStatus.TOO_MANY_REQUESTS,
  );
}
