import { PublicCommand, PublicCommandHandler, RpcController } from '@passway/common';

import { AccountEmailsService } from './account-emails.service';

@RpcController()
export class AccountEmailsRpcController {
  constructor(private readonly emails: AccountEmailsService) {}

  /** No tenant: a sign-up's verification email is sent before (or without) any organisation. */
  @PublicCommandHandler('NotificationsService', 'SendAccountEmail')
  sendAccountEmail({ input }: PublicCommand) {
    return this.emails.send(input);
  }
}
