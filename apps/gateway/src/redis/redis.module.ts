import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';

export const REDIS = Symbol('REDIS');

/** One Redis connection for commands. It never queues while Redis is down: callers fail fast and fail open. */
export function createRedis(url: string, name: string, { subscriber = false } = {}): Redis {
  const logger = new Logger(`redis:${name}`);
  const client = new Redis(url, {
    maxRetriesPerRequest: subscriber ? null : 1,
    // A subscriber's SUBSCRIBE must wait for the connection (and is replayed on reconnect).
    enableOfflineQueue: subscriber,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let reported = false;
  client.on('error', (error) => {
    if (!reported) logger.warn(`redis unavailable: ${error.message}`);
    reported = true;
  });
  client.on('ready', () => {
    if (reported) logger.log('redis connection restored');
    reported = false;
  });
  return client;
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [GATEWAY_CONFIG], useFactory: (config: GatewayConfig) => createRedis(config.REDIS_URL, 'gateway') },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
