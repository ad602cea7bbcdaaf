import { CommandHandler, ListPassScansQueryDto, ListScansQueryDto, RpcController, TenantCommand, validateInput } from '@passway/common';
import { ScanHistoryService } from './scan-history.service';

@RpcController()
export class ScanHistoryRpcController {
  constructor(private readonly history: ScanHistoryService) {}

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
