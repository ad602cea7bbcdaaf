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
/**
 * KEYS[1] a budget that must not be spent (the client IP's failed authentications), KEYS[2] the
 * counter to charge; ARGV: that budget's limit, points, the counter's window in seconds. Refuses
 * without charging when the budget is spent, else charges as rate-limiter-flexible does (same keys,
 * same values), so peek() and consume() see the same counts.
 */
const CHARGE_UNLESS_BLOCKED_LUA = `
local spent = tonumber(redis.call('get', KEYS[1]) or '0')
if spent >= tonumber(ARGV[1]) then
  return {0, spent, redis.call('pttl', KEYS[1])}
end
redis.call('set', KEYS[2], 0, 'EX', ARGV[3], 'NX')
local consumed = redis.call('incrby', KEYS[2], ARGV[2])
local ttl = redis.call('pttl', KEYS[2])
if ttl == -1 then
  redis.call('expire', KEYS[2], ARGV[3])
  ttl = 1000 * ARGV[3]
end
return {1, consumed, ttl}`;

type ChargeUnlessBlocked = (
  blockKey: string,
  key: string,
  blockLimit: number,
  points: number,
  seconds: number,
) => Promise<[number, number, number]>;

/** What chargeUnlessBlocked found: the spent budget that refuses the request, or where the charged key stands. */
export type ChargeOutcome = { blocked: RateStanding } | { charged: RateStanding } | undefined;

@Injectable()
export class RateLimiterService {
  private readonly logger = new Logger('RateLimits');
  private readonly limiters = new Map<string, RateLimiterRedis>();
  private failingOpen = false;

  constructor(@Inject(REDIS) private readonly redis: Redis) {
    redis.defineCommand('passwayChargeUnlessBlocked', { numberOfKeys: 2, lua: CHARGE_UNLESS_BLOCKED_LUA });
  }

  /**
   * peek(block, blockKey) and then consume(policy, key) in one Redis round trip: when `block` is
   * spent for `blockKey` nothing is charged. Undefined when Redis could not decide (fail open).
   */
  async chargeUnlessBlocked(block: RatePolicy, blockKey: string, policy: RatePolicy, key: string): Promise<ChargeOutcome> {
    try {
      const charge = (this.redis as unknown as { passwayChargeUnlessBlocked: ChargeUnlessBlocked }).passwayChargeUnlessBlocked;
      const [charged, consumed, ttl] = await charge.call(
        this.redis,
        counterKey(block, blockKey),
        counterKey(policy, key),
        block.limit,
        1,
        policy.windowSeconds,
      );
      if (!charged) {
        return { blocked: this.standing(block, { consumedPoints: consumed, msBeforeNext: Math.max(0, ttl) } as RateLimiterRes, false) };
      }
      const allowed = consumed <= policy.limit;
      if (!allowed) metrics.rateLimitRejections.inc({ policy: policy.name });
      return { charged: this.standing(policy, { consumedPoints: consumed, msBeforeNext: Math.max(0, ttl) } as RateLimiterRes, allowed) };
    } catch (error) {
      return this.failedOpen(policy, error);
    }
  }

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
        keyPrefix: keyPrefix(policy),
        points: policy.limit,
        duration: policy.windowSeconds,
        rejectIfRedisNotReady: true,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

const keyPrefix = (policy: RatePolicy) => `passway:rl:${policy.name}:${policy.windowSeconds}`;
/** rate-limiter-flexible's key for a counter. */
const counterKey = (policy: RatePolicy, key: string) => `${keyPrefix(policy)}:${key}`;

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
