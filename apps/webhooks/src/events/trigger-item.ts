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
      // Flat already; the scans service owns the record's fields, so pass them all on except a tenant id (older events carried
      // one) and the counter's internal version.
      const { tenantId: _tenant, tallyVersion: _version, ...scan }: PassScannedValue & { tenantId?: string } = event.data;
      return scan;
    }
    case 'pass.admission_undone': {
      const { tallyVersion: _version, ...undone } = event.data;
      return undone;
    }
    case 'event.created':
      return EventPresenter.view(event.data);
    case 'template.updated':
      // Not consumed here (CONSUMED_EVENT_TYPES): every type has its item so a new one must be placed.
      return { ...event.data };
    case 'event.updated': {
      // Like pass.status_changed: the event as GET /events/:id returns it, plus what changed.
      const { changedFields, previousStatus, ...view } = event.data;
      return { ...EventPresenter.view(view), changedFields, previousStatus };
    }
  }
}
