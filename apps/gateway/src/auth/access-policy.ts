import type { Principal } from './principal';
import type { RateGroup, RouteAccess } from './route-access';

/** Only this plan may use the REST API (the REST contract: "Pro plan only"). */
export const API_PLAN = 'pro';

export type AccessDecision =
  { allowed: true; rateGroup: RateGroup } | { allowed: false; rateGroup: RateGroup; error: string; code: string };

/**
 * Plan and role of an authenticated caller against a route's @Access metadata.
 * A route without metadata fails closed: only admins (who may call everything) pass.
 */
export function decideAccess(principal: Principal, access: RouteAccess | undefined, route: string): AccessDecision {
  const rateGroup = access?.rateGroup ?? 'manage';
  if (principal.tenant.suspended) {
    return { allowed: false, rateGroup, error: 'This organisation is suspended; contact Passway support', code: 'organization_suspended' };
  }
  if (principal.tenant.plan !== API_PLAN) {
    return { allowed: false, rateGroup, error: 'API access requires the Pro plan', code: 'plan_required' };
  }
  if (!access) {
    if (principal.role === 'admin') return { allowed: true, rateGroup };
    return { allowed: false, rateGroup, error: `${route} has no access policy; only admin keys may call it`, code: 'role_forbidden' };
  }
  if (!access.roles.includes(principal.role)) {
    return {
      allowed: false,
      rateGroup,
      error: `${principal.member ? `A ${principal.member.role} member` : `A ${principal.role} key`} may not call ${route} (allowed: ${access.roles.join(', ')})`,
      code: 'role_forbidden',
    };
  }
  if (access.tenantWide && principal.eventIds !== null) {
    return {
      allowed: false,
      rateGroup,
      error: `An event-scoped key may not call ${route}: it spans every event of the tenant`,
      code: 'event_scoped_key',
    };
  }
  return { allowed: true, rateGroup };
}
