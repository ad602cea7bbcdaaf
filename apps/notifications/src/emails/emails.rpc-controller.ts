import { GrpcMethod } from '@nestjs/microservices';
import { handleCommand, RpcCommand, RpcController } from '@passway/common';
import { EmailsService } from './emails.service';

@RpcController()
export class EmailsRpcController {
  constructor(private readonly emails: EmailsService) {}

  @GrpcMethod('NotificationsService', 'ListPassEmails')
  listPassEmails(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id }) => this.emails.listForPass(tenantId, id ?? ''));
  }
}
