import { Inject, Injectable, Logger } from '@nestjs/common';
import { ClientGrpc } from '@nestjs/microservices';
import { RequestContext, ServiceClient, serviceTokensOf } from '@passway/common';
import { PASSES_CONFIG, PassesConfig } from '../config';

export const SCANS_GRPC = 'SCANS_GRPC';
/** A revoke must not become slow: past this, the Kafka path alone carries the change. */
const REFRESH_DEADLINE_MS = 1_000;

/**
 * Tells the scans service, right after a status change has committed, to re-read the pass or
 * event into its projection, so a revoke or a suspension holds at the door at once instead of
 * after its event has come through the outbox and Kafka. Best effort: the event still follows,
 * and a failure here only means the door learns it that way.
 */
@Injectable()
export class ScansRefresh {
  private readonly logger = new Logger(ScansRefresh.name);
  private scans: ServiceClient<'ScansService'> | undefined;

  constructor(
    @Inject(SCANS_GRPC) private readonly grpc: ClientGrpc,
    @Inject(PASSES_CONFIG) private readonly config: PassesConfig,
  ) {}

  pass(tenantId: string, id: string): Promise<void> {
    return this.refresh('RefreshPass', tenantId, id);
  }

  event(tenantId: string, id: string): Promise<void> {
    return this.refresh('RefreshEvent', tenantId, id);
  }

  private async refresh(method: 'RefreshPass' | 'RefreshEvent', tenantId: string, id: string): Promise<void> {
    try {
      this.scans ??= new ServiceClient('scans', this.grpc, 'ScansService', serviceTokensOf(this.config), REFRESH_DEADLINE_MS);
      await this.scans.call(method, { tenantId, id }, RequestContext.current().requestId);
    } catch (error) {
      this.logger.warn(`${method} ${id}: ${(error as Error).message} (the event will carry the change)`);
    }
  }
}
