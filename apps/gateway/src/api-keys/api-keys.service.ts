import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { invalidArgument, isUuid, notFound } from '@passway/common';

const MAX_SCOPED_EVENTS = 100;
import { DataSource, EntityManager } from 'typeorm';
import { TenantEntity } from '../tenants/entities/tenant.entity';
import { displayPrefix, generateApiKey, hashApiKey } from './api-key-secret';
import { ApiKeyEntity, Role, ROLES } from './entities/api-key.entity';

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
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async issue(
    tenantId: string, role: Role = 'admin', name: string | null = null, eventIds: string[] | null = null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IssuedApiKey> {
    if (!ROLES.includes(role)) throw invalidArgument(`role must be one of ${ROLES.join(', ')}`);
    if (eventIds !== null && (eventIds.length === 0 || eventIds.length > MAX_SCOPED_EVENTS || !eventIds.every(isUuid))) {
      throw invalidArgument(`events must be 1 to ${MAX_SCOPED_EVENTS} event ids`, 'invalid_event_scope');
    }
    const tenantExists = isUuid(tenantId) && (await manager.getRepository(TenantEntity).existsBy({ id: tenantId }));
    if (!tenantExists) throw notFound('Tenant');
    const apiKey = generateApiKey();
    const repository = manager.getRepository(ApiKeyEntity);
    const saved = await repository.save(
      repository.create({ tenantId, role, name, eventIds: eventIds ? [...new Set(eventIds)] : null, keyHash: hashApiKey(apiKey), keyPrefix: displayPrefix(apiKey) }),
    );
    return { ...toSummary(saved), tenantId, apiKey };
  }

  async list(tenantId: string): Promise<ApiKeySummary[]> {
    const keys = await this.dataSource.getRepository(ApiKeyEntity).find({ where: { tenantId }, order: { createdAt: 'DESC' } });
    return keys.map(toSummary);
  }

  /** Revokes a key; returns its hash so callers can evict it from every gateway's cache. */
  async revoke(keyId: string, tenantId?: string): Promise<{ summary: ApiKeySummary; keyHash: Buffer }> {
    const repository = this.dataSource.getRepository(ApiKeyEntity);
    const key = isUuid(keyId) ? await repository.findOneBy(tenantId ? { id: keyId, tenantId } : { id: keyId }) : null;
    if (!key) throw notFound('API key');
    if (!key.revokedAt) {
      key.revokedAt = new Date();
      await repository.save(key);
    }
    return { summary: toSummary(key), keyHash: key.keyHash };
  }
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
