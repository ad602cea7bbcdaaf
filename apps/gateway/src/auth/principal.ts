import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { PUBLIC_ROUTE, PublicRoute } from '@passway/common';
import type { Request } from 'express';
import type { Role } from '../api-keys/entities/api-key.entity';
import type { RatePolicy } from '../rate-limit/rate-limit-policy';
import type { Plan } from '../tenants/entities/tenant.entity';

/** Who is calling: resolved from the API key by ApiKeyGuard. */
export interface Principal {
  keyId: string;
  role: Role;
  /** Events the key is scoped to; null = every event of the tenant. */
  eventIds: string[] | null;
  tenant: {
    id: string;
    name: string;
    slug: string;
    plan: Plan;
    rateLimitPerMinute: number | null;
  };
}

export type AuthenticatedRequest = Request & {
  principal?: Principal;
  requestId?: string;
  idempotencyKey?: string;
  /** The budget ApiKeyGuard counted this request against (per key). */
  ratePolicy?: RatePolicy;
};

export const IS_PUBLIC = PUBLIC_ROUTE;
/** Routes anyone may call without an API key (health, docs, the public pass page). */
export const Public = PublicRoute;

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (!principal) throw new Error('CurrentPrincipal used on a route without ApiKeyGuard');
  return principal;
});

export const RequestId = createParamDecorator(
  (_: unknown, context: ExecutionContext): string | undefined => context.switchToHttp().getRequest<AuthenticatedRequest>().requestId,
);
