import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PassField, PassType } from '@passway/common';
import { ClientEntity } from '../../clients/entities/client.entity';

/** Stored statuses; `expired` is derived from validUntil when read. */
export type StoredPassStatus = 'active' | 'used' | 'revoked';

@Entity({ name: 'passes' })
@Index(['tenantId', 'createdAt'])
export class PassEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text', unique: true })
  code: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'text' })
  type: PassType;

  @Column({ type: 'text' })
  status: StoredPassStatus;

  @Column({ name: 'usages_count', type: 'int', default: 0 })
  usagesCount: number;

  /** The version of the scans service's counter that usagesCount reflects (bigint, read as a number). */
  @Column({
    name: 'tally_version',
    type: 'bigint',
    default: 0,
    transformer: { to: (value: number | undefined) => value, from: (value: string | null) => Number(value ?? 0) },
  })
  tallyVersion: number;

  @Column({ name: 'max_usages', type: 'int', nullable: true })
  maxUsages: number | null;

  @Column({ name: 'valid_from', type: 'timestamptz', nullable: true })
  validFrom: Date | null;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @Column({ name: 'custom_fields', type: 'jsonb', default: () => "'[]'::jsonb" })
  customFields: PassField[];

  @Column({ name: 'client_id', type: 'uuid', nullable: true })
  clientId: string | null;

  @ManyToOne(() => ClientEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'client_id' })
  client?: ClientEntity | null;

  @Column({ name: 'template_id', type: 'uuid', nullable: true })
  templateId: string | null;

  @Column({ name: 'location_id', type: 'uuid', nullable: true })
  locationId: string | null;

  @Column({ name: 'event_id', type: 'uuid', nullable: true })
  eventId: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
