import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { hashApiKey, looksLikeApiKey, sameHash } from '../api-keys/api-key-secret';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { ApiKeyEntity } from '../api-keys/entities/api-key.entity';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { createRedis } from '../redis/redis.module';
import { Principal } from './principal';

/** Gateways tell each other about revoked keys here, so a revocation takes effect at once everywhere. */
export const API_KEY_REVOKED_CHANNEL = 'passway:api-keys:revoked';
/** A tenant's plan or suspension changed: every gateway drops its cached keys. */
export const TENANTS_CHANGED_CHANNEL = 'passway:tenants:changed';
const MAX_CACHED_KEYS = 10_000;
const NEGATIVE_TTL_MS = 5_000;

interface CacheEntry {
  keyHash: Buffer;
  principal: Principal | null;
  expiresAt: number;
}

/**
 * Resolves an API key to its principal. Keys are looked up by their SHA-256 and compared in
 * constant time; answers are cached in memory so a request costs no database round trip.
 */
@Injectable()
export class ApiKeyAuthenticator implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);
  private readonly cache = new Map<string, CacheEntry>();
  private subscriber: Redis | undefined;

  constructor(
    private readonly keys: ApiKeysRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    this.subscriber = createRedis(this.config.REDIS_URL, 'key-revocations', { subscriber: true });
    this.subscriber.on('message', (channel, message: string) =>
      channel === TENANTS_CHANGED_CHANNEL ? this.cache.clear() : this.evict(message),
    );
    this.subscriber.subscribe(API_KEY_REVOKED_CHANNEL, TENANTS_CHANGED_CHANNEL).catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`cannot subscribe to key revocations (${reason}); cache TTL bounds staleness`);
    });
  }

  onModuleDestroy(): void {
    this.subscriber?.disconnect();
  }

  /** The key's principal when this gateway holds a current answer for it (no I/O); undefined otherwise. */
  cachedPrincipal(rawKey: string): Principal | undefined {
    if (!looksLikeApiKey(rawKey)) return undefined;
    const keyHash = hashApiKey(rawKey);
    const cached = this.cache.get(keyHash.toString('hex'));
    if (cached?.principal && cached.expiresAt > Date.now() && sameHash(cached.keyHash, keyHash)) return cached.principal;
    return undefined;
  }

  async authenticate(rawKey: string): Promise<Principal | null> {
    if (!looksLikeApiKey(rawKey)) return null;
    const keyHash = hashApiKey(rawKey);
    const hashHex = keyHash.toString('hex');
    const cached = this.cache.get(hashHex);
    if (cached && cached.expiresAt > Date.now() && sameHash(cached.keyHash, keyHash)) return cached.principal;

    const key = await this.keys.findActiveByHash(keyHash);
    const principal = key && key.tenant && sameHash(key.keyHash, keyHash) ? toPrincipal(key) : null;
    this.remember(hashHex, keyHash, principal);
    return principal;
  }

  evict(hashHex: string): void {
    this.cache.delete(hashHex);
  }

  private remember(hashHex: string, keyHash: Buffer, principal: Principal | null): void {
    if (this.cache.size >= MAX_CACHED_KEYS) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    const ttl = principal ? this.config.API_KEY_CACHE_TTL_MS : Math.min(NEGATIVE_TTL_MS, this.config.API_KEY_CACHE_TTL_MS);
    this.cache.set(hashHex, { keyHash, principal, expiresAt: Date.now() + ttl });
  }
}

function toPrincipal(key: ApiKeyEntity): Principal {
  const tenant = key.tenant!;
  return {
    keyId: key.id,
    rateKey: key.id,
    actor: { type: 'api_key', id: key.id, label: key.name ? `key ${key.name} (${key.keyPrefix})` : `key ${key.keyPrefix}` },
    role: key.role,
    eventIds: key.eventIds,
    tenant: {
      id: tenant.id,
      name: tenant.name,
      slug: tenant.slug,
      plan: tenant.plan,
      rateLimitPerMinute: tenant.rateLimitPerMinute,
      suspended: tenant.suspendedAt !== null,
    },
  };
}
