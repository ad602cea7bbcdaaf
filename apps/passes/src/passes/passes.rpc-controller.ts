import { GrpcMethod } from '@nestjs/microservices';
import {
  CreatePassDto, handleCommand, handlePublicCommand, invalidArgument, ListPassesQueryDto, notFound, PASS_CODE_PATTERN, RpcCommand, RpcController, UpdatePassDto, validateInput,
} from '@passway/common';
import { PassesService } from './passes.service';

@RpcController()
export class PassesRpcController {
  constructor(private readonly passes: PassesService) {}

  @GrpcMethod('PassesService', 'ListPasses')
  list(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input, eventIds }) => this.passes.list(tenantId, validateInput(ListPassesQueryDto, input ?? {}), eventIds));
  }

  @GrpcMethod('PassesService', 'CreatePass')
  create(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, input, eventIds }) => this.passes.create(tenantId, validateInput(CreatePassDto, input), id, eventIds));
  }

  @GrpcMethod('PassesService', 'GetPass')
  get(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, eventIds }) => this.passes.get(tenantId, id ?? '', eventIds));
  }

  @GrpcMethod('PassesService', 'GetPassByCode')
  getByCode(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => {
      const code = (input as { code?: unknown })?.code;
      if (typeof code !== 'string') throw invalidArgument('code is required');
      return this.passes.getByCode(tenantId, code);
    });
  }

  /** No tenant: the public pass page finds a pass by its code once the gateway has verified the signed link. */
  @GrpcMethod('PassesService', 'GetPublicPass')
  getPublic(message: RpcCommand) {
    return handlePublicCommand(message, ({ input }) => {
      const code = (input as { code?: unknown })?.code;
      if (typeof code !== 'string' || !PASS_CODE_PATTERN.test(code)) throw notFound('Pass');
      return this.passes.getPublic(code);
    });
  }

  @GrpcMethod('PassesService', 'UpdatePass')
  update(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, input, eventIds }) => this.passes.update(tenantId, id ?? '', validateInput(UpdatePassDto, input), eventIds));
  }

  @GrpcMethod('PassesService', 'ActivatePass')
  activate(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, eventIds }) => this.passes.changeStatus(tenantId, id ?? '', 'active', eventIds));
  }

  @GrpcMethod('PassesService', 'RevokePass')
  revoke(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, id, eventIds }) => this.passes.changeStatus(tenantId, id ?? '', 'revoked', eventIds));
  }
}
