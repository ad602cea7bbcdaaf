import { Injectable } from '@nestjs/common';
import { appendToOutbox, createEvent, CreateTemplateDto, isUuid, notFound, TemplateView } from '@passway/common';
import { EntityManager } from 'typeorm';
import { TenantCatalog } from '../catalog/tenant-catalog';
import { PASSES_SCHEMA } from '../database/passes-database';
import { TemplateEntity } from './entities/template.entity';
import { TemplatesRepository } from './templates.repository';

/** The fields of a template's view whose change is a `template.updated`. */
const TEMPLATE_FIELDS = ['name', 'description', 'primaryColor', 'backgroundColor', 'textColor', 'logoUrl', 'barcodeFormat'] as const;

@Injectable()
export class TemplatesService extends TenantCatalog<TemplateEntity, TemplateView, CreateTemplateDto> {
  constructor(private readonly templates: TemplatesRepository) {
    super(templates, 'Template');
  }

  /** A change to what its passes show goes out as `template.updated` (wallet passes are updated), in the same transaction. */
  override async update(tenantId: string, id: string, input: Partial<CreateTemplateDto>): Promise<TemplateView> {
    return this.templates.transaction(async (manager) => {
      const existing = await lockTemplate(this.templates, manager, tenantId, id);
      const before = this.toView(existing);
      const after = this.toView(await this.templates.update(existing, input, manager));
      const changedFields = TEMPLATE_FIELDS.filter((field) => before[field] !== after[field]);
      if (changedFields.length > 0) await appendTemplateUpdated(manager, tenantId, after, changedFields);
      return after;
    });
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

/** The tenant's template, locked for the rest of the transaction, or a 404. */
export async function lockTemplate(
  templates: TemplatesRepository,
  manager: EntityManager,
  tenantId: string,
  id: string,
): Promise<TemplateEntity> {
  const template = isUuid(id) ? await templates.lock(manager, tenantId, id) : null;
  if (!template) throw notFound('Template');
  return template;
}

/** `template.updated` with what changed and the template's look after the change. */
export function appendTemplateUpdated(
  manager: EntityManager,
  tenantId: string,
  template: Pick<TemplateView, 'id' | 'primaryColor' | 'backgroundColor' | 'textColor' | 'logoUrl'>,
  changedFields: string[],
): Promise<void> {
  const { id, primaryColor, backgroundColor, textColor, logoUrl } = template;
  return appendToOutbox(
    manager,
    PASSES_SCHEMA,
    id,
    createEvent('template.updated', tenantId, {
      id,
      changedFields,
      primaryColor: primaryColor ?? null,
      backgroundColor: backgroundColor ?? null,
      textColor: textColor ?? null,
      logoUrl: logoUrl ?? null,
    }),
  );
}
