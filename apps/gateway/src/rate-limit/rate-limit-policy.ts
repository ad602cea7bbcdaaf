import type { Response } from 'express';

/** A named budget: `limit` requests per `windowSeconds`, counted per key (API key or client IP). */
export interface RatePolicy {
  name: string;
  limit: number;
  windowSeconds: number;
}

/** Where a key stands in its policy's current window. */
export interface RateStanding {
  policy: RatePolicy;
  allowed: boolean;
  remaining: number;
  /** Milliseconds until the window resets. */
  msBeforeReset: number;
}

/**
 * Writes both header families on a response:
 * - `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset`; Reset is a Unix time in seconds;
 * - `RateLimit-Policy` and `RateLimit` of draft-ietf-httpapi-ratelimit-headers-10, whose `t` is seconds until reset;
 * - `Retry-After` (seconds) when the request is refused.
 */
export function writeRateLimitHeaders(res: Response, standing: RateStanding, now = Date.now()): void {
  const { policy } = standing;
  const secondsToReset = Math.max(0, Math.ceil(standing.msBeforeReset / 1000));
  res.setHeader('X-RateLimit-Limit', String(policy.limit));
  res.setHeader('X-RateLimit-Remaining', String(standing.remaining));
  res.setHeader('X-RateLimit-Reset', String(Math.ceil((now + standing.msBeforeReset) / 1000)));
  res.setHeader('RateLimit-Policy', `"${policy.name}";q=${policy.limit};w=${policy.windowSeconds}`);
  res.setHeader('RateLimit', `"${policy.name}";r=${standing.remaining};t=${secondsToReset}`);
  if (!standing.allowed) res.setHeader('Retry-After', String(Math.max(1, secondsToReset)));
}

/** The `manage` budget is the tenant's figure (or the default); `integrations` is a third of it, at least 1. */
export function perMinuteLimit(
  group: 'manage' | 'integrations',
  tenantPerMinute: number | null,
  defaults: { manage: number; integrations: number },
): number {
  if (tenantPerMinute === null) return defaults[group];
  return group === 'manage' ? tenantPerMinute : Math.max(1, Math.floor(tenantPerMinute / 3));
}
