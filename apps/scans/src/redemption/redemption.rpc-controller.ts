import {
  CommandHandler,
  RpcController,
  ScanBatchCommandDto,
  ScanCommandDto,
  TenantCommand,
  UndoAdmissionCommandDto,
  validateInput,
} from '@passway/common';
import { RedemptionService } from './redemption.service';
import { UndoService } from './undo.service';

@RpcController()
export class RedemptionRpcController {
  constructor(
    private readonly redemption: RedemptionService,
    private readonly undoing: UndoService,
  ) {}

  @CommandHandler('ScansService', 'Scan')
  scan({ tenantId, input, eventIds }: TenantCommand) {
    return this.redemption.scan(tenantId, validateInput(ScanCommandDto, input), eventIds);
  }

  @CommandHandler('ScansService', 'ScanBatch')
  scanBatch({ tenantId, input, eventIds }: TenantCommand) {
    return this.redemption.scanBatch(tenantId, validateInput(ScanBatchCommandDto, input), eventIds);
  }

  @CommandHandler('ScansService', 'UndoAdmission')
  undoAdmission({ tenantId, id, input, eventIds }: TenantCommand) {
    return this.undoing.undo(tenantId, id ?? '', validateInput(UndoAdmissionCommandDto, input), eventIds);
  }
}
