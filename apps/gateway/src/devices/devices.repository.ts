import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { DeviceEntity } from './entities/device.entity';

/** The queries behind door devices (gateway.devices). */
@Injectable()
export class DevicesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get devices(): Repository<DeviceEntity> {
    return this.dataSource.getRepository(DeviceEntity);
  }

  insert(device: {
    tenantId: string;
    name: string;
    eventIds: string[];
    pairingTokenHash: Buffer;
    pairingExpiresAt: Date;
    createdByKeyId: string | null;
  }): Promise<DeviceEntity> {
    return this.devices.save(this.devices.create(device));
  }

  /** The device; throws (TypeORM's EntityNotFoundError) when there is none. */
  get(id: string): Promise<DeviceEntity> {
    return this.devices.findOneByOrFail({ id });
  }

  findInTenant(id: string, tenantId: string): Promise<DeviceEntity | null> {
    return this.devices.findOneBy({ id, tenantId });
  }

  findByPairingToken(pairingTokenHash: Buffer): Promise<DeviceEntity | null> {
    return this.devices.findOneBy({ pairingTokenHash });
  }

  findByApiKey(apiKeyId: string): Promise<DeviceEntity | null> {
    return this.devices.findOneBy({ apiKeyId });
  }

  /** The tenant's devices, newest first. */
  listByTenant(tenantId: string): Promise<DeviceEntity[]> {
    return this.devices.find({ where: { tenantId }, order: { createdAt: 'DESC' } });
  }

  /**
   * Claims an unused, unexpired, unrevoked pairing link with one conditional UPDATE: of two phones
   * racing for it, one gets true.
   */
  async claimPairing(id: string, appVersion: string | null): Promise<boolean> {
    const [claimed]: [{ id: string }[], number] = await this.dataSource.query(
      `UPDATE gateway.devices SET paired_at = now(), last_seen_at = now(), app_version = $2
        WHERE id = $1 AND paired_at IS NULL AND revoked_at IS NULL AND pairing_expires_at > now() RETURNING id`,
      [id, appVersion],
    );
    return claimed.length > 0;
  }

  /** Undoes claimPairing: the link works again (within its lifetime). */
  async releasePairing(id: string): Promise<void> {
    await this.dataSource.query('UPDATE gateway.devices SET paired_at = NULL, last_seen_at = NULL WHERE id = $1', [id]);
  }

  async setApiKey(id: string, apiKeyId: string): Promise<void> {
    await this.devices.update({ id }, { apiKeyId });
  }

  async setRevoked(id: string, revokedAt: Date): Promise<void> {
    await this.devices.update({ id }, { revokedAt });
  }

  /** Whether the key with this hash belongs to a device, and the device or the key is revoked. */
  async isRevokedDeviceKey(keyHash: Buffer): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM gateway.devices d JOIN gateway.api_keys k ON k.id = d.api_key_id
        WHERE k.key_hash = $1 AND (d.revoked_at IS NOT NULL OR k.revoked_at IS NOT NULL)`,
      [keyHash],
    );
    return rows.length > 0;
  }

  /** The device holding this key was seen now, with this app version (null keeps the one recorded); a key that is no device's updates nothing. */
  async recordActivity(apiKeyId: string, appVersion: string | null): Promise<void> {
    await this.dataSource.query(
      'UPDATE gateway.devices SET last_seen_at = now(), app_version = coalesce($2, app_version) WHERE api_key_id = $1',
      [apiKeyId, appVersion],
    );
  }
}
