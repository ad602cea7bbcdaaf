import { DomainError, EventView, notFound, PassView, ServiceClient, UpstreamError } from '@passway/common';

/**
 * Asks the passes service about a pass the projection does not know yet (created an instant
 * ago, its event still on the way), or confirms a pass and its event when the projection is
 * behind. Otherwise known passes are answered from the projection alone, so scanning works
 * while the passes service is down.
 */
export class PassDirectory {
  constructor(private readonly passes: ServiceClient<'PassesService'>) {}

  byCode(tenantId: string, code: string): Promise<PassView> {
    return this.ask(() => this.passes.call('GetPassByCode', { tenantId, input: { code } }));
  }

  byId(tenantId: string, id: string): Promise<PassView> {
    return this.ask(() => this.passes.call('GetPass', { tenantId, id }));
  }

  event(tenantId: string, id: string): Promise<EventView> {
    return this.ask(() => this.passes.call('GetEvent', { tenantId, id }), 'Event');
  }

  private async ask<T>(call: () => Promise<T>, what = 'Pass'): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof UpstreamError && error.status === 404) throw notFound(what);
      if (error instanceof UpstreamError) {
        throw new DomainError(
          'unavailable',
          `this ${what.toLowerCase()} is not known to the scans service yet and the passes service cannot be reached; try again shortly`,
          'passes_unavailable',
        );
      }
      throw error;
    }
  }
}
