import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { TenantCatalogRepository } from '../catalog/tenant-catalog.repository';
import { TemplateEntity } from './entities/template.entity';

/** The queries behind templates. */
@Injectable()
export class TemplatesRepository extends TenantCatalogRepository<TemplateEntity> {
  constructor(@InjectDataSource() dataSource: DataSource) {
    super(dataSource, TemplateEntity);
  }

  /** The tenant's template, locked for the rest of the transaction. */
  lock(manager: EntityManager, tenantId: string, id: string): Promise<TemplateEntity | null> {
    return manager.getRepository(TemplateEntity).findOne({ where: { id, tenantId }, lock: { mode: 'pessimistic_write' } });
  }

  save(manager: EntityManager, template: TemplateEntity): Promise<TemplateEntity> {
    return manager.getRepository(TemplateEntity).save(template);
  }
}
