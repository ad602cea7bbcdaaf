import { CommandHandler, RpcController, TenantCommand, TriggersQueryDto, validateInput } from '@passway/common';
import { TriggersService } from './triggers.service';

@RpcController()
export class TriggersRpcController {
  constructor(private readonly triggers: TriggersService) {}

  @CommandHandler('WebhooksService', 'PollTriggers', 'tenant-wide')
  poll({ tenantId, input }: TenantCommand) {
    return this.triggers.poll(tenantId, validateInput(TriggersQueryDto, input));
  }
}
