import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { createHash, randomUUID } from 'node:crypto';
import { GATEWAY_CONFIG, GatewayConfig } from '../config';
import { REDIS } from '../redis/redis.module';

export interface StoredResponse {
  status: number;
  body: unknown;
}

/**
 * - pending: a request holds the key (since `claimedAt`);
 * - done: it succeeded; its response is kept, unless the response carried a secret (`withheld`);
 * - unknown: it ended without a clear outcome (5xx, deadline) and may have taken effect.
 */
type IdempotencyRecord =
  | { state: 'pending'; fingerprint: string; claim: string; claimedAt: number }
  | { state: 'done'; fingerprint: string; response?: StoredResponse; withheld?: true }
  | { state: 'unknown'; fingerprint: string };

export type Claim =
  | { outcome: 'claimed'; claim: string }
  | { outcome: 'replay'; response: StoredResponse }
  | { outcome: 'withheld' }
  | { outcome: 'in_flight' }
  | { outcome: 'outcome_unknown' }
  | { outcome: 'mismatch' };

/** Replaces the record only if it is still exactly what we read (compare and set). */
const SWAP_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3]) return 1 end return 0`;
const DELETE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

/**
 * Idempotency records in Redis, one per tenant and key, kept IDEMPOTENCY_TTL_SECONDS (24 h).
 * Only a clear refusal (4xx) frees a key; a 5xx or a deadline keeps it, because the command may have
 * committed (Stripe's semantics).
 */
@Injectable()
export class IdempotencyStore {
  private readonly pendingMs: number;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {
    // Longer than any request can run: a pending claim older than this belongs to a gateway that died mid-request.
    this.pendingMs = Math.max(30_000, 3 * config.RPC_DEADLINE_MS);
  }

  /** `rerunnable`: the route finds its first result when run again, so an unknown outcome may be taken over. */
  async claim(tenantId: string, key: string, fingerprint: string, rerunnable: boolean): Promise<Claim> {
    const redisKey = this.keyFor(tenantId, key);
    for (;;) {
      const claim = randomUUID();
      const pending = this.pendingRecord(fingerprint, claim);
      if ((await this.redis.set(redisKey, pending, 'EX', this.config.IDEMPOTENCY_TTL_SECONDS, 'NX')) === 'OK')
        return { outcome: 'claimed', claim };
      const existing = await this.redis.get(redisKey);
      if (!existing) continue; // expired in between
      const record = JSON.parse(existing) as IdempotencyRecord;
      if (record.fingerprint !== fingerprint) return { outcome: 'mismatch' };
      if (record.state === 'done') return record.withheld ? { outcome: 'withheld' } : { outcome: 'replay', response: record.response! };
      if (record.state === 'pending' && Date.now() - record.claimedAt < this.pendingMs) return { outcome: 'in_flight' };
      // Unknown, or pending from a gateway that died: the first attempt may have taken effect.
      if (!rerunnable) return { outcome: 'outcome_unknown' };
      if (await this.swap(redisKey, existing, pending)) return { outcome: 'claimed', claim };
    }
  }

  async complete(tenantId: string, key: string, fingerprint: string, response: StoredResponse, carriesSecret: boolean): Promise<void> {
    const record: IdempotencyRecord = carriesSecret
      ? { state: 'done', fingerprint, withheld: true }
      : { state: 'done', fingerprint, response };
    await this.redis.set(this.keyFor(tenantId, key), JSON.stringify(record), 'EX', this.config.IDEMPOTENCY_TTL_SECONDS);
  }

  /** A clear refusal (4xx) changed nothing: drop our claim so a corrected retry with the same key runs. */
  async release(tenantId: string, key: string, claim: string): Promise<void> {
    const existing = await this.ours(tenantId, key, claim);
    if (existing) await this.redis.eval(DELETE_SCRIPT, 1, this.keyFor(tenantId, key), existing);
  }

  /** No clear outcome (5xx, deadline): keep the key, remembering that the first attempt may have taken effect. */
  async markUnknown(tenantId: string, key: string, fingerprint: string, claim: string): Promise<void> {
    const existing = await this.ours(tenantId, key, claim);
    const unknown: IdempotencyRecord = { state: 'unknown', fingerprint };
    if (existing) await this.swap(this.keyFor(tenantId, key), existing, JSON.stringify(unknown));
  }

  private async ours(tenantId: string, key: string, claim: string): Promise<string | null> {
    const existing = await this.redis.get(this.keyFor(tenantId, key));
    if (!existing) return null;
    const record = JSON.parse(existing) as IdempotencyRecord;
    return record.state === 'pending' && record.claim === claim ? existing : null;
  }

  private async swap(redisKey: string, expected: string, next: string): Promise<boolean> {
    return (await this.redis.eval(SWAP_SCRIPT, 1, redisKey, expected, next, this.config.IDEMPOTENCY_TTL_SECONDS)) === 1;
  }

  private pendingRecord(fingerprint: string, claim: string): string {
    const record: IdempotencyRecord = { state: 'pending', fingerprint, claim, claimedAt: Date.now() };
    return JSON.stringify(record);
  }

  private keyFor(tenantId: string, key: string): string {
    return `passway:idem:${tenantId}:${createHash('sha256').update(key).digest('base64url')}`;
  }
}

/** Same method, path and JSON body (keys in any order) → same fingerprint. */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonicalJson(body ?? null)}`)
    .digest('base64url');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as { [k: string]: unknown })[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
