import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { SessionRow } from '../accounts/accounts.repository';
import { PUBLIC_ROUTE, PublicRoute } from '@passway/common';
import type { Request } from 'express';
import type { Role } from '../api-keys/entities/api-key.entity';
import type { RatePolicy } from '../rate-limit/rate-limit-policy';
import type { MemberRole } from '../team/member-roles';
import type { Plan } from '../tenants/entities/tenant.entity';

/** Who made a request, as the audit log and the token ledger name them. */
export interface Actor {
  type: 'api_key' | 'user';
  id: string;
  label: string;
}

/** A signed-in person acting in one organisation (absent for API keys). */
export interface MemberContext {
  userId: string;
  email: string;
  name: string;
  role: MemberRole;
  sessionId: string;
}

/**
 * Who is calling: resolved from the API key or the session cookie by ApiKeyGuard. A member's
 * role maps onto the key roles (owner/admin → admin, event manager → staff, door staff →
 * scanner), so one set of route rules, rate limits and tenancy holds for both.
 */
export interface Principal {
  /** The API key's id; null for a session. */
  keyId: string | null;
  /** Whose budget a request counts against: the key, or the signed-in user. */
  rateKey: string;
  actor: Actor;
  member?: MemberContext;
  role: Role;
  /** Events the key is scoped to; null = every event of the tenant. */
  eventIds: string[] | null;
  tenant: {
    id: string;
    name: string;
    slug: string;
    plan: Plan;
    rateLimitPerMinute: number | null;
    suspended: boolean;
  };
}

export type AuthenticatedRequest = Request & {
  principal?: Principal;
  session?: SessionRow;
  requestId?: string;
  idempotencyKey?: string;
  /** The budget ApiKeyGuard counted this request against (per key or signed-in user). */
  ratePolicy?: RatePolicy;
  /** What a route adds to its audit entry's details (e.g. an undo's reason). */
  auditDetails?: Record<string, unknown>;
};

/** Routes about the session itself (who am I, sign out): a valid session is enough, no organisation role. */
export const SESSION_ROUTE = 'passway:sessionRoute';
export const SessionRoute = () => SetMetadata(SESSION_ROUTE, true);
/** Routes of platform operators: a session of a user flagged as operator. */
export const OPERATOR_ROUTE = 'passway:operatorRoute';
export const OperatorRoute = () => SetMetadata(OPERATOR_ROUTE, true);

export const CurrentSession = createParamDecorator((_: unknown, context: ExecutionContext): SessionRow => {
  const session = context.switchToHttp().getRequest<AuthenticatedRequest>().session;
  if (!session) throw new Error('CurrentSession used on a route without a session');
  return session;
});

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
