import { CommandHandler, PublicCommand, PublicCommandHandler, RpcController, TenantCommand } from '@passway/common';
import { WalletRegistrationsService } from './wallet-registrations.service';

/** The PassKit web service's device side and Google object tracking; the gateway checked the pass's credential first. */
@RpcController()
export class WalletRpcController {
  constructor(private readonly registrations: WalletRegistrationsService) {}

  @CommandHandler('NotificationsService', 'RegisterWalletDevice')
  register({ tenantId, input }: TenantCommand) {
    return this.registrations.register(tenantId, input);
  }

  /** No tenant: a device names its registration by serial only. */
  @PublicCommandHandler('NotificationsService', 'UnregisterWalletDevice')
  unregister({ input }: PublicCommand) {
    return this.registrations.unregister(input);
  }

  @CommandHandler('NotificationsService', 'TrackGoogleWalletObject')
  trackGoogle({ tenantId, input }: TenantCommand) {
    return this.registrations.trackGoogleObject(tenantId, input);
  }

  /** No tenant: Apple sends no token here, the device library id is the secret. */
  @PublicCommandHandler('NotificationsService', 'ListUpdatedWalletPasses')
  updatedSince({ input }: PublicCommand) {
    return this.registrations.updatedSince(input);
  }
}
