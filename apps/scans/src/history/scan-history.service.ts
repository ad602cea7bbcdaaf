import { Injectable } from '@nestjs/common';
import { isUuid, ListPassScansQueryDto, ListScansQueryDto, notFound, Page, ScanRecordView } from '@passway/common';
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
  async listForPass(tenantId: string, passId: string, query: ListPassScansQueryDto): Promise<Page<ScanRecordView>> {
    if (!isUuid(passId)) throw notFound('Pass');
    if (!(await this.admissions.findById(tenantId, passId))) await this.directory.byId(tenantId, passId);
    return this.records.listForPass(tenantId, passId, query);
  }

  list(tenantId: string, query: ListScansQueryDto): Promise<Page<ScanRecordView>> {
    return this.records.list(tenantId, query);
  }
}
