import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { BarcodeFormat } from '@passway/common';

@Entity({ name: 'templates' })
export class TemplateEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'primary_color', type: 'text', nullable: true })
  primaryColor: string | null;

  @Column({ name: 'background_color', type: 'text', nullable: true })
  backgroundColor: string | null;

  @Column({ name: 'text_color', type: 'text', nullable: true })
  textColor: string | null;

  @Column({ name: 'logo_url', type: 'text', nullable: true })
  logoUrl: string | null;

  @Column({ name: 'barcode_format', type: 'text', default: 'qr' })
  barcodeFormat: BarcodeFormat;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
