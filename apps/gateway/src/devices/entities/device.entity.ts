import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A door phone: a pairing link until it is redeemed, then the holder of one event-scoped scanner key. */
@Entity({ name: 'devices' })
export class DeviceEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'event_ids', type: 'uuid', array: true })
  eventIds: string[];

  /** SHA-256 of the pairing token; the token itself is only in the link. */
  @Column({ name: 'pairing_token_hash', type: 'bytea', unique: true })
  pairingTokenHash: Buffer;

  @Column({ name: 'pairing_expires_at', type: 'timestamptz' })
  pairingExpiresAt: Date;

  @Column({ name: 'paired_at', type: 'timestamptz', nullable: true })
  pairedAt: Date | null;

  /** The scanner key the device received when it paired. */
  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId: string | null;

  @Column({ name: 'created_by_key_id', type: 'uuid', nullable: true })
  createdByKeyId: string | null;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt: Date | null;

  @Column({ name: 'app_version', type: 'text', nullable: true })
  appVersion: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
