import { CommandHandler, RpcController, TenantCommand } from '@passway/common';
import { AccountEmailsService } from './account-emails.service';

@RpcController()
export class AccountEmailsRpcController {
  constructor(private readonly emails: AccountEmailsService) {}

  @CommandHandler('NotificationsService', 'SendAccountEmail')
  sendAccountEmail({ input }: TenantCommand) {
    return this.emails.send(input);
  }
}
