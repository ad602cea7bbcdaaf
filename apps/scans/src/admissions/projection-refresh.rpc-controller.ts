import { CommandHandler, RpcController, TenantCommand } from '@passway/common';
import { ProjectionRefresh } from './projection-refresh';

@RpcController()
export class ProjectionRefreshRpcController {
  constructor(private readonly refresh: ProjectionRefresh) {}

  /** From the passes service, right after a pass changed status: re-read it into the projection. */
  @CommandHandler('ScansService', 'RefreshPass')
  refreshPass({ tenantId, id }: TenantCommand) {
    return this.refresh.pass(tenantId, id ?? '');
  }

  /** From the passes service, right after an event was suspended or resumed. */
  @CommandHandler('ScansService', 'RefreshEvent')
  refreshEvent({ tenantId, id }: TenantCommand) {
    return this.refresh.event(tenantId, id ?? '');
  }
}
