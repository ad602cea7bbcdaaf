import { Injectable } from '@nestjs/common';
import { DatabaseRepository } from '@passway/common';
import { EntityManager, IsNull, Repository } from 'typeorm';
import { ApiKeyEntity, Role } from './entities/api-key.entity';

/** The queries behind API keys (gateway.api_keys). */
@Injectable()
export class ApiKeysRepository extends DatabaseRepository {
  private get keys(): Repository<ApiKeyEntity> {
    return this.dataSource.getRepository(ApiKeyEntity);
  }

  /** Locks the tenant's row for the rest of the transaction; false when there is no such tenant. */
  async lockTenant(manager: EntityManager, tenantId: string): Promise<boolean> {
    const [tenant] = await manager.query<{ id: string }[]>('SELECT id FROM gateway.tenants WHERE id = $1 FOR UPDATE', [tenantId]);
    return tenant !== undefined;
  }

  async countActive(manager: EntityManager, tenantId: string): Promise<number> {
    const [{ n }] = await manager.query<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM gateway.api_keys WHERE tenant_id = $1 AND revoked_at IS NULL',
      [tenantId],
    );
    return n;
  }

  insert(
    manager: EntityManager,
    key: { tenantId: string; role: Role; name: string | null; eventIds: string[] | null; keyHash: Buffer; keyPrefix: string },
  ): Promise<ApiKeyEntity> {
    const repository = manager.getRepository(ApiKeyEntity);
    return repository.save(repository.create(key));
  }

  /** The tenant's keys, newest first. */
  listByTenant(tenantId: string): Promise<ApiKeyEntity[]> {
    return this.keys.find({ where: { tenantId }, order: { createdAt: 'DESC' } });
  }

  /** The key, within the tenant when one is given. */
  find(keyId: string, tenantId?: string): Promise<ApiKeyEntity | null> {
    return this.keys.findOneBy(tenantId ? { id: keyId, tenantId } : { id: keyId });
  }

  save(key: ApiKeyEntity): Promise<ApiKeyEntity> {
    return this.keys.save(key);
  }

  /** The unrevoked key with this hash, with its tenant. */
  findActiveByHash(keyHash: Buffer): Promise<ApiKeyEntity | null> {
    return this.keys.findOne({ where: { keyHash, revokedAt: IsNull() }, relations: { tenant: true } });
  }
}
