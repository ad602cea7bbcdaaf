import { CommandHandler, TenantCommand, RpcController } from '@passway/common';
import { EmailsService } from './emails.service';

@RpcController()
export class EmailsRpcController {
  constructor(private readonly emails: EmailsService) {}

  @CommandHandler('NotificationsService', 'ListPassEmails')
  listPassEmails({ tenantId, id }: TenantCommand) {
    return this.emails.listForPass(tenantId, id ?? '');
  }

  @CommandHandler('NotificationsService', 'ResendPassEmail')
  resendPassEmail({ tenantId, id }: TenantCommand) {
    return this.emails.resend(tenantId, id ?? '');
  }
}
