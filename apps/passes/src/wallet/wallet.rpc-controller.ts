import {
  ApplePassFile,
  CommandHandler,
  GoogleSaveLinkResult,
  notFound,
  PublicCommand,
  PublicCommandHandler,
  RpcController,
  TenantCommand,
  WalletPassInfo,
} from '@passway/common';
import { WalletPassesService, WalletPassLookup } from './wallet-passes.service';

/** `{ code }` (a holder's link) or `{ serial }` (a device): both checked by the gateway before the call. */
function publicLookupOf({ input }: PublicCommand): WalletPassLookup {
  const { code, serial } = (input ?? {}) as { code?: unknown; serial?: unknown };
  if (typeof code === 'string') return { code };
  if (typeof serial === 'string') return { serial };
  throw notFound('Pass');
}

@RpcController()
export class WalletRpcController {
  constructor(private readonly wallet: WalletPassesService) {}

  @CommandHandler('PassesService', 'GetApplePass')
  applePass({ tenantId, id, eventIds }: TenantCommand): Promise<ApplePassFile> {
    return this.wallet.applePass({ tenantId, passId: id ?? '', scope: eventIds });
  }

  @CommandHandler('PassesService', 'GetGoogleSaveLink')
  googleSaveLink({ tenantId, id, eventIds }: TenantCommand): Promise<GoogleSaveLinkResult> {
    return this.wallet.googleSaveLink({ tenantId, passId: id ?? '', scope: eventIds });
  }

  /** No tenant: the holder's signed link or the device's ApplePass token was verified by the gateway. */
  @PublicCommandHandler('PassesService', 'GetPublicApplePass')
  publicApplePass(command: PublicCommand): Promise<ApplePassFile> {
    return this.wallet.applePass(publicLookupOf(command));
  }

  @PublicCommandHandler('PassesService', 'GetPublicGoogleSaveLink')
  publicGoogleSaveLink({ input }: PublicCommand): Promise<GoogleSaveLinkResult> {
    const code = (input as { code?: unknown } | undefined)?.code;
    if (typeof code !== 'string') throw notFound('Pass');
    return this.wallet.googleSaveLink({ code });
  }

  @PublicCommandHandler('PassesService', 'GetWalletPassInfo')
  info({ input }: PublicCommand): Promise<WalletPassInfo> {
    const serial = (input as { serial?: unknown } | undefined)?.serial;
    if (typeof serial !== 'string') throw notFound('Pass');
    return this.wallet.info({ serial });
  }
}
