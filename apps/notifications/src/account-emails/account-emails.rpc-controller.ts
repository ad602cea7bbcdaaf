import { GrpcMethod } from '@nestjs/microservices';
import { handleCommand, RpcCommand, RpcController } from '@passway/common';
import { AccountEmailsService, SendAccountEmailInput } from './account-emails.service';

@RpcController()
export class AccountEmailsRpcController {
  constructor(private readonly emails: AccountEmailsService) {}

  @GrpcMethod('NotificationsService', 'SendAccountEmail')
  sendAccountEmail(message: RpcCommand) {
    return handleCommand(message, ({ input }) => this.emails.send(input as SendAccountEmailInput));
  }
}
