import { Injectable } from '@nestjs/common';
import {
  EventScanStatsView,
  EventScope,
  inScope,
  isUuid,
  ListPassScansQueryDto,
  ListScansQueryDto,
  notFound,
  Page,
  ScanRecordView,
} from '@passway/common';
import { AdmissionsRepository } from '../admissions/admissions.repository';
import { PassDirectory } from '../admissions/pass-directory';
import { ScanRecordsRepository } from './scan-records.repository';

@Injectable()
export class ScanHistoryService {
  constructor(
    private readonly records: ScanRecordsRepository,
    private readonly admissions: AdmissionsRepository,
    private readonly directory: PassDirectory,
  ) {}

  /** A pass's scans; 404 for a pass that is not the tenant's (asking the passes service only when the projection has no row). */
  async listForPass(tenantId: string, passId: string, query: ListPassScansQueryDto, scope?: EventScope): Promise<Page<ScanRecordView>> {
    if (!isUuid(passId)) throw notFound('Pass');
    const admission = await this.admissions.findById(tenantId, passId);
    const eventId = admission ? admission.eventId : (await this.directory.byId(tenantId, passId)).eventId;
    if (!inScope(scope, eventId)) throw notFound('Pass');
    return this.records.listForPass(tenantId, passId, query);
  }

  /** An event's scan breakdowns; the gateway asks the passes service first, which answers 404 for an unknown event. */
  eventStats(tenantId: string, eventId: string, scope?: EventScope): Promise<EventScanStatsView> {
    if (!isUuid(eventId) || !inScope(scope, eventId)) throw notFound('Event');
    return this.records.eventStats(tenantId, eventId);
  }

  /** The tenant's scans; for an event-scoped key, only those of its events' passes. */
  list(tenantId: string, query: ListScansQueryDto, scope?: EventScope): Promise<Page<ScanRecordView>> {
    return this.records.list(tenantId, query, scope);
  }
}
