import { Injectable } from '@nestjs/common';
import { DomainError, forbidden, invalidArgument, isUuid, notFound } from '@passway/common';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeyEntity, Role, ROLES } from './entities/api-key.entity';

const MAX_SCOPED_EVENTS = 100;
/** Active (unrevoked) keys a tenant may hold: enough for every door and integration, too few to hide a leak in. */
export const MAX_ACTIVE_KEYS_PER_TENANT = 100;

/** The events a caller's own key is scoped to; null = every event (an unscoped key, or the CLI). */
export type CallerScope = readonly string[] | null;

export interface IssuedApiKey {
  id: string;
  tenantId: string;
  name: string | null;
  role: Role;
  prefix: string;
  eventIds: string[] | null;
  createdAt: string;
  /** Shown once, at creation. */
  apiKey: string;
}

export interface ApiKeySummary {
  id: string;
  name: string | null;
  role: Role;
  prefix: string;
  /** The events the key is scoped to; null = every event. */
  eventIds: string[] | null;
  createdAt: string;
  revokedAt: string | null;
}

@Injectable()
export class ApiKeysService {
  constructor(private readonly repository: ApiKeysRepository) {}

  /**
   * A new key. `callerScope` is the scope of the key asking for it: an event-scoped caller may only
   * hand out keys scoped to some of its own events, never a wider key.
   */
  async issue(
    tenantId: string,
    role: Role = 'admin',
    name: string | null = null,
    eventIds: string[] | null = null,
    callerScope: CallerScope = null,
  ): Promise<IssuedApiKey> {
    if (!ROLES.includes(role)) throw invalidArgument(`role must be one of ${ROLES.join(', ')}`);
    if (eventIds !== null && (eventIds.length === 0 || eventIds.length > MAX_SCOPED_EVENTS || !eventIds.every(isUuid))) {
      throw invalidArgument(`events must be 1 to ${MAX_SCOPED_EVENTS} event ids`, 'invalid_event_scope');
    }
    assertWithinCallerScope(callerScope, eventIds);
    if (!isUuid(tenantId)) throw notFound('Tenant');
    const apiKey = generateApiKey();
    const saved = await this.repository.transaction(async (manager) => {
      // The tenant row lock serialises concurrent creations, so the cap holds under a race.
      if (!(await this.repository.lockTenant(manager, tenantId))) throw notFound('Tenant');
      const n = await this.repository.countActive(manager, tenantId);
      if (n >= MAX_ACTIVE_KEYS_PER_TENANT) {
        throw new DomainError(
          'forbidden',
          `This tenant already has ${MAX_ACTIVE_KEYS_PER_TENANT} active API keys; revoke one before creating another`,
          'api_key_quota',
        );
      }
      return this.repository.insert(manager, {
        tenantId,
        role,
        name,
        eventIds: eventIds ? [...new Set(eventIds)] : null,
        keyHash: hashApiKey(apiKey),
        keyPrefix: displayPrefix(apiKey),
      });
    });
    return { ...toSummary(saved), tenantId, apiKey };
  }

  /** The tenant's keys; an event-scoped caller sees only the keys within its own scope. */
  async list(tenantId: string, callerScope: CallerScope = null): Promise<ApiKeySummary[]> {
    const keys = await this.repository.listByTenant(tenantId);
    return keys.filter((key) => withinScope(callerScope, key.eventIds)).map(toSummary);
  }

  /** Revokes a key; returns its hash so callers can evict it from every gateway's cache. */
  async revoke(keyId: string, tenantId?: string, callerScope: CallerScope = null): Promise<{ summary: ApiKeySummary; keyHash: Buffer }> {
    const key = isUuid(keyId) ? await this.repository.find(keyId, tenantId) : null;
    if (!key || !withinScope(callerScope, key.eventIds)) throw notFound('API key');
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await this.repository.save(key);
    }
    return { summary: toSummary(key), keyHash: key.keyHash };
  }
}

/** Whether a key scoped to `eventIds` (null = every event) lies within the caller's scope. */
function withinScope(callerScope: CallerScope, eventIds: readonly string[] | null): boolean {
  if (callerScope === null) return true;
  return eventIds !== null && eventIds.every((id) => callerScope.includes(id));
}

function assertWithinCallerScope(callerScope: CallerScope, eventIds: readonly string[] | null): void {
  if (withinScope(callerScope, eventIds)) return;
  throw forbidden(
    eventIds === null
      ? 'An event-scoped key may only create keys scoped to its own events: give "events", some of this key\'s events'
      : 'An event-scoped key may only create keys scoped to its own events: "events" names an event outside this key\'s scope',
    'event_scoped_key',
  );
}

function toSummary(key: ApiKeyEntity): ApiKeySummary {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.keyPrefix,
    eventIds: key.eventIds,
    createdAt: key.createdAt.toISOString(),
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
  };
}
