import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from '../redis/redis.module';
import { API_KEY_REVOKED_CHANNEL, ApiKeyAuthenticator } from './api-key-authenticator';

/** Drops a revoked key from this gateway's cache and tells every other gateway to do the same. */
@Injectable()
export class KeyRevocations {
  constructor(
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async broadcast(keyHash: Buffer): Promise<void> {
    const hashHex = keyHash.toString('hex');
    this.authenticator.evict(hashHex);
    await this.redis.publish(API_KEY_REVOKED_CHANNEL, hashHex).catch(() => undefined); // the cache TTL covers a lost message
  }
}
