import { Injectable } from '@nestjs/common';
import { isUuid, notFound } from '@passway/common';
import { AdmissionsRepository } from './admissions.repository';
import { PassDirectory } from './pass-directory';

/**
 * Re-reads a pass or an event from the passes service into the projection. The passes service
 * asks for it right after a status change, so a revoke or a suspension holds at the door before
 * its event has come through Kafka. The caller names only what changed; what is written comes
 * from the passes service itself, and the projection's own ordering (updatedAt) still applies.
 */
@Injectable()
export class ProjectionRefresh {
  constructor(
    private readonly directory: PassDirectory,
    private readonly admissions: AdmissionsRepository,
  ) {}

  async pass(tenantId: string, id: string): Promise<{ refreshed: true }> {
    if (!isUuid(id)) throw notFound('Pass');
    await this.admissions.apply(await this.directory.byId(tenantId, id));
    return { refreshed: true };
  }

  async event(tenantId: string, id: string): Promise<{ refreshed: true }> {
    if (!isUuid(id)) throw notFound('Event');
    await this.admissions.applyEvent(await this.directory.event(tenantId, id));
    return { refreshed: true };
  }
}
