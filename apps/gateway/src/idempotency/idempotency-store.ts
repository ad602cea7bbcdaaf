import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { REDIS } from '../redis/redis.module';

export interface StoredResponse {
  status: number;
  body: unknown;
}

type Record =
  | { state: 'pending'; fingerprint: string; claim: string }
  | { state: 'done'; fingerprint: string; response: StoredResponse };

export type Claim =
  | { outcome: 'claimed'; claim: string }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'in_flight' }
  | { outcome: 'mismatch' };

/** Idempotency records in Redis, one per tenant and key: first a short "pending" claim, then the response for 24 h. */
@Injectable()
export class IdempotencyStore {
  private readonly pendingTtlSeconds: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    // Long enough for the slowest command to finish; short enough that a crashed gateway's claim frees itself.
    this.pendingTtlSeconds = Math.max(30, Math.ceil((3 * config.RPC_DEADLINE_MS) / 1000));
  }

  async claim(tenantId: string, key: string, fingerprint: string): Promise<Claim> {
    const redisKey = this.keyFor(tenantId, key);
    const claim = randomUUID();
    const pending: Record = { state: 'pending', fingerprint, claim };
    const created = await this.redis.set(redisKey, JSON.stringify(pending), 'EX', this.pendingTtlSeconds, 'NX');
    if (created === 'OK') return { outcome: 'claimed', claim };
    const existing = await this.redis.get(redisKey);
    if (!existing) return this.claim(tenantId, key, fingerprint); // expired in between: try again
    const record = JSON.parse(existing) as Record;
    if (record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
    return record.state === 'done' ? { outcome: 'replay', response: record.response } : { outcome: 'in_flight' };
  }

  async complete(tenantId: string, key: string, fingerprint: string, response: StoredResponse): Promise<void> {
    const record: Record = { state: 'done', fingerprint, response };
    await this.redis.set(this.keyFor(tenantId, key), JSON.stringify(record), 'EX', this.config.IDEMPOTENCY_TTL_SECONDS);
  }

  /** Drops our pending claim (the request failed, so a retry with the same key may run it again). */
  async release(tenantId: string, key: string, claim: string): Promise<void> {
    const redisKey = this.keyFor(tenantId, key);
    const existing = await this.redis.get(redisKey);
    if (existing && (JSON.parse(existing) as Record & { claim?: string }).claim === claim) await this.redis.del(redisKey);
  }

  private keyFor(tenantId: string, key: string): string {
    return `passway:idem:${tenantId}:${createHash('sha256').update(key).digest('base64url')}`;
  }
}

/** Same method, path and JSON body (keys in any order) → same fingerprint. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${path}\n${canonicalJson(body ?? null)}`).digest('base64url');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as { [k: string]: unknown })[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
