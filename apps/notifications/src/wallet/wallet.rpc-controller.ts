import { GrpcMethod } from '@nestjs/microservices';
import { handleCommand, RpcCommand, RpcController } from '@passway/common';
import { DeviceRegistrationsInput, GoogleObjectInput, RegisterDeviceInput, WalletRegistrationsService } from './wallet-registrations.service';

@RpcController()
export class WalletRpcController {
  constructor(private readonly registrations: WalletRegistrationsService) {}

  @GrpcMethod('NotificationsService', 'RegisterWalletDevice')
  register(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => this.registrations.register(tenantId, input as RegisterDeviceInput));
  }

  @GrpcMethod('NotificationsService', 'UnregisterWalletDevice')
  unregister(message: RpcCommand) {
    return handleCommand(message, ({ input }) => this.registrations.unregister(input as RegisterDeviceInput));
  }

  @GrpcMethod('NotificationsService', 'TrackGoogleWalletObject')
  trackGoogle(message: RpcCommand) {
    return handleCommand(message, ({ tenantId, input }) => this.registrations.trackGoogleObject(tenantId, input as GoogleObjectInput));
  }

  @GrpcMethod('NotificationsService', 'ListUpdatedWalletPasses')
  updatedSince(message: RpcCommand) {
    return handleCommand(message, ({ input }) => this.registrations.updatedSince(input as DeviceRegistrationsInput));
  }
}
