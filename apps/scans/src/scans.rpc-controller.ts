import { GrpcMethod } from '@nestjs/microservices';
import {
  handleCommand, ListPassScansQueryDto, ListScansQueryDto, RpcCommand, RpcController, ScanBatchCommandDto, ScanCommandDto, validateInput,
} from '@passway/common';
import { ProjectionRefresh } from './admissions/projection-refresh';
import { ScanHistoryService } from './history/scan-history.service';
import { RedemptionService } from './redemption/redemption.service';

@RpcController()
export class ScansRpcController {
  constructor(
    private readonly redemption: RedemptionService,
    private readonly history: ScanHistoryService,
    private readonly refresh: ProjectionRefresh,
  ) {}

  @GrpcMethod('ScansService', 'Scan')
  scan(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input, eventIds }) => this.redemption.scan(tenantId, validateInput(ScanCommandDto, input), eventIds));
  }

  @GrpcMethod('ScansService', 'ScanBatch')
  scanBatch(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input, eventIds }) => this.redemption.scanBatch(tenantId, validateInput(ScanBatchCommandDto, input), eventIds));
  }

  /** From the passes service, right after a pass changed status: re-read it into the projection. */
  @GrpcMethod('ScansService', 'RefreshPass')
  refreshPass(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.refresh.pass(tenantId, id ?? ''));
  }

  /** From the passes service, right after an event was suspended or resumed. */
  @GrpcMethod('ScansService', 'RefreshEvent')
  refreshEvent(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.refresh.event(tenantId, id ?? ''));
  }

  @GrpcMethod('ScansService', 'ListPassScans')
  listForPass(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, input, eventIds }) =>
      this.history.listForPass(tenantId, id ?? '', validateInput(ListPassScansQueryDto, input ?? {}), eventIds),
    );
  }

  @GrpcMethod('ScansService', 'EventScanStats')
  eventStats(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, eventIds }) => this.history.eventStats(tenantId, id ?? '', eventIds));
  }

  @GrpcMethod('ScansService', 'ListScans')
  list(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input, eventIds }) => this.history.list(tenantId, validateInput(ListScansQueryDto, input ?? {}), eventIds));
  }
}
