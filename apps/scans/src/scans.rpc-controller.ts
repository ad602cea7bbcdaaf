import {
  CommandHandler, ListPassScansQueryDto, ListScansQueryDto, TenantCommand, RpcController, ScanBatchCommandDto, ScanCommandDto, validateInput,
} from '@passway/common';
import { ScanHistoryService } from './history/scan-history.service';
import { RedemptionService } from './redemption/redemption.service';

@RpcController()
export class ScansRpcController {
  constructor(
    private readonly redemption: RedemptionService,
    private readonly history: ScanHistoryService,
  ) {}

  @CommandHandler('ScansService', 'Scan')
  scan({ tenantId, input, eventIds }: TenantCommand) {
    return this.redemption.scan(tenantId, validateInput(ScanCommandDto, input), eventIds);
  }

  @CommandHandler('ScansService', 'ScanBatch')
  scanBatch({ tenantId, input, eventIds }: TenantCommand) {
    return this.redemption.scanBatch(tenantId, validateInput(ScanBatchCommandDto, input), eventIds);
  }

  @CommandHandler('ScansService', 'ListPassScans')
  listForPass({ tenantId, id, input, eventIds }: TenantCommand) {
    return this.history.listForPass(tenantId, id ?? '', validateInput(ListPassScansQueryDto, input ?? {}), eventIds);
  }

  @CommandHandler('ScansService', 'EventScanStats')
  eventStats({ tenantId, id, eventIds }: TenantCommand) {
    return this.history.eventStats(tenantId, id ?? '', eventIds);
  }

  @CommandHandler('ScansService', 'ListScans')
  list({ tenantId, input, eventIds }: TenantCommand) {
    return this.history.list(tenantId, validateInput(ListScansQueryDto, input ?? {}), eventIds);
  }
}
