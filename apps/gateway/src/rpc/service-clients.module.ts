import { Global, Module } from '@nestjs/common';
import { ClientGrpc, ClientsModule } from '@nestjs/microservices';
import { grpcClientOptions, ServiceClient, ServiceName, serviceTokensOf } from '@passway/common';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';

const PASSES_GRPC = 'PASSES_GRPC';
const SCANS_GRPC = 'SCANS_GRPC';
const WEBHOOKS_GRPC = 'WEBHOOKS_GRPC';
const NOTIFICATIONS_GRPC = 'NOTIFICATIONS_GRPC';

export class PassesClient extends ServiceClient<'PassesService'> {}
export class ScansClient extends ServiceClient<'ScansService'> {}
export class WebhooksClient extends ServiceClient<'WebhooksService'> {}
export class NotificationsClient extends ServiceClient<'NotificationsService'> {}

/** Health clients talk grpc.health.v1 to each service; `GET /health` asks them all. */
export const SERVICE_HEALTH = Symbol('SERVICE_HEALTH');
export type ServiceHealthClients = Record<string, ClientGrpc>;

const grpcClient = (name: string, urlSetting: keyof GatewayConfig) => ({
  name,
  inject: [GATEWAY_CONFIG],
  useFactory: (config: GatewayConfig) => grpcClientOptions(String(config[urlSetting])),
});

const serviceClient = <S extends ServiceName>(
  type: new (...args: ConstructorParameters<typeof ServiceClient<S>>) => ServiceClient<S>,
  token: string,
  label: string,
  service: S,
) => ({
  provide: type,
  inject: [token, GATEWAY_CONFIG],
  useFactory: (grpc: ClientGrpc, config: GatewayConfig) => new type(label, grpc, service, serviceTokensOf(config), config.RPC_DEADLINE_MS),
});

@Global()
@Module({
  imports: [
    ClientsModule.registerAsync([
      grpcClient(PASSES_GRPC, 'PASSES_GRPC_URL'),
      grpcClient(SCANS_GRPC, 'SCANS_GRPC_URL'),
      grpcClient(WEBHOOKS_GRPC, 'WEBHOOKS_GRPC_URL'),
      grpcClient(NOTIFICATIONS_GRPC, 'NOTIFICATIONS_GRPC_URL'),
    ]),
  ],
  providers: [
    serviceClient(PassesClient, PASSES_GRPC, 'passes', 'PassesService'),
    serviceClient(ScansClient, SCANS_GRPC, 'scans', 'ScansService'),
    serviceClient(WebhooksClient, WEBHOOKS_GRPC, 'webhooks', 'WebhooksService'),
    serviceClient(NotificationsClient, NOTIFICATIONS_GRPC, 'notifications', 'NotificationsService'),
    {
      provide: SERVICE_HEALTH,
      inject: [PASSES_GRPC, SCANS_GRPC, WEBHOOKS_GRPC, NOTIFICATIONS_GRPC],
      useFactory: (passes: ClientGrpc, scans: ClientGrpc, webhooks: ClientGrpc, notifications: ClientGrpc): ServiceHealthClients => ({
        passes,
        scans,
        webhooks,
        notifications,
      }),
    },
  ],
  exports: [PassesClient, ScansClient, WebhooksClient, NotificationsClient, SERVICE_HEALTH],
})
export class ServiceClientsModule {}
