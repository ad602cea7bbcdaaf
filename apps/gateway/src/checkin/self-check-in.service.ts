import { Injectable } from '@nestjs/common';
import { EventView, PASS_CODE_PATTERN, ScanOutcome, UpstreamError } from '@passway/common';
import { PassesClient, ScansClient } from '../rpc/service-clients.module';
import { TenantsService } from '../tenants/tenants.service';

export interface CheckInPageContext {
  tenantId: string;
  event: EventView;
}

/**
 * What the attendee is told. `not_matched` covers an unknown code, a code of another event and a
 * wrong email alike, so the page never tells which codes exist.
 */
export type CheckInOutcome =
  | { kind: 'checked_in'; passName: string | null }
  | { kind: 'already_checked_in' }
  | { kind: 'not_matched' }
  | { kind: 'not_valid_now'; reason: 'revoked' | 'not_yet_valid' | 'expired' }
  | { kind: 'closed' }
  | { kind: 'unavailable' };

@Injectable()
export class SelfCheckInService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly passes: PassesClient,
    private readonly scans: ScansClient,
  ) {}

  /** The organization and event a check-in URL names, or null (the page answers 404). */
  async findEvent(orgSlug: string, eventSlug: string, requestId?: string): Promise<CheckInPageContext | null> {
    const tenant = await this.tenants.findBySlug(orgSlug);
    if (!tenant || !/^[a-z0-9-]{1,100}$/.test(eventSlug)) return null;
    try {
      const event = await this.passes.call('GetEventBySlug', { tenantId: tenant.id, input: { slug: eventSlug } }, requestId);
      return { tenantId: tenant.id, event };
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404) return null;
      throw error;
    }
  }

  async checkIn({ tenantId, event }: CheckInPageContext, rawCode: string, rawEmail: string, requestId?: string): Promise<CheckInOutcome> {
    const code = rawCode.trim().toUpperCase();
    const email = rawEmail.trim().toLowerCase();
    if (!PASS_CODE_PATTERN.test(code)) return { kind: 'not_matched' };
    try {
      const pass = await this.passes.call('GetPassByCode', { tenantId, input: { code } }, requestId).catch((error) => {
        if (error instanceof UpstreamError && error.status === 404) return null;
        throw error;
      });
      const holderEmail = pass?.client?.email?.toLowerCase() ?? '';
      if (!pass || pass.eventId !== event.id || (email !== '' && email !== holderEmail)) return { kind: 'not_matched' };
      if (event.status === 'suspended') return { kind: 'closed' };
      // Scoped to this event, as an event-scoped key would be: the scans service itself refuses other events' passes.
      const scan = await this.scans.call('Scan', { tenantId, eventIds: [event.id], input: { code, method: 'self_service' } }, requestId);
      return describe(scan);
    } catch (error) {
      if (error instanceof UpstreamError && error.status >= 500) return { kind: 'unavailable' };
      throw error;
    }
  }
}

function describe(scan: ScanOutcome): CheckInOutcome {
  switch (scan.result) {
    case 'success':
      return { kind: 'checked_in', passName: scan.pass.name };
    case 'already_used':
    case 'max_usages_reached':
      return { kind: 'already_checked_in' };
    case 'revoked':
    case 'not_yet_valid':
    case 'expired':
      return { kind: 'not_valid_now', reason: scan.result };
    case 'offline':
      return { kind: 'unavailable' };
    default:
      return { kind: 'closed' }; // event_suspended, and any result a newer scans service adds
  }
}
