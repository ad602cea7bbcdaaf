import { CommandHandler, RpcController, ScanBatchCommandDto, ScanCommandDto, TenantCommand, validateInput } from '@passway/common';
import { RedemptionService } from './redemption.service';

@RpcController()
export class RedemptionRpcController {
  constructor(private readonly redemption: RedemptionService) {}

  @CommandHandler('ScansService', 'Scan')
  scan({ tenantId, input, eventIds }: TenantCommand) {
    return this.redemption.scan(tenantId, validateInput(ScanCommandDto, input), eventIds);
  }

  @CommandHandler('ScansService', 'ScanBatch')
  scanBatch({ tenantId, input, eventIds }: TenantCommand) {
    return this.redemption.scanBatch(tenantId, validateInput(ScanBatchCommandDto, input), eventIds);
  }
}
