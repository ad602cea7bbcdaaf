import { AdmissionFeedQueryDto, CommandHandler, RpcController, TenantCommand, validateInput } from '@passway/common';
import { AdmissionFeedService } from './admission-feed.service';

@RpcController()
export class AdmissionFeedRpcController {
  constructor(private readonly feed: AdmissionFeedService) {}

  @CommandHandler('ScansService', 'ListAdmissions')
  listAdmissions({ tenantId, id, input, eventIds }: TenantCommand) {
    return this.feed.page(tenantId, id ?? '', validateInput(AdmissionFeedQueryDto, input ?? {}), eventIds);
  }
}
