import {
  ClientCreatedValue, ClientPresenter, DomainEvent, EventPresenter, EventUpdatedValue, EventView, PassCreatedValue, PassPresenter, PassScannedValue,
  PassStatusChangedValue, PassUpdatedValue, TriggerItem,
} from '@passway/common';

/**
 * The REST shape (seed 001) of an event's data: what `/triggers` lists and what a webhook's
 * `data` carries. Computed once when the event is logged, so both always agree.
 */
export function triggerItem(event: DomainEvent): TriggerItem {
  switch (event.type) {
    case 'pass.created': {
      const pass = event.data as PassCreatedValue;
      return {
        ...PassPresenter.listItem(pass),
        clientName: pass.client?.name ?? null,
        clientEmail: pass.client?.email ?? null,
        clientPhone: pass.client?.phone ?? null,
      };
    }
    case 'pass.status_changed': {
      const pass = event.data as PassStatusChangedValue;
      return { ...PassPresenter.detail(pass), previousStatus: pass.previousStatus, changedAt: pass.changedAt };
    }
    case 'pass.updated':
      return PassPresenter.detail(event.data as PassUpdatedValue);
    case 'client.created':
      return ClientPresenter.view(event.data as ClientCreatedValue);
    case 'pass.scanned': {
      // Flat already; the scans service owns the record's fields, so pass them all on except the tenant.
      const { tenantId: _tenant, ...scan } = event.data as PassScannedValue & { tenantId?: string };
      return scan as TriggerItem;
    }
    case 'event.created':
      return EventPresenter.view(event.data as EventView);
    case 'event.updated': {
      // Like pass.status_changed: the event as GET /events/:id returns it, plus what changed.
      const { changedFields, previousStatus, ...view } = event.data as EventUpdatedValue;
      return { ...EventPresenter.view(view), changedFields, previousStatus };
    }
    default:
      throw new Error(`no trigger shape for ${event.type}`);
  }
}
