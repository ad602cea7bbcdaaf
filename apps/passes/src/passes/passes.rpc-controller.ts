import {
  CreatePassDto,
  CommandHandler,
  invalidArgument,
  ListPassesQueryDto,
  notFound,
  PASS_CODE_PATTERN,
  PublicCommand,
  PublicCommandHandler,
  RpcController,
  TenantCommand,
  UpdatePassDto,
  validateInput,
} from '@passway/common';
import { PassesService } from './passes.service';

@RpcController()
export class PassesRpcController {
  constructor(private readonly passes: PassesService) {}

  @CommandHandler('PassesService', 'ListPasses')
  list({ tenantId, input, eventIds }: TenantCommand) {
    return this.passes.list(tenantId, validateInput(ListPassesQueryDto, input ?? {}), eventIds);
  }

  @CommandHandler('PassesService', 'CreatePass')
  create({ tenantId, id, input, eventIds }: TenantCommand) {
    return this.passes.create(tenantId, validateInput(CreatePassDto, input), id, eventIds);
  }

  @CommandHandler('PassesService', 'GetPass')
  get({ tenantId, id, eventIds }: TenantCommand) {
    return this.passes.get(tenantId, id ?? '', eventIds);
  }

  @CommandHandler('PassesService', 'GetPassByCode')
  getByCode({ tenantId, input }: TenantCommand) {
    const code = (input as { code?: unknown })?.code;
    if (typeof code !== 'string') throw invalidArgument('code is required');
    return this.passes.getByCode(tenantId, code);
  }

  /** No tenant: the public pass page finds a pass by its code once the gateway has verified the signed link. */
  @PublicCommandHandler('PassesService', 'GetPublicPass')
  getPublic({ input }: PublicCommand) {
    const code = (input as { code?: unknown })?.code;
    if (typeof code !== 'string' || !PASS_CODE_PATTERN.test(code)) throw notFound('Pass');
    return this.passes.getPublic(code);
  }

  /** The holder portal: the gateway has checked the holder's one-time email link. */
  @CommandHandler('PassesService', 'ListHolderPasses')
  listForHolder({ tenantId, input }: TenantCommand) {
    const email = (input as { email?: unknown })?.email;
    if (typeof email !== 'string' || email.length > 320 || !email.includes('@')) throw invalidArgument('email is required');
    return this.passes.listForHolder(tenantId, email);
  }

  @CommandHandler('PassesService', 'UpdatePass')
  update({ tenantId, id, input, eventIds }: TenantCommand) {
    return this.passes.update(tenantId, id ?? '', validateInput(UpdatePassDto, input), eventIds);
  }

  @CommandHandler('PassesService', 'ActivatePass')
  activate({ tenantId, id, eventIds }: TenantCommand) {
    return this.passes.changeStatus(tenantId, id ?? '', 'active', eventIds);
  }

  @CommandHandler('PassesService', 'RevokePass')
  revoke({ tenantId, id, eventIds }: TenantCommand) {
    return this.passes.changeStatus(tenantId, id ?? '', 'revoked', eventIds);
  }
}
