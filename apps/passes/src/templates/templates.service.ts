import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { CreateTemplateDto, TemplateView } from '@passway/common';
import { DataSource } from 'typeorm';
import { TenantCatalog } from '../catalog/tenant-catalog';
import { TemplateEntity } from './entities/template.entity';

@Injectable()
export class TemplatesService extends TenantCatalog<TemplateEntity, TemplateView, CreateTemplateDto> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, TemplateEntity, 'Template');
  }

  protected toView(template: TemplateEntity): TemplateView {
    return {
      id: template.id,
      name: template.name,
      description: template.description ?? null,
      primaryColor: template.primaryColor ?? null,
      backgroundColor: template.backgroundColor ?? null,
      textColor: template.textColor ?? null,
      logoUrl: template.logoUrl ?? null,
      barcodeFormat: template.barcodeFormat ?? 'qr',
      createdAt: template.createdAt.toISOString(),
      updatedAt: template.updatedAt.toISOString(),
    };
  }
}
