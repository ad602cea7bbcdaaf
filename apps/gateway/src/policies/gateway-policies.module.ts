import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { HttpRequestContextInterceptor } from '../http/request-context.interceptor';
import { IdempotencyInterceptor } from '../idempotency/idempotency.interceptor';
import { IdempotencyStore } from '../idempotency/idempotency-store';
import { PerIpRateLimits } from '../rate-limit/per-ip-rate-limit';
import { RateLimiterService } from '../rate-limit/rate-limiter.service';
import { TokenSpender } from '../tokens/token-spender';
import { TokenBalanceRepository } from '../tokens/token-balance.repository';
import { TokenBalanceService } from '../tokens/token-balance.service';

/**
 * What the gateway applies around every command besides authentication: rate limits, token balance,
 * idempotency and the request context (docs/gateway-policies.md). ApiKeyGuard enforces plans and roles.
 */
@Global()
@Module({
  providers: [
    RateLimiterService,
    PerIpRateLimits,
    TokenBalanceRepository,
    TokenBalanceService,
    TokenSpender,
    IdempotencyStore,
    { provide: APP_INTERCEPTOR, useClass: HttpRequestContextInterceptor },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [RateLimiterService, PerIpRateLimits, TokenBalanceRepository, TokenBalanceService, TokenSpender],
})
export class GatewayPoliciesModule {}
