import { SetMetadata } from '@nestjs/common';
import type { Role } from '../api-keys/entities/api-key.entity';

/**
 * Rate-limit groups of the REST contract: `manage` is the 30/min group (/passes, /clients, /scan and the
 * other pass-management routes); `integrations` is the 10/min group (/webhooks, /triggers).
 */
export type RateGroup = 'manage' | 'integrations';

export interface RouteAccess {
  /** Roles allowed to call the route. */
  roles: readonly Role[];
  rateGroup: RateGroup;
  /**
   * The route works on what spans every event of the tenant (clients, webhooks, triggers):
   * an event-scoped key is refused with 403 event_scoped_key.
   */
  tenantWide?: boolean;
}

export const ROUTE_ACCESS = 'passway:routeAccess';

/** Declares who may call an API route and which rate-limit group it counts against. */
export const Access = (access: RouteAccess) => SetMetadata(ROUTE_ACCESS, access);

export const MANAGERS = ['admin', 'staff'] as const;
export const EVERYONE = ['admin', 'staff', 'scanner'] as const;
export const ADMINS = ['admin'] as const;
