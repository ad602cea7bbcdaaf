import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const EMAIL_KINDS = ['pass_issued', 'pass_revoked'] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
export type EmailStatus = 'queued' | 'sent' | 'failed' | 'logged';

@Entity({ name: 'emails' })
export class EmailEntity {
  /** Also the BullMQ job id and the Resend Idempotency-Key: one email, one send, across retries and crashes. */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ name: 'pass_id', type: 'uuid' })
  passId: string;

  /** The QR attachment is drawn from it at send time rather than stored. */
  @Column({ name: 'pass_code', type: 'text' })
  passCode: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'text' })
  kind: EmailKind;

  @Column({ name: 'to_address', type: 'text' })
  to: string;

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'text' })
  html: string;

  @Column({ type: 'text' })
  text: string;

  @Column({ type: 'text' })
  provider: 'resend' | 'log';

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId: string | null;

  @Column({ type: 'text' })
  status: EmailStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
