import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { TenantEntity } from '../../tenants/entities/tenant.entity';

export const ROLES = ['admin', 'staff', 'scanner'] as const;
export type Role = (typeof ROLES)[number];

@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => TenantEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: TenantEntity;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  /** SHA-256 of the key; the key itself is never stored. */
  @Column({ name: 'key_hash', type: 'bytea', unique: true })
  keyHash: Buffer;

  /** The first characters of the key, to tell keys apart in lists. */
  @Column({ name: 'key_prefix', type: 'text' })
  keyPrefix: string;

  @Column({ type: 'text' })
  role: Role;

  /** The events this key may see and scan; null = all of the tenant's. */
  @Column({ name: 'event_ids', type: 'uuid', array: true, nullable: true })
  eventIds: string[] | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
