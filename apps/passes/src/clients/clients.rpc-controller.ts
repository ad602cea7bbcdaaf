import { CreateClientDto, CommandHandler, ListClientsQueryDto, TenantCommand, RpcController, validateInput } from '@passway/common';
import { ClientsService } from './clients.service';

@RpcController()
export class ClientsRpcController {
  constructor(private readonly clients: ClientsService) {}

  @CommandHandler('PassesService', 'ListClients', 'tenant-wide')
  list({ tenantId, input }: TenantCommand) {
    return this.clients.list(tenantId, validateInput(ListClientsQueryDto, input ?? {}));
  }

  @CommandHandler('PassesService', 'CreateClient', 'tenant-wide')
  create({ tenantId, input }: TenantCommand) {
    return this.clients.create(tenantId, validateInput(CreateClientDto, input));
  }

  @CommandHandler('PassesService', 'GetClient', 'tenant-wide')
  get({ tenantId, id }: TenantCommand) {
    return this.clients.get(tenantId, id ?? '');
  }
}
