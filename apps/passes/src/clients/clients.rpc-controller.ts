import { GrpcMethod } from '@nestjs/microservices';
import { CreateClientDto, handleTenantWideCommand, ListClientsQueryDto, RpcCommand, RpcController, validateInput } from '@passway/common';
import { ClientsService } from './clients.service';

@RpcController()
export class ClientsRpcController {
  constructor(private readonly clients: ClientsService) {}

  @GrpcMethod('PassesService', 'ListClients')
  list(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, input }) => this.clients.list(tenantId, validateInput(ListClientsQueryDto, input ?? {})));
  }

  @GrpcMethod('PassesService', 'CreateClient')
  create(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, input }) => this.clients.create(tenantId, validateInput(CreateClientDto, input)));
  }

  @GrpcMethod('PassesService', 'GetClient')
  get(message: RpcCommand) {
    return handleTenantWideCommand(message, ({ tenantId, id }) => this.clients.get(tenantId, id ?? ''));
  }
}
