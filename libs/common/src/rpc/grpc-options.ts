import { GrpcOptions, Transport } from '@nestjs/microservices';
import { join } from 'node:path';

export const PROTO_PACKAGES = ['passway.v1', 'grpc.health.v1'];
export const PROTO_PATHS = [join(__dirname, 'protos', 'passway.proto'), join(__dirname, 'protos', 'health.proto')];

const LOADER = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/** `host:port` of a service → the address a gRPC server binds. */
export function bindAddress(url: string): string {
  const port = url.split(':').pop();
  return `0.0.0.0:${port}`;
}

export function grpcServerOptions(url: string): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: PROTO_PACKAGES,
      protoPath: PROTO_PATHS,
      url: bindAddress(url),
      loader: LOADER,
      gracefulShutdown: true,
      channelOptions: {
        // Clients re-resolve a headless Service only when a connection ends; ageing connections out
        // makes gateways find replicas added by a scale-up within minutes.
        'grpc.max_connection_age_ms': 5 * 60_000,
        'grpc.max_connection_age_grace_ms': 30_000,
      },
    },
  };
}

/**
 * `dns:///` plus round_robin spreads calls over every address a headless Kubernetes Service
 * resolves to, so each request may reach another replica (one TCP connection would pin one).
 */
export function grpcClientOptions(url: string): GrpcOptions {
  return {
    transport: Transport.GRPC,
    options: {
      package: PROTO_PACKAGES,
      protoPath: PROTO_PATHS,
      url: url.includes('://') ? url : `dns:///${url}`,
      loader: LOADER,
      channelOptions: {
        'grpc.service_config': JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] }),
        'grpc.keepalive_time_ms': 30_000,
        'grpc.keepalive_timeout_ms': 5_000,
        'grpc.initial_reconnect_backoff_ms': 200,
        'grpc.max_reconnect_backoff_ms': 2_000,
        // A full admissions page (5,000 passes, names of up to 200 four-byte characters) can pass
        // gRPC's default 4 MB; 16 MB bounds it with room.
        'grpc.max_receive_message_length': 16 * 1024 * 1024,
      },
    },
  };
}
