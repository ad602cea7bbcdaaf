import { ClientPresenter, DomainEvent, EventPresenter, PassPresenter, PassScannedValue, TriggerItem } from '@passway/common';

/**
 * The REST shape of an event's data: what `/triggers` lists and what a webhook's
 * `data` carries. Computed once when the event is logged, so both always agree.
 */
export function triggerItem(event: DomainEvent): TriggerItem {
  switch (event.type) {
    case 'pass.created': {
      const pass = event.data;
      return {
        ...PassPresenter.listItem(pass),
        clientName: pass.client?.name ?? null,
        clientEmail: pass.client?.email ?? null,
        clientPhone: pass.client?.phone ?? null,
      };
    }
    case 'pass.status_changed': {
      const pass = event.data;
      return { ...PassPresenter.detail(pass), previousStatus: pass.previousStatus, changedAt: pass.changedAt };
    }
    case 'pass.updated':
      return PassPresenter.detail(event.data);
    case 'client.created':
      return ClientPresenter.view(event.data);
    case 'pass.scanned': {
      // Flat already; the scans service owns the record's fields, so pass them all on except a tenant id (older events carried one).
      const { tenantId: _tenant, ...scan }: PassScannedValue & { tenantId?: string } = event.data;
      return scan;
    }
    case 'event.created':
      return EventPresenter.view(event.data);
    case 'event.updated': {
      // Like pass.status_changed: the event as GET /events/:id returns it, plus what changed.
      const { changedFields, previousStatus, ...view } = event.data;
      return { ...EventPresenter.view(view), changedFields, previousStatus };
    }
  }
}
