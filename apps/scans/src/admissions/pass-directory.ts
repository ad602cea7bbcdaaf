import { DomainError, EventView, notFound, PassView, ServiceClient, UpstreamError } from '@passway/common';

/**
 * Asks the passes service about a pass the projection does not know yet (created an instant
 * ago, its event still on the way), or confirms a pass and its event when the projection is
 * behind. Otherwise known passes are answered from the projection alone, so scanning works
 * while the passes service is down.
 */
export class PassDirectory {
  constructor(private readonly passes: ServiceClient) {}

  byCode(tenantId: string, code: string): Promise<PassView> {
    return this.ask<PassView>('GetPassByCode', { tenantId, input: { code } });
  }

  byId(tenantId: string, id: string): Promise<PassView> {
    return this.ask<PassView>('GetPass', { tenantId, id });
  }

  event(tenantId: string, id: string): Promise<EventView> {
    return this.ask<EventView>('GetEvent', { tenantId, id }, 'Event');
  }

  private async ask<T>(method: string, command: { tenantId: string; id?: string; input?: unknown }, what = 'Pass'): Promise<T> {
    try {
      return await this.passes.call<T>(method, command);
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404) throw notFound(what);
      if (error instanceof UpstreamError) {
        throw new DomainError('unavailable', 'this pass is not known to the scans service yet and the passes service cannot be reached; try again shortly', 'passes_unavailable');
      }
      throw error;
    }
  }
}
