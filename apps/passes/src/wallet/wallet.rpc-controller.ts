import { GrpcMethod } from '@nestjs/microservices';
import { handleCommand, notFound, RpcCommand, RpcController, TenantCommand } from '@passway/common';
import { WalletPassesService, WalletPassLookup } from './wallet-passes.service';

/** `{ code }` (public link, checked by the gateway), `{ serial }` (a device, token checked by the gateway) or the tenant's pass id. */
function lookupOf({ tenantId, id, input, eventIds }: TenantCommand): WalletPassLookup {
  const { code, serial } = (input ?? {}) as { code?: unknown; serial?: unknown };
  if (typeof code === 'string') return { code };
  if (typeof serial === 'string') return { serial };
  if (!tenantId || typeof id !== 'string') throw notFound('Pass');
  return { tenantId, passId: id, scope: eventIds };
}

@RpcController()
export class WalletRpcController {
  constructor(private readonly wallet: WalletPassesService) {}

  @GrpcMethod('PassesService', 'GetApplePass')
  applePass(message: RpcCommand) {
    return handleCommand(message, (command) => this.wallet.applePass(lookupOf(command)));
  }

  @GrpcMethod('PassesService', 'GetGoogleSaveLink')
  googleSaveLink(message: RpcCommand) {
    return handleCommand(message, (command) => this.wallet.googleSaveLink(lookupOf(command)));
  }

  @GrpcMethod('PassesService', 'GetWalletPassInfo')
  info(message: RpcCommand) {
    return handleCommand(message, (command) => this.wallet.info(lookupOf(command)));
  }
}
